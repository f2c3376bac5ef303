package dev.iov.bench.switching;

import dev.iov.ethernet.frame.EthernetFrame;
import dev.iov.ethernet.switching.MacLearningTable;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.SoftwareSwitch;
import dev.iov.ethernet.switching.SwitchBatch;
import dev.iov.ethernet.switching.VlanSet;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole forwarding path of {@link SoftwareSwitch}, per frame: 64-byte frames through an 8-port switch with 2
 * VLANs and 4 096 learned MACs, in batches of 32. Each frame comes from a learned source on its own port (a learning
 * refresh) to a learned destination on another port of its VLAN (a known unicast), in a shuffled order; the score is
 * ns per frame ({@code @OperationsPerInvocation(32)}). Filling the batch is part of the measurement, as it is of a
 * receive loop. All 4 096 sources are learned in setup; {@code ring} chooses how many frames the loop cycles over.
 *
 * <ul>
 *   <li>{@code topology=access}: ports 0-3 access VLAN 10, ports 4-7 access VLAN 20; frames leave as they came.
 *   <li>{@code topology=mixed}: ports 6 and 7 are trunks of both VLANs, so frames to or from them get a tag pushed
 *       or popped in the scratch buffer.
 * </ul>
 *
 * <p>The sink consumes each frame by adding its length to a field the benchmark returns, so nothing is dead code.
 *
 * <pre>{@code java -jar iov-bench/target/benchmarks.jar SwitchBench -prof gc}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SwitchBench {
    private static final int PORTS = 8;
    private static final int MACS = 4096;
    private static final int BATCH = 32;
    private static final int FRAME = 64;
    /** Room before each frame, as a receive path leaves, and a slot size that keeps frames cache-line aligned. */
    private static final int HEADROOM = 64;
    private static final int SLOT = HEADROOM + FRAME;

    /** {@code access}: 8 access ports; {@code mixed}: 6 access ports and 2 trunks (tag push and pop). */
    @Param({"access", "mixed"})
    public String topology;

    /**
     * How many distinct frame buffers the measured loop cycles through: {@code 4096}, one per learned source, so
     * every frame is a cold buffer and a cold pair of MAC table entries (a worst case for caches); or {@code 256},
     * a receive ring's worth reused, as a NIC ring with DDIO hands frames over warm in cache, with sources and
     * destinations still drawn at random from the 4 096 learned MACs.
     */
    @Param({"4096", "256"})
    public int ring;

    private SoftwareSwitch sw;
    private final SwitchBatch batch = new SwitchBatch(BATCH);
    private ByteBuffer frames;
    private int[] ingress;
    private int[] offsets;
    private int[] lengths;
    private int cursor;
    private long now;
    private long consumed;
    /** For the baselines: the same frames' VLAN, source, destination, and a table holding the same entries. */
    private int[] vlans;
    private long[] sources;
    private long[] destinations;
    private MacLearningTable table;
    private final EthernetFrame frame = new EthernetFrame();

    /** Builds the switch, the frames and the learned table. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean mixed = topology.equals("mixed");
        if (!mixed && !topology.equals("access")) {
            throw new IllegalArgumentException("topology " + topology);
        }
        if (Integer.bitCount(ring) != 1 || ring < BATCH || ring > MACS) {
            throw new IllegalArgumentException("ring " + ring + " is not a power of two from 32 to 4096");
        }
        sw = new SoftwareSwitch(PORTS, (port, buf, off, len) -> consumed += len);
        for (int p = 0; p < PORTS; p++) {
            boolean trunk = mixed && p >= 6;
            sw.addPort(p, trunk ? PortConfig.trunk(VlanSet.of(10, 20)) : PortConfig.access(p < 4 ? 10 : 20));
        }
        // MAC i is in VLAN 10 (even i) or 20 (odd i), on a port carrying that VLAN.
        int[] vlanOf = new int[MACS];
        int[] portOf = new int[MACS];
        for (int i = 0; i < MACS; i++) {
            vlanOf[i] = i % 2 == 0 ? 10 : 20;
            int k = (i / 2) % 4;
            portOf[i] = vlanOf[i] == 10 ? (mixed && k == 3 ? 6 : k) : (mixed && k == 3 ? 7 : 4 + k);
        }
        int[] order = new int[MACS];
        for (int i = 0; i < MACS; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(0x5_417c4L);
        for (int i = MACS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        frames = ByteBuffer.allocateDirect(MACS * (SLOT + 4));
        vlans = new int[MACS];
        sources = new long[MACS];
        destinations = new long[MACS];
        table = new MacLearningTable(PORTS);
        ingress = new int[MACS];
        offsets = new int[MACS];
        lengths = new int[MACS];
        for (int n = 0; n < MACS; n++) {
            int src = order[n];
            int dst;
            do {
                dst = random.nextInt(MACS / 2) * 2 + (src & 1);
            } while (portOf[dst] == portOf[src]);
            boolean tagged = mixed && portOf[src] >= 6;
            int at = n * (SLOT + 4) + HEADROOM;
            putMac(frames, at, mac(dst));
            putMac(frames, at + 6, mac(src));
            int type = at + 12;
            if (tagged) {
                frames.putShort(type, (short) 0x8100);
                frames.putShort(type + 2, (short) vlanOf[src]);
                type += 4;
            }
            frames.putShort(type, (short) 0x0800);
            vlans[n] = vlanOf[src];
            sources[n] = mac(src);
            destinations[n] = mac(dst);
            table.learn(vlanOf[src], mac(src), portOf[src], 0);
            ingress[n] = portOf[src];
            offsets[n] = at;
            lengths[n] = tagged ? FRAME + 4 : FRAME;
        }
        // Learn every source, then check the table is what the benchmark claims.
        for (int round = 0; round < 2; round++) {
            for (int n = 0; n < MACS; n += BATCH) {
                fill(n);
                sw.process(batch, now);
            }
        }
        if (sw.macTable().size() != MACS) {
            throw new IllegalStateException("learned " + sw.macTable().size() + " MACs, not " + MACS);
        }
        cursor = 0;
    }

    private static long mac(int i) {
        return 0x0200_0000_0000L | (long) i * 0x10001L;
    }

    private static void putMac(ByteBuffer b, int at, long mac) {
        b.putShort(at, (short) (mac >>> 32));
        b.putInt(at + 2, (int) mac);
    }

    private void fill(int from) {
        SwitchBatch b = batch;
        b.clear();
        ByteBuffer buf = frames;
        for (int i = from; i < from + BATCH; i++) {
            b.add(ingress[i], buf, offsets[i], lengths[i]);
        }
    }

    /**
     * Forwards one batch of 32 frames.
     *
     * @return the bytes the sink consumed so far, so the work is not dead
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long forward() {
        int c = cursor;
        fill(c);
        cursor = (c + BATCH) & (ring - 1);
        now += BATCH * 30L;
        sw.process(batch, now);
        return consumed;
    }

    /**
     * Baseline, not the switch: the MAC table work of the same 32 frames (learn the source, look up the
     * destination), without frames, parsing, classification or output.
     *
     * @return the sum of the ports found, so the lookups are not dead
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long macTableOnly() {
        int c = cursor;
        cursor = (c + BATCH) & (ring - 1);
        long t = now += BATCH * 30L;
        MacLearningTable m = table;
        long sum = 0;
        for (int i = c; i < c + BATCH; i++) {
            m.learn(vlans[i], sources[i], ingress[i], t);
            sum += m.lookup(vlans[i], destinations[i], t);
        }
        return sum;
    }

    /**
     * Baseline, not the switch: filling the batch and parsing the same 32 frames' Ethernet headers (the flyweight's
     * wrap, source and destination), nothing else.
     *
     * @return a value depending on every parse, so it is not dead
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long parseOnly() {
        int c = cursor;
        fill(c);
        cursor = (c + BATCH) & (ring - 1);
        SwitchBatch b = batch;
        EthernetFrame f = frame;
        long x = 0;
        for (int i = 0; i < BATCH; i++) {
            f.wrap(b.buffer(i), b.offset(i), b.length(i));
            x += f.source() ^ f.destination() ^ f.tagCount();
        }
        return x;
    }
}
