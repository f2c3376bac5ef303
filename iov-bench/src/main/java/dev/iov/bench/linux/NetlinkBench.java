package dev.iov.bench.linux;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VethSpec;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One link change, the MTU of a veth, made two ways in the same run: a request on iov's rtnetlink socket, and
 * forking {@code ip link set dev X mtu N} as management tools commonly do. Both act on a veth in a network namespace
 * the benchmark creates and deletes, so the host's own links are never touched. Needs root.
 *
 * <pre>{@code java -jar iov-bench/target/benchmarks.jar NetlinkBench}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetlinkBench {
    private static final InterfaceName VETH = InterfaceName.of("iov-b0");
    private static final InterfaceName PEER = InterfaceName.of("iov-b1");

    private NetworkNamespace namespace;
    private Rtnetlink rtnetlink;
    private int mtu = 1500;

    /** Creates the namespace and the veth the changes are made on. */
    @Setup(Level.Trial)
    public void createVeth() {
        namespace = NetworkNamespace.create("iov-bench-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()));
        rtnetlink = Rtnetlink.open(namespace);
        rtnetlink.createVeth(VethSpec.of(VETH, PEER));
    }

    /** Deletes the namespace and everything in it. */
    @TearDown(Level.Trial)
    public void deleteNamespace() {
        rtnetlink.close();
        namespace.close();
    }

    private int nextMtu() {
        mtu = mtu == 1500 ? 1400 : 1500;
        return mtu;
    }

    /** @return the MTU set: one RTM_NEWLINK with IFLA_MTU, acknowledged by the kernel */
    @Benchmark
    public int netlink() {
        int value = nextMtu();
        rtnetlink.setMtu(VETH, value);
        return value;
    }

    /**
     * @return ip's exit code: fork and exec of iproute2 for the same change
     * @throws IOException when ip cannot be started
     * @throws InterruptedException when interrupted while waiting for it
     */
    @Benchmark
    public int forkIp() throws IOException, InterruptedException {
        Process ip = new ProcessBuilder("ip", "-n", namespace.name(), "link", "set", "dev", VETH.value(), "mtu",
                Integer.toString(nextMtu())).redirectErrorStream(true).start();
        ip.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        int exit = ip.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("ip link set failed with exit code " + exit);
        }
        return exit;
    }
}
