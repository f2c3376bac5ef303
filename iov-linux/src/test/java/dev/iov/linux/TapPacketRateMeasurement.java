package dev.iov.linux;

import dev.iov.testing.Privileged;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Frame rates between a TAP device and an {@code AF_PACKET} socket on it, single frames vs. batches of 32, for
 * 64- and 1500-byte frames. A measurement, not a test: it asserts nothing, prints a table, and runs only when asked
 * (its name matches no test pattern, and it needs {@code -Diov.measure=true}):
 *
 * <pre>{@code
 * ./mvnw -B -o -pl iov-linux -am test -Dtest=TapPacketRateMeasurement -Diov.measure=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 *
 * <p>Each direction runs a producer thread against a consumer thread for a few seconds; "sent" is what the producer
 * pushed, "delivered" what the consumer got (the difference was dropped by a full queue). Benchmarks proper belong
 * in {@code iov-bench} (JMH); this only gives the issue its numbers.
 */
@Privileged(tools = {"ip"}, devices = {"/dev/net/tun"})
@EnabledIfSystemProperty(named = "iov.measure", matches = "true")
class TapPacketRateMeasurement {

    private static final int BATCH = 32;
    private static final long WARM_UP_MILLIS = 1000;
    private static final long MEASURE_MILLIS = 3000;
    private static final String TAP = "iov-tap0";

    @Test
    void measure() throws Exception {
        NetworkNamespace namespace = NetworkNamespace.create(Fixtures.namespaceName());
        TapDevice tap = null;
        PacketSocket packet = null;
        try {
            tap = TapDevice.create(TAP, false, namespace);
            Fixtures.disableIpv6(namespace, TAP);
            Fixtures.ip("-n", namespace.name(), "link", "set", TAP, "up");
            packet = PacketSocket.open(TAP, namespace);
            System.out.println(String.format(Locale.ROOT, "%-14s %6s %-7s %14s %14s", "direction", "bytes", "mode",
                    "sent/s", "delivered/s"));
            for (int size : new int[] {64, 1500}) {
                for (boolean batched : new boolean[] {false, true}) {
                    report("TAP->AF_PACKET", size, batched, tapToPacket(tap, packet, size, batched));
                }
            }
            for (int size : new int[] {64, 1500}) {
                for (boolean batched : new boolean[] {false, true}) {
                    report("AF_PACKET->TAP", size, batched, packetToTap(tap, packet, size, batched));
                }
            }
            System.out.println("one side alone (no competing thread):");
            for (int size : new int[] {64, 1500}) {
                for (boolean batched : new boolean[] {false, true}) {
                    double rate = drainPacketSocket(tap, packet, size, batched);
                    report("AF_PACKET recv", size, batched, new double[] {Double.NaN, rate});
                }
            }
            for (int size : new int[] {64, 1500}) {
                for (boolean batched : new boolean[] {false, true}) {
                    double rate = sendOnly(tap, packet, size, batched);
                    report("AF_PACKET send", size, batched, new double[] {rate, Double.NaN});
                }
            }
        } finally {
            Fixtures.closeAll(packet, tap, namespace);
        }
    }

    private static void report(String direction, int size, boolean batched, double[] rates) {
        System.out.println(String.format(Locale.ROOT, "%-14s %6d %-7s %14s %14s", direction, size,
                batched ? "batch" + BATCH : "single", rate(rates[0]), rate(rates[1])));
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    /** Producer writes to the TAP; the measured consumer reads the packet socket. */
    private static double[] tapToPacket(TapDevice tap, PacketSocket packet, int size, boolean batched)
            throws InterruptedException {
        LongAdder sent = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            ByteBuffer frame = frame(size);
            while (!stop.get()) {
                tap.write(frame.rewind());
                sent.increment();
            }
        }, "tap-writer");
        ByteBuffer single = ByteBuffer.allocateDirect(2048);
        FrameBatch batch = FrameBatch.allocate(BATCH, 2048);
        return run(producer, stop, sent, () -> {
            if (batched) {
                return packet.receiveBatch(batch, 100);
            }
            single.clear();
            return packet.receive(single, 100) > 0 ? 1 : 0;
        });
    }

    /** Producer sends on the packet socket; the measured consumer reads the TAP. */
    private static double[] packetToTap(TapDevice tap, PacketSocket packet, int size, boolean batched)
            throws InterruptedException {
        LongAdder sent = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            ByteBuffer frame = frame(size);
            FrameBatch batch = FrameBatch.allocate(BATCH, 2048);
            for (int i = 0; i < BATCH; i++) {
                batch.add().put(frame.rewind()).flip();
            }
            while (!stop.get()) {
                if (batched) {
                    sent.add(packet.sendBatch(batch));
                } else if (packet.send(frame.rewind())) {
                    sent.increment();
                }
            }
        }, "packet-sender");
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        return run(producer, stop, sent, () -> {
            in.clear();
            return tap.read(in, 100) > 0 ? 1 : 0;
        });
    }

    /**
     * Receive side alone: fill the socket's queue from the TAP (until the kernel starts dropping), then time only
     * the draining, many times over.
     */
    private static double drainPacketSocket(TapDevice tap, PacketSocket packet, int size, boolean batched) {
        ByteBuffer frame = frame(size);
        ByteBuffer single = ByteBuffer.allocateDirect(2048);
        FrameBatch batch = FrameBatch.allocate(BATCH, 2048);
        long drained = 0;
        long nanos = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MEASURE_MILLIS);
        while (System.nanoTime() < end) {
            for (int i = 0; i < 4000; i++) {
                tap.write(frame.rewind());
            }
            long start = System.nanoTime();
            int got;
            do {
                if (batched) {
                    got = packet.receiveBatch(batch, 0);
                } else {
                    single.clear();
                    got = packet.receive(single, 0) > 0 ? 1 : 0;
                }
                drained += got;
            } while (got > 0);
            nanos += System.nanoTime() - start;
        }
        return drained / (nanos / 1e9);
    }

    /** Send side alone: nobody reads the TAP, so the kernel drops at the TAP's queue after the full send path. */
    private static double sendOnly(TapDevice tap, PacketSocket packet, int size, boolean batched) {
        ByteBuffer frame = frame(size);
        FrameBatch batch = FrameBatch.allocate(BATCH, 2048);
        for (int i = 0; i < BATCH; i++) {
            batch.add().put(frame.rewind()).flip();
        }
        long sent = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(MEASURE_MILLIS);
        long now;
        while ((now = System.nanoTime()) < end) {
            if (batched) {
                sent += packet.sendBatch(batch);
            } else if (packet.send(frame.rewind())) {
                sent++;
            }
        }
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        while (tap.read(in.clear(), 0) > 0) {
            // drain the TAP's queue for the next round
        }
        return sent / ((now - start) / 1e9);
    }

    private interface Consumer {
        int consume();
    }

    /** Runs producer and consumer through warm-up and measurement; returns {sent/s, delivered/s}. */
    private static double[] run(Thread producer, AtomicBoolean stop, LongAdder sent, Consumer consumer)
            throws InterruptedException {
        producer.start();
        try {
            long warmUpEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WARM_UP_MILLIS);
            while (System.nanoTime() < warmUpEnd) {
                consumer.consume();
            }
            long sentBefore = sent.sum();
            long delivered = 0;
            long start = System.nanoTime();
            long end = start + TimeUnit.MILLISECONDS.toNanos(MEASURE_MILLIS);
            long now;
            while ((now = System.nanoTime()) < end) {
                delivered += consumer.consume();
            }
            double seconds = (now - start) / 1e9;
            return new double[] {(sent.sum() - sentBefore) / seconds, delivered / seconds};
        } finally {
            stop.set(true);
            producer.join();
            // Drain what is still queued so the next round starts empty.
            while (consumer.consume() > 0) {
                // drain
            }
        }
    }

    private static ByteBuffer frame(int size) {
        ByteBuffer frame = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < 6; i++) {
            frame.put((byte) 0xff);
        }
        frame.put(new byte[] {2, 0, 0x5e, 0, 0, 2}).putShort((short) 0x88b5);
        while (frame.hasRemaining()) {
            frame.put((byte) frame.position());
        }
        return frame.flip();
    }
}
