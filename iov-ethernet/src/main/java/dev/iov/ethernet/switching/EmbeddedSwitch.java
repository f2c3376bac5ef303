package dev.iov.ethernet.switching;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory harness around a {@link SoftwareSwitch}, in the spirit of Netty's {@code EmbeddedChannel}: inject
 * frames as byte arrays on ports, {@link #run()} the switch, read what each port emitted as byte arrays, with the
 * clock under the caller's control. For tests and examples; it allocates freely (one buffer per injected frame, one
 * array per emitted frame), unlike the switch itself.
 *
 * <p>Injected frames are placed at a non-zero offset in a buffer with headroom, as a receive path would, so the
 * switch's offset handling is exercised. Single-threaded, like the switch.
 */
public final class EmbeddedSwitch {
    /** Batch size used by {@link #run()}. */
    public static final int BATCH = 32;
    private static final int INJECT_OFFSET = 16;

    private final SoftwareSwitch sw;
    private final List<ArrayDeque<byte[]>> outbound;
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private final SwitchBatch batch = new SwitchBatch(BATCH);
    private long now;

    /**
     * @param maxPorts ports are numbered 0 to {@code maxPorts - 1}
     */
    public EmbeddedSwitch(int maxPorts) {
        this(maxPorts, MacLearningTable.DEFAULT_LIMIT, MacLearningTable.DEFAULT_AGING_SECONDS);
    }

    /**
     * @param maxPorts ports are numbered 0 to {@code maxPorts - 1}
     * @param macTableLimit the MAC table limit
     * @param agingSeconds the MAC aging time
     */
    public EmbeddedSwitch(int maxPorts, int macTableLimit, int agingSeconds) {
        outbound = new ArrayList<>(maxPorts);
        for (int i = 0; i < maxPorts; i++) {
            outbound.add(new ArrayDeque<>());
        }
        sw = new SoftwareSwitch(maxPorts, macTableLimit, agingSeconds, this::capture);
        sw.pcapClockOffsetNanos(0);
    }

    private void capture(int port, ByteBuffer buf, int offset, int length) {
        byte[] copy = new byte[length];
        buf.get(offset, copy, 0, length);
        outbound.get(port).add(copy);
    }

    /** @return the switch under test, for configuration and counters */
    public SoftwareSwitch switchUnderTest() {
        return sw;
    }

    /**
     * @param port the port index
     * @param config its configuration
     * @return this harness
     */
    public EmbeddedSwitch addPort(int port, PortConfig config) {
        sw.addPort(port, config);
        return this;
    }

    /**
     * Queues a frame as received on a port; nothing is forwarded until {@link #run()}.
     *
     * @param port the ingress port (need not exist: the switch counts such frames)
     * @param frame the frame's bytes, without FCS; copied
     * @return this harness
     */
    public EmbeddedSwitch inject(int port, byte[] frame) {
        ByteBuffer buf = ByteBuffer.allocate(INJECT_OFFSET + frame.length);
        buf.put(INJECT_OFFSET, frame);
        pending.add(new Object[] {port, buf, frame.length});
        return this;
    }

    /**
     * Forwards every queued frame in batches of {@value #BATCH} at the current time.
     *
     * @return this harness
     */
    public EmbeddedSwitch run() {
        while (!pending.isEmpty()) {
            batch.clear();
            while (!pending.isEmpty() && batch.size() < BATCH) {
                Object[] p = pending.poll();
                batch.add((Integer) p[0], (ByteBuffer) p[1], INJECT_OFFSET, (Integer) p[2]);
            }
            sw.process(batch, now);
        }
        return this;
    }

    /**
     * Injects one frame and runs the switch.
     *
     * @param port the ingress port
     * @param frame the frame
     * @return this harness
     */
    public EmbeddedSwitch send(int port, byte[] frame) {
        return inject(port, frame).run();
    }

    /**
     * @param port a port index
     * @return the oldest frame the port emitted and not yet read, or null
     */
    public byte[] readOutbound(int port) {
        return outbound.get(port).poll();
    }

    /**
     * @param port a port index
     * @return every frame the port emitted and not yet read, oldest first; the queue is emptied
     */
    public List<byte[]> drainOutbound(int port) {
        List<byte[]> all = new ArrayList<>(outbound.get(port));
        outbound.get(port).clear();
        return all;
    }

    /**
     * @param port a port index
     * @return how many frames the port emitted and not yet read
     */
    public int outboundCount(int port) {
        return outbound.get(port).size();
    }

    /** Discards every emitted frame not yet read. */
    public void clearOutbound() {
        for (ArrayDeque<byte[]> q : outbound) {
            q.clear();
        }
    }

    /** @return the harness clock, nanoseconds (starts at 0) */
    public long now() {
        return now;
    }

    /**
     * @param nanos how far to move the clock forward
     * @return this harness
     */
    public EmbeddedSwitch advanceNanos(long nanos) {
        now += nanos;
        return this;
    }

    /**
     * @param seconds how far to move the clock forward
     * @return this harness
     */
    public EmbeddedSwitch advanceSeconds(long seconds) {
        return advanceNanos(seconds * 1_000_000_000L);
    }

    /**
     * @param port an existing port
     * @return its counters
     */
    public PortCounters counters(int port) {
        return sw.counters(port);
    }
}
