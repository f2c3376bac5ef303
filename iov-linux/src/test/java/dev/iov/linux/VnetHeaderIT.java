package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.testing.Privileged;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Packet sockets with {@code PACKET_VNET_HDR} against the real kernel: two namespaces joined by a veth pair
 * ({@code iov-v0} 198.18.1.1 in the first, {@code iov-v1} 198.18.1.2 in the second). A TCP sender with TSO on hands
 * the socket super-frames with their GSO metadata; frames sent with a header asking for a checksum or for
 * segmentation come out of a device that cannot offload (tx off) checksummed and segmented by the kernel, which
 * proves the header's offsets were taken as meant. Frames are checked with checksums computed here, independently.
 */
@Privileged(tools = {"ip", "ethtool"})
class VnetHeaderIT {

    private static final String V0 = "iov-v0";
    private static final String V1 = "iov-v1";
    private static final byte[] IP0 = {(byte) 198, 18, 1, 1};
    private static final byte[] IP1 = {(byte) 198, 18, 1, 2};
    private static final int PORT = 5201;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private NetworkNamespace ns0;
    private NetworkNamespace ns1;
    private PacketSocket socket;
    private PacketSocket capture;

    @BeforeEach
    void setUp() {
        ns0 = NetworkNamespace.create(Fixtures.namespaceName());
        ns1 = NetworkNamespace.create(Fixtures.namespaceName());
        Fixtures.ip("-n", ns0.name(), "link", "add", V0, "type", "veth", "peer", "name", V1, "netns", ns1.name());
        Fixtures.disableIpv6(ns0, V0);
        Fixtures.disableIpv6(ns1, V1);
        Fixtures.ip("-n", ns0.name(), "addr", "add", "198.18.1.1/24", "dev", V0);
        Fixtures.ip("-n", ns1.name(), "addr", "add", "198.18.1.2/24", "dev", V1);
        Fixtures.ip("-n", ns0.name(), "link", "set", V0, "up");
        Fixtures.ip("-n", ns1.name(), "link", "set", V1, "up");
    }

    @AfterEach
    void tearDown() {
        Fixtures.closeAll(socket, capture, ns0, ns1);
    }

    @Test
    void aTsoSenderDeliversSuperFramesWithTheirGsoMetadata() throws Exception {
        socket = PacketSocket.open(V1, true, ns1);
        assertThat(socket.hasVnetHeader()).isTrue();
        FrameBatch batch = FrameBatch.allocate(16, FrameBatch.MAX_FRAME_SIZE, 16, true);
        sendTcp(4 << 20);

        int largest = 0;
        int gsoType = -1;
        int gsoSize = 0;
        int flags = 0;
        int csumStart = 0;
        int csumOffset = 0;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (largest <= 1514 && System.nanoTime() < deadline) {
            int received = socket.receiveBatch(batch, 200);
            for (int i = 0; i < received; i++) {
                ByteBuffer frame = batch.frame(i);
                if (!isTcpFromSender(frame) || frame.remaining() <= largest) {
                    continue;
                }
                assertThat(batch.isTruncated(i)).isFalse();
                int at = batch.vnetHeaderAt(i);
                ByteBuffer headers = batch.vnetHeaders();
                largest = frame.remaining();
                gsoType = VirtioNetHeader.gsoType(headers, at);
                gsoSize = VirtioNetHeader.gsoSize(headers, at);
                flags = VirtioNetHeader.flags(headers, at);
                csumStart = VirtioNetHeader.csumStart(headers, at);
                csumOffset = VirtioNetHeader.csumOffset(headers, at);
            }
        }

        assertThat(largest).as("a frame larger than the 1500-byte MTU arrived").isGreaterThan(1514);
        assertThat(gsoType & ~VirtioNetHeader.GSO_ECN).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(gsoSize).isBetween(1, 1460);
        assertThat(flags & VirtioNetHeader.F_NEEDS_CSUM).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(csumStart).as("Ethernet + IPv4 header").isEqualTo(34);
        assertThat(csumOffset).as("TCP checksum field").isEqualTo(16);
    }

    @Test
    void aPartialChecksumSentWithTheHeaderIsFinishedByTheKernel() {
        Fixtures.succeed(ns0.exec("ethtool", "-K", V0, "tx", "off"));
        socket = PacketSocket.open(V0, true, ns0);
        capture = PacketSocket.open(V1, ns1);
        byte[] payload = "checksum left to the kernel, 41 bytes ...".getBytes();
        ByteBuffer frame = udpFrame(payload);
        int pseudo = pseudoHeaderSum(17, 8 + payload.length);
        frame.putShort(34 + 6, (short) pseudo);
        ByteBuffer header = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH);
        VirtioNetHeader.put(header, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 34, 6);

        assertThat(socket.trySend(header, 0, frame, 0, frame.limit())).isTrue();

        ByteBuffer got = receiveUdp(capture);
        assertThat(got.remaining()).isEqualTo(frame.limit());
        int checksum = got.getShort(34 + 6) & 0xffff;
        assertThat(checksum).as("the partial sum was replaced").isNotEqualTo(pseudo);
        assertThat(transportChecksumIsValid(got, 17)).as("UDP checksum 0x%04x verifies", checksum).isTrue();
    }

    @Test
    void aSuperFrameSentWithTheHeaderIsSegmentedWithValidChecksums() {
        Fixtures.succeed(ns0.exec("ethtool", "-K", V0, "tx", "off", "tso", "off"));
        socket = PacketSocket.open(V0, true, ns0);
        capture = PacketSocket.open(V1, ns1);
        int mss = 1000;
        int payload = 10 * mss + 123;
        ByteBuffer frame = tcpFrame(payload);
        frame.putShort(34 + 16, (short) pseudoHeaderSum(6, 20 + payload));
        ByteBuffer header = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH);
        VirtioNetHeader.put(header, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 54, mss, 34, 16);

        assertThat(socket.trySend(header, 0, frame, 0, frame.limit())).isTrue();

        List<Integer> sizes = new ArrayList<>();
        int bytes = 0;
        ByteBuffer in = ByteBuffer.allocateDirect(FrameBatch.MAX_FRAME_SIZE);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (bytes < payload && System.nanoTime() < deadline) {
            in.clear();
            int length = capture.receive(in, 200);
            in.flip();
            if (length == 0 || !isTcpFromSender(in)) {
                continue;
            }
            assertThat(transportChecksumIsValid(in, 6)).as("segment %d checksum", sizes.size()).isTrue();
            sizes.add(length);
            bytes += length - 54;
        }
        assertThat(bytes).isEqualTo(payload);
        assertThat(sizes).hasSize(11).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(54 + mss));
    }

    @Test
    void batchesAndSocketsMustAgreeOnTheHeader() {
        socket = PacketSocket.open(V0, true, ns0);
        capture = PacketSocket.open(V1, ns1);
        FrameBatch plain = FrameBatch.allocate(4, 2048);
        FrameBatch withHeader = FrameBatch.allocate(4, 2048, 0, true);

        assertThatThrownBy(() -> socket.receiveBatch(plain, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(V0).hasMessageContaining("virtio-net");
        assertThatThrownBy(() -> capture.sendBatch(withHeader)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(V1);
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        assertThatThrownBy(() -> capture.trySend(b, 0, b, 0, 60)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(V1);
    }

    /** Sends {@code bytes} over TCP from the first namespace to the second and returns once all was read. */
    private void sendTcp(int bytes) throws Exception {
        ServerSocketChannel server = ns1.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(
                "198.18.1.2", PORT)));
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel peer = server.accept()) {
                ByteBuffer sink = ByteBuffer.allocate(1 << 16);
                int total = 0;
                int n;
                while ((n = peer.read(sink.clear())) >= 0) {
                    total += n;
                }
                return total;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (SocketChannel client = ns0.call(() -> SocketChannel.open(new InetSocketAddress("198.18.1.2", PORT)))) {
            ByteBuffer data = ByteBuffer.allocate(bytes);
            while (data.hasRemaining()) {
                client.write(data);
            }
        }
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(bytes);
    }

    private static ByteBuffer receiveUdp(PacketSocket from) {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            in.clear();
            int length = from.receive(in, 200);
            in.flip();
            if (length > 42 && in.getShort(12) == 0x0800 && in.get(23) == 17 && in.getShort(36) == PORT) {
                return in;
            }
        }
        throw new AssertionError("no UDP frame to port " + PORT + " arrived");
    }

    private static boolean isTcpFromSender(ByteBuffer frame) {
        int p = frame.position();
        return frame.remaining() >= 54 && frame.getShort(p + 12) == 0x0800 && frame.get(p + 23) == 6
                && frame.getInt(p + 26) == ByteBuffer.wrap(IP0).getInt();
    }

    private static ByteBuffer ethernetIpv4(int protocol, int l4Length) {
        ByteBuffer f = ByteBuffer.allocateDirect(34 + l4Length);
        f.put(new byte[] {-1, -1, -1, -1, -1, -1, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4Length)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).put(IP0).put(IP1);
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += f.getShort(i) & 0xffff;
        }
        f.putShort(24, (short) ~fold(sum));
        return f;
    }

    private static ByteBuffer udpFrame(byte[] payload) {
        ByteBuffer f = ethernetIpv4(17, 8 + payload.length);
        f.putShort((short) 40000).putShort((short) PORT).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return f.flip();
    }

    private static ByteBuffer tcpFrame(int payload) {
        ByteBuffer f = ethernetIpv4(6, 20 + payload);
        f.putShort((short) 40000).putShort((short) PORT).putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x18)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            f.put((byte) i);
        }
        return f.flip();
    }

    /** The pseudo-header sum, not complemented, as a stack leaves it for the NIC. */
    private static int pseudoHeaderSum(int protocol, int l4Length) {
        ByteBuffer a = ByteBuffer.wrap(IP0);
        ByteBuffer b = ByteBuffer.wrap(IP1);
        int sum = (a.getShort(0) & 0xffff) + (a.getShort(2) & 0xffff) + (b.getShort(0) & 0xffff)
                + (b.getShort(2) & 0xffff) + protocol + l4Length;
        return fold(sum);
    }

    /** Whether the TCP or UDP checksum of an IPv4 frame (no options) verifies, from its own IP header. */
    private static boolean transportChecksumIsValid(ByteBuffer frame, int protocol) {
        int p = frame.position();
        int l4Length = (frame.getShort(p + 16) & 0xffff) - 20;
        long sum = 0;
        for (int i = 26; i < 34; i += 2) {
            sum += frame.getShort(p + i) & 0xffff;
        }
        sum += protocol + l4Length;
        int end = p + 34 + l4Length;
        int i = p + 34;
        for (; i + 1 < end; i += 2) {
            sum += frame.getShort(i) & 0xffff;
        }
        if (i < end) {
            sum += (frame.get(i) & 0xff) << 8;
        }
        return fold(sum) == 0xffff;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
