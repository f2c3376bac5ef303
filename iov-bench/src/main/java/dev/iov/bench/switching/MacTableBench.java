package dev.iov.bench.switching;

import dev.iov.ethernet.switching.LearnResult;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two per-frame MAC table operations of a switch, iov against general-purpose maps in the same run.
 *
 * <ul>
 *   <li>{@code lookup}: a hit for a destination, keys taken in a shuffled order from a precomputed array so neither the
 *       table's layout nor the CPU's prefetcher sees a pattern.
 *   <li>{@code learn}: a refresh of a known source on the same port with a new timestamp, which is what a switch does
 *       for nearly every frame.
 * </ul>
 *
 * <p>Every implementation packs the key the same way, keeps a port and a last-seen time, applies the same aging test
 * and returns the same result codes ({@link MacTable}). Peers: {@code hashmap} is {@code HashMap<Long, PortAndTime>};
 * {@code fastutil} ({@code Long2IntOpenHashMap}) and {@code agrona} ({@code Long2LongHashMap}) map the key to an index
 * into parallel port and time arrays, at iov's load factor of one half. Dispatch:
 * the {@link MacTable} call site is an interface call, but JMH runs each {@code impl} in its own forked JVM, so that
 * call site only ever sees one receiver class: it is monomorphic, inlined behind one class check, and costs every
 * implementation the same. Setup allocates; the measured methods of iov allocate nothing ({@code -prof gc}).
 *
 * <pre>{@code java -jar iov-bench/target/benchmarks.jar MacTableBench -prof gc}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(2)
public class MacTableBench {
    /** A switch's ports: sources are spread over them round-robin. */
    private static final int PORTS = 8;
    /** VLANs the addresses are spread over. */
    private static final int VLANS = 16;

    /** Which table: {@code iov}, or a peer built on {@code hashmap}, {@code fastutil} or {@code agrona}. */
    @Param({"iov", "hashmap", "fastutil", "agrona"})
    public String impl;

    /** Learned addresses; a power of two so the key cursor wraps with a mask. */
    @Param({"4096", "65536"})
    public int size;

    private MacTable table;
    private int[] vlans;
    private long[] macs;
    private int[] ports;
    private int cursor;
    private long now;

    /** Learns {@code size} random (VLAN, MAC) pairs, then shuffles the order in which they are used. */
    @Setup(Level.Trial)
    public void fill() {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size " + size + " is not a power of two");
        }
        table = create(impl, size);
        vlans = new int[size];
        macs = new long[size];
        ports = new int[size];
        SplittableRandom random = new SplittableRandom(0x10_7ab1eL);
        Set<Long> keys = new HashSet<>();
        for (int i = 0; i < size; ) {
            int vlan = 1 + random.nextInt(VLANS);
            // Locally administered unicast (02:...), the kind a hypervisor hands its vNICs.
            long mac = 0x0200_0000_0000L | random.nextLong(1L << 40);
            if (keys.add(MacTable.key(vlan, mac))) {
                vlans[i] = vlan;
                macs[i] = mac;
                ports[i] = i % PORTS;
                table.learn(vlan, mac, ports[i], 0);
                i++;
            }
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int v = vlans[i];
            vlans[i] = vlans[j];
            vlans[j] = v;
            long m = macs[i];
            macs[i] = macs[j];
            macs[j] = m;
            int p = ports[i];
            ports[i] = ports[j];
            ports[j] = p;
        }
        now = 1;
        for (int i = 0; i < size; i++) {
            if (table.lookup(vlans[i], macs[i], now) != ports[i]) {
                throw new IllegalStateException(impl + " lost entry " + i);
            }
        }
    }

    private static MacTable create(String impl, int size) {
        switch (impl) {
            case "iov":
                return new IovMacTable(size, PORTS);
            case "hashmap":
                return new HashMapMacTable(size);
            case "fastutil":
                return new FastutilMacTable(size);
            case "agrona":
                return new AgronaMacTable(size);
            default:
                throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    /** @return the port of a known destination: one hit */
    @Benchmark
    public int lookup() {
        int i = cursor;
        cursor = (i + 1) & (size - 1);
        return table.lookup(vlans[i], macs[i], now);
    }

    /** @return {@link LearnResult#REFRESHED}: a known source seen again on its port, one nanosecond later */
    @Benchmark
    public LearnResult learn() {
        int i = cursor;
        cursor = (i + 1) & (size - 1);
        return table.learn(vlans[i], macs[i], ports[i], ++now);
    }
}
