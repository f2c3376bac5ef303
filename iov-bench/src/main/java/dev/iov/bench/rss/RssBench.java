package dev.iov.bench.rss;

import dev.iov.ethernet.rss.ReferenceToeplitz;
import dev.iov.ethernet.rss.ToeplitzHash;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RSS hash of a flow: iov's table-driven {@link ToeplitzHash} for IPv4+TCP and IPv6+TCP 4-tuples, and the
 * bit-by-bit {@link ReferenceToeplitz} as the baseline. Scores are ns per hash.
 *
 * <p>Each invocation hashes the {@value RssTuples#COUNT} tuples of {@link RssTuples} (Microsoft's verification
 * flows) in a loop, folding the hashes with XOR into the returned value, and counts as {@value RssTuples#COUNT}
 * operations. That is exactly the loop the C peer ({@code iov-bench/peers/rss_softrss.c}, DPDK's {@code rte_softrss})
 * times, and how the switch uses the hash (once per frame of a batch of 32). A single hash per invocation would add
 * JMH's own per-call cost (1.5-2.5 ns on the 2-vCPU development VM, a third of an IPv4 hash), which the C loop does
 * not pay. The inputs live in arrays, so the JIT cannot fold them; {@link RssComparison} runs both sides and prints
 * the ratio.
 *
 * <pre>{@code java -jar iov-bench/target/benchmarks.jar RssBench -prof gc}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RssBench {

    private final ToeplitzHash toeplitz = ToeplitzHash.microsoft();
    private final ReferenceToeplitz reference = ReferenceToeplitz.of(toeplitz.key());

    private int[] v4Src;
    private int[] v4Dst;
    private int[] v4Sport;
    private int[] v4Dport;
    private long[] v6SrcHi;
    private long[] v6SrcLo;
    private long[] v6DstHi;
    private long[] v6DstLo;
    private int[] v6Sport;
    private int[] v6Dport;

    /** Loads the tuples and checks that each implementation gives Microsoft's hashes before anything is timed. */
    @Setup
    public void loadTuples() {
        RssTuples v4 = RssTuples.ipv4();
        RssTuples v6 = RssTuples.ipv6();
        v4Src = v4.srcWords(0);
        v4Dst = v4.dstWords(0);
        v4Sport = v4.sports();
        v4Dport = v4.dports();
        v6SrcHi = v6.srcLongs(0);
        v6SrcLo = v6.srcLongs(8);
        v6DstHi = v6.dstLongs(0);
        v6DstLo = v6.dstLongs(8);
        v6Sport = v6.sports();
        v6Dport = v6.dports();
        for (int i = 0; i < RssTuples.COUNT; i++) {
            v4.check(i, toeplitz.hashIpv4(v4Src[i], v4Dst[i], v4Sport[i], v4Dport[i]), "ToeplitzHash");
            v4.check(i, reference.hashIpv4(v4Src[i], v4Dst[i], v4Sport[i], v4Dport[i]), "ReferenceToeplitz");
            v6.check(i, toeplitz.hashIpv6(v6SrcHi[i], v6SrcLo[i], v6DstHi[i], v6DstLo[i], v6Sport[i], v6Dport[i]),
                    "ToeplitzHash");
        }
    }

    /** @return the table-driven hashes of the 8 IPv4+TCP 4-tuples (12 input bytes each), folded by XOR */
    @Benchmark
    @OperationsPerInvocation(RssTuples.COUNT)
    public int toeplitzIpv4Tcp() {
        final ToeplitzHash hash = toeplitz;
        int folded = 0;
        for (int i = 0; i < RssTuples.COUNT; i++) {
            folded ^= hash.hashIpv4(v4Src[i], v4Dst[i], v4Sport[i], v4Dport[i]);
        }
        return folded;
    }

    /** @return the table-driven hashes of the 8 IPv6+TCP 4-tuples (36 input bytes each), folded by XOR */
    @Benchmark
    @OperationsPerInvocation(RssTuples.COUNT)
    public int toeplitzIpv6Tcp() {
        final ToeplitzHash hash = toeplitz;
        int folded = 0;
        for (int i = 0; i < RssTuples.COUNT; i++) {
            folded ^= hash.hashIpv6(v6SrcHi[i], v6SrcLo[i], v6DstHi[i], v6DstLo[i], v6Sport[i], v6Dport[i]);
        }
        return folded;
    }

    /** @return the bit-by-bit hashes of the same IPv4+TCP tuples: the textbook loop, as rte_softrss runs it */
    @Benchmark
    @OperationsPerInvocation(RssTuples.COUNT)
    public int referenceIpv4Tcp() {
        final ReferenceToeplitz hash = reference;
        int folded = 0;
        for (int i = 0; i < RssTuples.COUNT; i++) {
            folded ^= hash.hashIpv4(v4Src[i], v4Dst[i], v4Sport[i], v4Dport[i]);
        }
        return folded;
    }
}
