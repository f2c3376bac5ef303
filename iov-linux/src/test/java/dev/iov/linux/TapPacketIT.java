package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.testing.Privileged;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames written to a TAP arrive on an {@code AF_PACKET} socket bound to it, and the other way round, byte-exact,
 * singly and in batches. Test frames carry EtherType 0x88b5 (IEEE local experimental) and anything else the
 * kernel puts on the wire is ignored; IPv6 is also turned off on the TAP so it sends no router solicitations.
 */
@Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
class TapPacketIT {

    private static final String TAP = "iov-tap0";
    private static final int ETHERTYPE = 0x88b5;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Random random = new Random(0x10f);
    private NetworkNamespace namespace;
    private TapDevice tap;
    private PacketSocket packet;

    @BeforeEach
    void setUp() {
        namespace = NetworkNamespace.create(Fixtures.namespaceName());
        tap = TapDevice.create(TAP, false, namespace);
        Fixtures.disableIpv6(namespace, TAP);
        Fixtures.ip("-n", namespace.name(), "link", "set", TAP, "up");
        packet = PacketSocket.open(TAP, namespace);
    }

    @AfterEach
    void tearDown() {
        Fixtures.closeAll(packet, tap, namespace);
    }

    @Test
    void tapDeviceIsCreatedWithTheRequestedName() {
        assertThat(tap.name()).isEqualTo(TAP);
        assertThat(tap.isMultiQueue()).isFalse();
        assertThat(packet.interfaceName()).isEqualTo(TAP);
        assertThat(packet.interfaceIndex()).isPositive();
        assertThat(Fixtures.ip("-n", namespace.name(), "-d", "link", "show", TAP)).contains("tun type tap");
        assertThat(Fixtures.succeed(namespace.exec("cat", "/proc/sys/net/ipv6/conf/" + TAP + "/disable_ipv6")))
                .as("IPv6 was turned off inside the namespace").isEqualToIgnoringWhitespace("1");
    }

    @Test
    void singleFramesWrittenToTheTapArriveOnThePacketSocket() {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        for (int size : new int[] {60, 61, 128, 999, 1514}) {
            byte[] frame = frame(size, true);

            tap.write(ByteBuffer.allocateDirect(size).put(frame).flip());

            assertThat(receiveOurs(packet, in)).as("frame of %d bytes", size).isEqualTo(frame);
        }
    }

    @Test
    void singleFramesSentOnThePacketSocketArriveOnTheTap() {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        for (int size : new int[] {60, 77, 512, 1400, 1514}) {
            byte[] frame = frame(size, false);
            ByteBuffer out = ByteBuffer.allocateDirect(size).put(frame).flip();

            assertThat(packet.send(out)).isTrue();

            assertThat(out.hasRemaining()).isFalse();
            assertThat(readOurs(tap, in)).as("frame of %d bytes", size).isEqualTo(frame);
        }
    }

    @Test
    void aBatchWrittenToTheTapArrivesInABatchReceive() {
        List<byte[]> sent = frames(64);
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        for (byte[] frame : sent) {
            tap.write(out.clear().put(frame).flip());
        }

        FrameBatch batch = FrameBatch.allocate(32, 2048);
        List<byte[]> received = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (received.size() < sent.size() && System.nanoTime() < deadline) {
            int count = packet.receiveBatch(batch, 1000);
            assertThat(batch.count()).isEqualTo(count);
            for (int i = 0; i < count; i++) {
                assertThat(batch.isTruncated(i)).isFalse();
                ByteBuffer frame = batch.frame(i);
                if (etherType(frame) == ETHERTYPE) {
                    received.add(bytes(frame));
                }
            }
        }

        assertFramesEqual(received, sent);
    }

    @Test
    void aBatchSentOnThePacketSocketArrivesOnTheTap() {
        List<byte[]> sent = frames(64);
        FrameBatch batch = FrameBatch.allocate(64, 1514);
        for (byte[] frame : sent) {
            batch.add().put(frame).flip();
        }

        assertThat(packet.sendBatch(batch)).isEqualTo(64);

        assertThat(batch.frame(0).remaining()).as("positions are left for a resend").isEqualTo(sent.get(0).length);
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        List<byte[]> received = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            received.add(readOurs(tap, in));
        }
        assertFramesEqual(received, sent);
    }

    @Test
    void aBatchCanStartMidBuffer() {
        byte[] frame = frame(100, true);
        FrameBatch batch = FrameBatch.allocate(2, 256);
        ByteBuffer slot = batch.add();
        slot.put(new byte[10]).put(frame).flip().position(10);

        assertThat(packet.sendBatch(batch)).isEqualTo(1);

        assertThat(readOurs(tap, ByteBuffer.allocateDirect(2048))).isEqualTo(frame);
    }

    @Test
    void framesLargerThanTheBufferAreReportedWithTheirSize() {
        tap.write(ByteBuffer.allocateDirect(200).put(frame(200, true)).flip());
        assertThatThrownBy(() -> receiveOurs(packet, ByteBuffer.allocateDirect(100)))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EMSGSIZE");
                    assertThat(e.object()).isEqualTo(TAP);
                })
                .hasMessageContaining("a frame of 200 bytes arrived but the buffer had 100 bytes left");

        packet.send(ByteBuffer.allocateDirect(300).put(frame(300, true)).flip());
        assertThatThrownBy(() -> readOurs(tap, ByteBuffer.allocateDirect(100)))
                .isInstanceOf(LinuxException.class)
                .hasMessageContaining("TAP read on '" + TAP + "' failed: EMSGSIZE (90)")
                .hasMessageContaining("a frame of 300 bytes arrived but the buffer had 100 bytes left");
    }

    @Test
    void batchReceiveFlagsTruncatedFrames() {
        byte[] frame = frame(300, true);
        tap.write(ByteBuffer.allocateDirect(300).put(frame).flip());
        FrameBatch batch = FrameBatch.allocate(4, 128);

        int found = -1;
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (found < 0 && System.nanoTime() < deadline) {
            packet.receiveBatch(batch, 1000);
            for (int i = 0; i < batch.count(); i++) {
                if (etherType(batch.frame(i)) == ETHERTYPE) {
                    found = i;
                }
            }
        }

        assertThat(found).as("the frame arrived").isNotNegative();
        assertThat(batch.isTruncated(found)).isTrue();
        assertThat(bytes(batch.frame(found))).isEqualTo(java.util.Arrays.copyOf(frame, 128));
    }

    @Test
    void readsTimeOutWhenNothingArrives() {
        assertThat(tap.read(ByteBuffer.allocateDirect(2048), 0)).isZero();
        assertThat(tap.read(ByteBuffer.allocateDirect(2048), 20)).isZero();
        assertThat(packet.receiveBatch(FrameBatch.allocate(4, 2048), 20)).isZero();
    }

    @Test
    void heapBuffersAreRefused() {
        assertThatThrownBy(() -> tap.read(ByteBuffer.allocate(2048), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> packet.send(ByteBuffer.allocate(60))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingInterfaceIsNoSuchDevice() {
        assertThatThrownBy(() -> PacketSocket.open("iov-nope0", namespace))
                .isInstanceOf(NoSuchDeviceException.class)
                .hasMessage("open packet socket on 'iov-nope0' failed: ENODEV (19) No such device")
                .satisfies(e -> assertThat(((LinuxException) e).object()).isEqualTo("iov-nope0"));
    }

    @Test
    void nameTheKernelRefusesIsInvalidArgument() {
        assertThatThrownBy(() -> TapDevice.create("iov:bad", false, namespace))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("create TAP (TUNSETIFF) on 'iov:bad' failed: EINVAL (22) Invalid argument");
        assertThatThrownBy(() -> TapDevice.create("iov-much-too-long0", false, namespace))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-15 bytes");
    }

    @Test
    void attachingASecondQueueToASingleQueueTapIsBusy() {
        assertThatThrownBy(() -> TapDevice.create(TAP, false, namespace))
                .isInstanceOf(DeviceBusyException.class)
                .hasMessageContaining("'" + TAP + "'");
    }

    @Test
    void multiQueueTapsTakeMoreQueuesAndKernelNumbersNames() {
        try (TapDevice first = TapDevice.create("iov-mq%d", true, namespace);
                TapDevice second = TapDevice.create(first.name(), true, namespace)) {
            assertThat(first.name()).isEqualTo("iov-mq0");
            assertThat(second.name()).isEqualTo("iov-mq0");
            assertThat(second.isMultiQueue()).isTrue();
        }
    }

    @Test
    void closedHandlesRefuseUse() {
        tap.close();
        tap.close();
        packet.close();
        packet.close();

        assertThat(tap.isOpen()).isFalse();
        assertThatThrownBy(() -> tap.write(ByteBuffer.allocateDirect(60))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> packet.receive(ByteBuffer.allocateDirect(60), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(TAP);
    }

    /** A frame to broadcast (or to a unicast MAC), from a locally administered MAC, with random payload. */
    private byte[] frame(int size, boolean broadcast) {
        byte[] frame = new byte[size];
        random.nextBytes(frame);
        byte[] destination = broadcast ? new byte[] {-1, -1, -1, -1, -1, -1} : new byte[] {2, 0, 0, 0, 0, 1};
        System.arraycopy(destination, 0, frame, 0, 6);
        System.arraycopy(new byte[] {2, 0, 0x5e, 0, 0, 2}, 0, frame, 6, 6);
        frame[12] = (byte) (ETHERTYPE >>> 8);
        frame[13] = (byte) ETHERTYPE;
        return frame;
    }

    /** {@code count} frames of sizes spread over 60..1514, every other one broadcast. */
    private List<byte[]> frames(int count) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(frame(60 + random.nextInt(1514 - 60 + 1), i % 2 == 0));
        }
        frames.set(0, frame(60, true));
        frames.set(1, frame(1514, false));
        return frames;
    }

    private static byte[] receiveOurs(PacketSocket socket, ByteBuffer buffer) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            buffer.clear();
            if (socket.receive(buffer, 1000) > 0 && etherType(buffer.flip()) == ETHERTYPE) {
                return bytes(buffer);
            }
        }
        throw new AssertionError("no test frame on the packet socket within 5 s");
    }

    private static byte[] readOurs(TapDevice device, ByteBuffer buffer) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            buffer.clear();
            if (device.read(buffer, 1000) > 0 && etherType(buffer.flip()) == ETHERTYPE) {
                return bytes(buffer);
            }
        }
        throw new AssertionError("no test frame on the TAP within 5 s");
    }

    private static int etherType(ByteBuffer frame) {
        return frame.remaining() >= 14 ? frame.getShort(frame.position() + 12) & 0xffff : -1;
    }

    private static byte[] bytes(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(frame.position(), bytes);
        return bytes;
    }

    private static void assertFramesEqual(List<byte[]> received, List<byte[]> sent) {
        assertThat(received).as("frames received").hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).as("frame %d (%d bytes)", i, sent.get(i).length).isEqualTo(sent.get(i));
        }
    }
}
