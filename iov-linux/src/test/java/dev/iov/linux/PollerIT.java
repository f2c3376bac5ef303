package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.testing.Privileged;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data-plane I/O a switch thread uses: one {@link Poller} over a TAP and a packet socket with an eventfd
 * wake-up, non-blocking reads and writes at offsets in a caller's arena, and packet batches with headroom that give
 * back the VLAN tag the kernel strips. Test frames carry EtherType 0x88b5; other traffic is skipped.
 */
@Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
class PollerIT {

    private static final String TAP = "iov-ptap0";
    private static final int ETHERTYPE = 0x88b5;

    private NetworkNamespace namespace;
    private TapDevice tap;
    private PacketSocket packet;
    private Poller poller;

    @BeforeEach
    void setUp() {
        namespace = NetworkNamespace.create(Fixtures.namespaceName());
        tap = TapDevice.create(TAP, false, namespace);
        Fixtures.disableIpv6(namespace, TAP);
        Fixtures.ip("-n", namespace.name(), "link", "set", TAP, "up");
        packet = PacketSocket.open(TAP, namespace);
        poller = Poller.open(4);
    }

    @AfterEach
    void tearDown() {
        Fixtures.closeAll(poller, packet, tap, namespace);
    }

    @Test
    void pollTimesOutWhenNothingIsReadyAndAWakeUpEndsAWaitEarly() throws Exception {
        int tapSlot = poller.register(tap);
        assertThat(poller.poll(0)).isZero();

        Thread waker = new Thread(() -> {
            sleep(100);
            poller.wakeup();
        });
        long start = System.nanoTime();
        waker.start();
        int ready = poller.poll(10_000);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        waker.join();

        assertThat(ready).as("a wake-up is not a ready slot").isZero();
        assertThat(poller.isReady(tapSlot)).isFalse();
        assertThat(waitedMillis).isBetween(50L, 5_000L);
        assertThat(poller.poll(0)).as("the wake-up was consumed").isZero();
    }

    @Test
    void framesMakeTheirSlotReadyAndAreReadAtAnOffsetWithoutWaiting() {
        int tapSlot = poller.register(tap);
        int packetSlot = poller.register(packet);
        ByteBuffer arena = ByteBuffer.allocateDirect(4096);
        byte[] frame = frame(100, false);

        ByteBuffer out = ByteBuffer.allocateDirect(256);
        out.put(32, frame);
        assertThat(packet.trySend(out, 32, frame.length)).isTrue();

        assertThat(awaitReady(tapSlot)).isTrue();
        assertThat(poller.isReady(packetSlot)).as("the socket ignores its own sends").isFalse();
        int length = readOurs(arena, 1000);
        assertThat(length).isEqualTo(frame.length);
        assertThat(slice(arena, 1000, length)).isEqualTo(frame);
        assertThat(arena.position()).as("position untouched").isZero();
        drain(arena);
        assertThat(tap.tryRead(arena, 0, 2048)).as("nothing queued").isZero();
    }

    @Test
    void tapWritesAtAnOffsetArriveOnThePacketSocket() {
        int packetSlot = poller.register(packet);
        byte[] frame = frame(300, true);
        ByteBuffer out = ByteBuffer.allocateDirect(1024);
        out.put(77, frame);

        assertThat(tap.tryWrite(out, 77, frame.length)).isTrue();

        assertThat(awaitReady(packetSlot)).isTrue();
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        byte[] got = null;
        while (got == null && System.nanoTime() < deadline) {
            in.clear();
            if (packet.receive(in, 1000) > 0 && (in.getShort(12) & 0xffff) == ETHERTYPE) {
                got = slice(in, 0, in.position());
            }
        }
        assertThat(got).isEqualTo(frame);
    }

    @Test
    void aFrameLongerThanTheRoomIsReportedAsMinusOneAndConsumed() {
        packet.trySend(ByteBuffer.allocateDirect(600).put(frame(600, false)).flip(), 0, 600);
        ByteBuffer arena = ByteBuffer.allocateDirect(4096);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int result = 0;
        while (result != -1 && System.nanoTime() < deadline) {
            result = tap.tryRead(arena, 0, 200);
        }
        assertThat(result).isEqualTo(-1);
        assertThatThrownBy(() -> tap.tryRead(arena, 4000, 200)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> tap.tryRead(ByteBuffer.allocate(64), 0, 64))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void batchesWithHeadroomGetBackTheVlanTagTheKernelStrips() {
        byte[] tagged = frame(120, true);
        // 802.1Q tag, PCP 5, VID 42, then our EtherType.
        byte[] withTag = new byte[tagged.length + 4];
        System.arraycopy(tagged, 0, withTag, 0, 12);
        withTag[12] = (byte) 0x81;
        withTag[13] = 0x00;
        withTag[14] = (byte) 0xa0;
        withTag[15] = 42;
        System.arraycopy(tagged, 12, withTag, 16, tagged.length - 12);
        ByteBuffer out = ByteBuffer.allocateDirect(withTag.length).put(withTag).flip();

        FrameBatch plain = FrameBatch.allocate(8, 2048);
        tap.write(out.duplicate());
        byte[] stripped = receiveTagged(plain);
        assertThat(stripped).as("the kernel stripped the tag").hasSize(withTag.length - 4);

        FrameBatch roomy = FrameBatch.allocate(8, 2048, 8);
        tap.write(out.duplicate());
        byte[] restored = receiveTagged(roomy);
        assertThat(restored).isEqualTo(withTag);
        assertThat(roomy.headroom()).isEqualTo(8);
    }

    @Test
    void slotsAreReusedAndBoundsAreChecked() {
        Poller small = Poller.open(1);
        try {
            int slot = small.register(tap);
            assertThatThrownBy(() -> small.register(packet)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("all 1 poller slots are taken");
            small.unregister(slot);
            assertThat(small.register(packet)).isEqualTo(slot);
            assertThatThrownBy(() -> small.unregister(1)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            small.close();
        }
        small.close();
        small.wakeup();
        assertThatThrownBy(() -> small.register(tap)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Poller.open(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private byte[] receiveTagged(FrameBatch batch) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            int n = packet.receiveBatch(batch, 1000);
            for (int i = 0; i < n; i++) {
                ByteBuffer f = batch.frame(i);
                int type = f.getShort(f.position() + 12) & 0xffff;
                int inner = f.remaining() >= 18 ? f.getShort(f.position() + 16) & 0xffff : -1;
                if (type == ETHERTYPE || inner == ETHERTYPE) {
                    return slice(f, f.position(), f.remaining());
                }
            }
        }
        throw new AssertionError("no test frame within 5 s");
    }

    private boolean awaitReady(int slot) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (poller.poll(1000) > 0 && poller.isReady(slot)) {
                return true;
            }
        }
        return false;
    }

    private int readOurs(ByteBuffer arena, int offset) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            int n = tap.tryRead(arena, offset, 2048);
            if (n > 0 && (arena.getShort(offset + 12) & 0xffff) == ETHERTYPE) {
                return n;
            }
            if (n == 0) {
                poller.poll(100);
            }
        }
        throw new AssertionError("no test frame on the TAP within 5 s");
    }

    private void drain(ByteBuffer arena) {
        while (tap.tryRead(arena, 0, 2048) != 0) {
            // other frames the kernel sent
        }
    }

    private static byte[] frame(int size, boolean broadcast) {
        byte[] frame = new byte[size];
        Arrays.fill(frame, (byte) 0x5a);
        byte[] destination = broadcast ? new byte[] {-1, -1, -1, -1, -1, -1} : new byte[] {2, 0, 0, 0, 0, 1};
        System.arraycopy(destination, 0, frame, 0, 6);
        System.arraycopy(new byte[] {2, 0, 0x5e, 0, 0, 2}, 0, frame, 6, 6);
        frame[12] = (byte) (ETHERTYPE >>> 8);
        frame[13] = (byte) ETHERTYPE;
        return frame;
    }

    private static byte[] slice(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return bytes;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
