package dev.iov.ethernet.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.VlanId;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanSet;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import dev.iov.testing.Privileged;
import dev.iov.testing.TestNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine between two "VMs" on veth pairs, its ports packet sockets with virtio-net headers, the VMs' offloads
 * on: TCP crosses as segmentation-offload super-frames (average switched frame above the MTU) and arrives intact.
 * When the switch's egress veths cannot offload ({@code tx off}) the kernel must segment and checksum every frame
 * the switch sends from the header it gave, and the receiving VM verifies each checksum, so a stream that still
 * arrives intact proves the headers were right, also through a VLAN tag push and pop.
 */
@Privileged(tools = {"ip", "ethtool"})
class VnetSwitchEngineIT {

    private static final int PORT = 5201;
    private static final int BYTES = 16 << 20;

    private NetworkNamespace a;
    private NetworkNamespace b;
    private NetworkNamespace sw;
    private SwitchEngine engine;

    @BeforeEach
    void setUp() {
        a = NetworkNamespace.create(name());
        b = NetworkNamespace.create(name());
        sw = NetworkNamespace.create(name());
        ip("-n", sw.name(), "link", "add", "iov-sa", "type", "veth", "peer", "name", "iov-va", "netns", a.name());
        ip("-n", sw.name(), "link", "add", "iov-sb", "type", "veth", "peer", "name", "iov-vb", "netns", b.name());
        for (String n : new String[] {"iov-sa", "iov-sb"}) {
            ip("-n", sw.name(), "link", "set", n, "up");
        }
        ip("-n", a.name(), "link", "set", "iov-va", "up");
        ip("-n", b.name(), "link", "set", "iov-vb", "up");
        engine = SwitchEngine.builder("vnet").maxPorts(4).start();
    }

    @AfterEach
    void tearDown() {
        try {
            engine.close();
        } finally {
            for (NetworkNamespace ns : new NetworkNamespace[] {a, b, sw}) {
                if (ns != null) {
                    ns.close();
                }
            }
        }
    }

    @Test
    void tcpCrossesAsSuperFramesAndArrivesIntact() throws Exception {
        ip("-n", a.name(), "addr", "add", "198.18.2.1/24", "dev", "iov-va");
        ip("-n", b.name(), "addr", "add", "198.18.2.2/24", "dev", "iov-vb");
        int pa = engine.addPort(PortDevice.packet(PacketSocket.open("iov-sa", true, sw)), PortConfig.access(1));
        int pb = engine.addPort(PortDevice.packet(PacketSocket.open("iov-sb", true, sw)), PortConfig.access(1));

        transferAndCheck("198.18.2.2");

        PortStats in = engine.stats(pa);
        assertThat(in.rxBytes() / in.rxPackets()).as("average frame from the sender, bytes").isGreaterThan(1514);
        assertThat(engine.stats(pb).txErrors()).isZero();
        assertThat(in.rxErrors()).isZero();
    }

    @Test
    void offloadsSurviveATagPushARestoredTagAndAPopWhenTheKernelMustFinishThem() throws Exception {
        // A -- engine (access 10 -> trunk) == tagged veth == second engine (trunk -> access 10) -- B: the first
        // engine pushes a tag, the second gets it back from the packet socket (the kernel strips it) and pops it.
        ip("-n", sw.name(), "link", "add", "iov-x1", "type", "veth", "peer", "name", "iov-x2");
        ip("-n", sw.name(), "link", "set", "iov-x1", "up");
        ip("-n", sw.name(), "link", "set", "iov-x2", "up");
        ip("-n", a.name(), "addr", "add", "198.18.2.1/24", "dev", "iov-va");
        ip("-n", b.name(), "addr", "add", "198.18.2.2/24", "dev", "iov-vb");
        // The devices toward the VMs cannot offload: the kernel finishes whatever the engines' headers ask for,
        // and the VMs verify every checksum.
        ethtool(sw, "iov-sa");
        ethtool(sw, "iov-sb");
        int pa = engine.addPort(PortDevice.packet(PacketSocket.open("iov-sa", true, sw)), PortConfig.access(10));
        int px = engine.addPort(PortDevice.packet(PacketSocket.open("iov-x1", true, sw)),
                PortConfig.trunk(VlanSet.of(VlanId.of(10))));
        try (SwitchEngine second = SwitchEngine.builder("vnet2").maxPorts(4).start()) {
            int py = second.addPort(PortDevice.packet(PacketSocket.open("iov-x2", true, sw)),
                    PortConfig.trunk(VlanSet.of(VlanId.of(10))));
            int pb = second.addPort(PortDevice.packet(PacketSocket.open("iov-sb", true, sw)),
                    PortConfig.access(10));

            transferAndCheck("198.18.2.2");

            PortStats trunk = second.stats(py);
            assertThat(trunk.rxBytes() / trunk.rxPackets()).as("average tagged frame on the trunk, bytes")
                    .isGreaterThan(1518);
            assertThat(second.stats(pb).txErrors()).isZero();
            assertThat(engine.stats(px).rxPackets()).as("B's ACKs came back tagged").isPositive();
            assertThat(engine.stats(pa).txErrors()).isZero();
        }
    }

    /** Sends {@link #BYTES} of a pattern from A to B over TCP and checks every byte B read. */
    private void transferAndCheck(String address) throws Exception {
        ServerSocketChannel server = b.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(address,
                PORT)));
        CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel peer = server.accept()) {
                ByteBuffer in = ByteBuffer.allocate(1 << 16);
                long total = 0;
                long mismatches = 0;
                int n;
                while ((n = peer.read(in.clear())) >= 0) {
                    for (int i = 0; i < n; i++) {
                        if (in.get(i) != pattern(total + i)) {
                            mismatches++;
                        }
                    }
                    total += n;
                }
                return mismatches == 0 ? total : -mismatches;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ByteBuffer data = ByteBuffer.allocate(BYTES);
        for (int i = 0; i < BYTES; i++) {
            data.put(i, pattern(i));
        }
        SocketChannel client = a.call(() -> SocketChannel.open(new InetSocketAddress(address, PORT)));
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (client) {
                while (data.hasRemaining()) {
                    client.write(data);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            // A stream the switch breaks stalls rather than fails: bound the wait, then unblock both ends.
            assertThat(reader.get(60, TimeUnit.SECONDS)).as("bytes read intact (negative: mismatches)")
                    .isEqualTo(BYTES);
            writer.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the stream stalled: " + (BYTES - data.remaining()) + " of " + BYTES
                    + " bytes written", e);
        } finally {
            client.close();
            server.close();
        }
    }

    private static byte pattern(long i) {
        return (byte) (i * 31 + (i >>> 9));
    }

    private static String name() {
        return TestNamespaces.uniqueName();
    }

    private static void ethtool(NetworkNamespace ns, String device) {
        run(ns.exec("ethtool", "-K", device, "tx", "off"));
    }

    private static void ip(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            run(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Process process) {
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("exit status; output: %s", output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
