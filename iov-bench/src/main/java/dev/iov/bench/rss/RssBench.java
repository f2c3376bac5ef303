package dev.iov.bench.rss;

import dev.iov.ethernet.rss.ReferenceToeplitz;
import dev.iov.ethernet.rss.Reta;
import dev.iov.ethernet.rss.RssQueueSelector;
import dev.iov.ethernet.rss.ToeplitzHash;
import java.nio.ByteBuffer;
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
 * <p>{@code queueOfIpv4TcpFrame} is the whole receive-side steering of a multi-queue port: parse a 64-byte
 * IPv4+TCP frame (Ethernet, IPv4, TCP ports), hash its 4-tuple and read the RETA, with {@link RssQueueSelector}.
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
    private final RssQueueSelector selector = new RssQueueSelector(toeplitz, Reta.of(128, 4));
    private ByteBuffer frames;

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
        frames = ByteBuffer.allocateDirect(RssTuples.COUNT * FRAME);
        for (int i = 0; i < RssTuples.COUNT; i++) {
            putIpv4TcpFrame(frames, i * FRAME, v4Src[i], v4Dst[i], v4Sport[i], v4Dport[i]);
            v4.check(i, selector.hash(frames, i * FRAME, FRAME), "RssQueueSelector");
        }
    }

    private static final int FRAME = 64;

    /** A minimal 64-byte Ethernet + IPv4 (20 bytes, no options) + TCP (20 bytes) frame; checksums are not read. */
    private static void putIpv4TcpFrame(ByteBuffer b, int at, int src, int dst, int sport, int dport) {
        b.putLong(at, 0x0269_6f00_0001_0269L).putInt(at + 8, 0x6f00_0002).putShort(at + 12, (short) 0x0800);
        int ip = at + 14;
        b.put(ip, (byte) 0x45).putShort(ip + 2, (short) (FRAME - 14)).put(ip + 8, (byte) 64).put(ip + 9, (byte) 6);
        b.putInt(ip + 12, src).putInt(ip + 16, dst);
        int tcp = ip + 20;
        b.putShort(tcp, (short) sport).putShort(tcp + 2, (short) dport).put(tcp + 12, (byte) 0x50);
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

    /** @return the sum of the queues chosen for 32 IPv4+TCP frames (parse, 4-tuple hash, RETA) */
    @Benchmark
    @OperationsPerInvocation(RssTuples.COUNT)
    public int queueOfIpv4TcpFrame() {
        final RssQueueSelector s = selector;
        final ByteBuffer b = frames;
        int folded = 0;
        for (int i = 0; i < RssTuples.COUNT; i++) {
            folded += s.queue(b, i * FRAME, FRAME);
        }
        return folded;
    }
}
