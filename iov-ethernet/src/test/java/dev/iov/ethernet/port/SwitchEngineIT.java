package dev.iov.ethernet.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.SoftwareSwitch;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.TapDevice;
import dev.iov.testing.Privileged;
import dev.iov.testing.TestNamespaces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on real TAP ports with hand-made frames: frames the kernel transmits on one TAP come out of another,
 * byte-exact; configuration from other threads takes effect without traffic; removing a port closes its TAP; close
 * is idempotent and releases everything. Frames are injected and observed with packet sockets on the TAPs' network
 * devices inside a test namespace (EtherType 0x88b5; other traffic is skipped).
 */
@Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
class SwitchEngineIT {

    private static final int ETHERTYPE = 0x88b5;

    private NetworkNamespace ns;
    private SwitchEngine engine;
    private PacketSocket vm1;
    private PacketSocket vm2;

    @BeforeEach
    void setUp() {
        ns = NetworkNamespace.create(TestNamespaces.uniqueName());
        engine = SwitchEngine.builder("t").maxPorts(4).maxFrameLength(512).start();
    }

    @AfterEach
    void tearDown() {
        try {
            engine.close();
            if (vm1 != null) {
                vm1.close();
            }
            if (vm2 != null) {
                vm2.close();
            }
        } finally {
            ns.close();
        }
    }

    private TapDevice tap(String name) {
        TapDevice tap = TapDevice.create(name, false, ns);
        ns.call(() -> {
            Path knob = Path.of("/proc/sys/net/ipv6/conf", name, "disable_ipv6");
            if (Files.exists(knob)) {
                Files.writeString(knob, "1");
            }
            return null;
        });
        exec("ip", "link", "set", name, "up");
        return tap;
    }

    @Test
    void framesCrossFromOneTapToAnotherByteExactAndOversizedOnesAreCounted() {
        int p1 = engine.addPort(PortDevice.tap(tap("iov-e1")), PortConfig.access(10));
        int p2 = engine.addPort(PortDevice.tap(tap("iov-e2")), PortConfig.access(10));
        vm1 = PacketSocket.open("iov-e1", ns);
        vm2 = PacketSocket.open("iov-e2", ns);

        byte[] frame = frame(300);
        vm1.send(ByteBuffer.allocateDirect(frame.length).put(frame).flip());
        assertThat(receiveOurs(vm2)).isEqualTo(frame);

        vm1.send(ByteBuffer.allocateDirect(600).put(frame(600)).flip());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engine.stats(p1).rxErrors() == 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(engine.stats(p1).rxErrors()).as("a frame over the 512-byte slot").isEqualTo(1);
        assertThat(engine.stats(p2).txPackets()).isPositive();
        assertThat(engine.stats(p2).device()).isEqualTo("iov-e2");
    }

    @Test
    void changesFromOtherThreadsDoNotWaitForTraffic() {
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            int port = engine.addPort(PortDevice.tap(tap("iov-w" + i)), PortConfig.access(10));
            engine.removePort(port);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Without the wake-up each change would wait for the 1 s poll timeout.
        assertThat(millis).as("40 changes on an idle switch").isLessThan(10_000);
        assertThat(exec("ip", "-o", "link", "show")).as("removed ports' TAPs are gone").doesNotContain("iov-w");
    }

    @Test
    void aPortThatCannotBeAddedStaysWithTheCaller() {
        for (int i = 0; i < 4; i++) {
            engine.addPort(PortDevice.tap(tap("iov-f" + i)), PortConfig.access(10));
        }
        TapDevice extra = tap("iov-x0");
        try {
            assertThatThrownBy(() -> engine.addPort(PortDevice.tap(extra), PortConfig.access(10)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no free port");
            assertThat(extra.isOpen()).isTrue();
        } finally {
            extra.close();
        }
        assertThatThrownBy(() -> engine.removePort(7)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no port 7");
    }

    @Test
    void stopFreezesTheCountersWhileThePortsStayOpen() {
        TapDevice tap1 = tap("iov-s1");
        int p1 = engine.addPort(PortDevice.tap(tap1), PortConfig.access(10));
        int p2 = engine.addPort(PortDevice.tap(tap("iov-s2")), PortConfig.access(10));
        vm1 = PacketSocket.open("iov-s1", ns);
        vm2 = PacketSocket.open("iov-s2", ns);
        byte[] frame = frame(100);
        vm1.send(ByteBuffer.allocateDirect(frame.length).put(frame).flip());
        assertThat(receiveOurs(vm2)).isEqualTo(frame);

        engine.stop();
        long rx = engine.stats(p1).rxPackets();
        long tx = engine.stats(p2).txPackets();
        assertThat(rx).isPositive();
        for (int i = 0; i < 5; i++) {
            vm1.send(ByteBuffer.allocateDirect(frame.length).put(frame).flip());
        }
        assertThat(engine.isRunning()).isFalse();
        assertThat(tap1.isOpen()).as("stop leaves the devices to close()").isTrue();
        // Read on this thread now: a forwarding thread still running would have counted the five frames.
        assertThat(engine.stats(p1).rxPackets()).isEqualTo(rx);
        assertThat(engine.stats(p2).txPackets()).isEqualTo(tx);
        engine.stop();
        engine.close();
        assertThat(tap1.isOpen()).isFalse();
        engine.stop();
    }

    @Test
    void closeIsIdempotentReleasesDevicesAndWorksFromATask() {
        TapDevice tap = tap("iov-c0");
        engine.addPort(PortDevice.tap(tap), PortConfig.access(10));

        engine.close();
        engine.close();

        assertThat(engine.isRunning()).isFalse();
        assertThat(tap.isOpen()).isFalse();
        assertThatThrownBy(() -> engine.stats(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");

        SwitchEngine other = SwitchEngine.builder("t2").maxPorts(2).start();
        TapDevice tap2 = tap("iov-c1");
        other.addPort(PortDevice.tap(tap2), PortConfig.access(10));
        other.onSwitch(sw -> {
            other.close();
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tap2.isOpen() && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertThat(tap2.isOpen()).as("released by the forwarding thread on its way out").isFalse();
        assertThat(other.isRunning()).isFalse();
    }

    @Test
    void badSizesAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> SwitchEngine.builder("b").batchSize(0).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size 0");
        int tooLong = SoftwareSwitch.MAX_FRAME_LENGTH + 1;
        assertThatThrownBy(() -> SwitchEngine.builder("b").maxFrameLength(tooLong).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(tooLong));
        assertThatThrownBy(() -> SwitchEngine.builder("b").maxPorts(0).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max ports 0");
    }

    private String exec(String... command) {
        Process p = ns.exec(command);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", Arrays.toString(command), out).isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] frame(int size) {
        byte[] frame = new byte[size];
        ThreadLocalRandom.current().nextBytes(frame);
        System.arraycopy(new byte[] {2, 0, 0x5e, 0, 0, 0x22}, 0, frame, 0, 6);
        System.arraycopy(new byte[] {2, 0, 0x5e, 0, 0, 0x11}, 0, frame, 6, 6);
        frame[12] = (byte) (ETHERTYPE >>> 8);
        frame[13] = (byte) ETHERTYPE;
        return frame;
    }

    private static byte[] receiveOurs(PacketSocket socket) {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            in.clear();
            if (socket.receive(in, 500) > 0 && (in.getShort(12) & 0xffff) == ETHERTYPE) {
                byte[] bytes = new byte[in.position()];
                in.get(0, bytes);
                return bytes;
            }
        }
        throw new AssertionError("no test frame within 5 s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
