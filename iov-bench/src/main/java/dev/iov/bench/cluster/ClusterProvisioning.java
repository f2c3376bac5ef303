package dev.iov.bench.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.pool.MacPool;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.journal.JournalStateStore;
import dev.iov.bench.fabric.JmhJson;
import dev.iov.bench.fabric.LatencyRecorder;
import dev.iov.store.zookeeper.ZooKeeperStateStore;
import dev.iov.store.zookeeper.pool.SharedAddressPool;
import dev.iov.store.zookeeper.pool.SharedAddressPool.ChunkSelection;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.curator.test.TestingCluster;

/**
 * Provisioning throughput of {@link Fabric} with 1, 2 and 4 management nodes on one 3-server ZooKeeper ensemble,
 * against one node on the embedded journal store. A macro benchmark (whole provision calls across threads and
 * clients, a real ensemble that fsyncs its log), so a timed harness rather than JMH.
 *
 * <p>Each management node is a {@link ZooKeeperStateStore} (its own client and session) with a {@link Fabric} and
 * shared MAC pool instance; {@code threads} threads per node provision vNICs on an embedded backend, so the figures
 * are the control plane's: a provision is one compare-and-set on a pool chunk plus one record write, both through
 * the ensemble's quorum. The MAC pool runs with both chunk selections, which is the measurement behind
 * {@link SharedAddressPool}'s default (per-node chunks against every node filling the same chunk first), and as
 * {@code LEASED}: each node owning a range outright with no pool write, the upper bound of range leases.
 *
 * <p>The ensemble runs in this JVM (Curator's {@code TestingCluster}, data in temporary directories on the local
 * disk), so servers and clients share the machine's cores: absolute figures are lower than on a real ensemble, the
 * comparison between node counts and with the journal is what it shows.
 *
 * <pre>{@code
 * ./mvnw -B -q package -pl iov-bench -am -DskipTests
 * java -cp iov-bench/target/benchmarks.jar dev.iov.bench.cluster.ClusterProvisioning \
 *     [--vnics N] [--threads T] [--tsv FILE] [--json FILE]
 * }</pre>
 * {@code --vnics} is the number provisioned per configuration (default 2000), {@code --threads} the threads per node
 * (default 4). {@code --tsv} also writes the table as tab-separated values with a header line; {@code --json} writes
 * it in the shape of JMH's {@code -rf json} output (benchmark {@code ClusterProvisioning.provision}, parameters
 * {@code store}, {@code nodes}, {@code selection}, {@code vnics}, {@code threadsPerNode}; latency percentiles in
 * ms/op; secondary metrics {@code throughput}, {@code wall} and {@code conflicts.per.vnic}), which is what
 * {@code iov-bench/report.sh} puts into the report.
 */
public final class ClusterProvisioning {

    private static final Host HOST = Host.of("h1",
            Uplink.ethernet("eth0", Bandwidth.ofGbps(400), BackendKind.VSWITCH_PORT));
    private static final Network TENANT = Network.vlan("tenant-a", VlanId.of(10));
    private static final String POOL_KEYS = "iov/pools/mac/";
    private static final int WARMUP_VNICS = 200;
    private static final String BENCHMARK = ClusterProvisioning.class.getName() + ".provision";

    private ClusterProvisioning() {
    }

    /** One measured configuration; {@code sortedNanos} holds every provision's latency, ascending. */
    private record Result(String store, int nodes, String selection, int vnics, int threads, double seconds,
            long[] sortedNanos, double conflictsPerVnic) {

        double perSecond() {
            return vnics / seconds;
        }

        double p50Millis() {
            return LatencyRecorder.percentile(sortedNanos, 50.0) / 1e6;
        }

        double p99Millis() {
            return LatencyRecorder.percentile(sortedNanos, 99.0) / 1e6;
        }
    }

    /**
     * Runs every configuration and prints the table.
     *
     * @param args {@code [--vnics N] [--threads T] [--tsv FILE] [--json FILE]}
     * @throws Exception when the ensemble cannot start or a provision fails
     */
    public static void main(String[] args) throws Exception {
        int vnics = 2000;
        int threads = 4;
        Path tsv = null;
        Path json = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vnics" -> vnics = positive(args, ++i);
                case "--threads" -> threads = positive(args, ++i);
                case "--tsv" -> tsv = Path.of(value(args, ++i));
                case "--json" -> json = Path.of(value(args, ++i));
                default -> usage("unknown option '" + args[i] + "'");
            }
        }
        List<Result> results = new ArrayList<>();
        results.add(journal(vnics, threads));
        try (TestingCluster ensemble = new TestingCluster(3)) {
            ensemble.start();
            AtomicInteger namespaces = new AtomicInteger();
            for (ChunkSelection selection : ChunkSelection.values()) {
                for (int nodes : new int[] {1, 2, 4}) {
                    results.add(zooKeeper(ensemble.getConnectString(), "bench/run" + namespaces.incrementAndGet(),
                            nodes, threads, selection, vnics));
                }
            }
            for (int nodes : new int[] {1, 2, 4}) {
                results.add(zooKeeper(ensemble.getConnectString(), "bench/run" + namespaces.incrementAndGet(),
                        nodes, threads, null, vnics));
            }
        }
        print(System.out, results, threads);
        if (tsv != null) {
            writeTsv(tsv, results);
        }
        if (json != null) {
            writeJson(json, results);
        }
    }

    private static Result journal(int vnics, int threads) throws Exception {
        Path directory = Files.createTempDirectory("iov-bench-journal");
        try (StateStore store = JournalStateStore.open(directory)) {
            Fabric fabric = fabric(store, MacPool.ofRange(MacAddress.parse("02:00:00:00:00:00"),
                    MacAddress.parse("02:00:00:ff:ff:ff")));
            fabric.defineNetwork(TENANT);
            run(List.of(fabric), threads, WARMUP_VNICS, "warm");
            return measure("journal", 1, "-", List.of(fabric), threads, vnics, new LongAdder());
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Result zooKeeper(String connectString, String namespace, int nodes, int threads,
            ChunkSelection selection, int vnics) throws Exception {
        LongAdder conflicts = new LongAdder();
        List<StateStore> stores = new ArrayList<>();
        List<Fabric> fabrics = new ArrayList<>();
        try {
            // Node 0 declares the network before the others start, as an operator would; they load it.
            for (int n = 0; n < nodes; n++) {
                StateStore store = new ConflictCountingStore(ZooKeeperStateStore.builder()
                        .connectString(connectString).namespace(namespace).build(), POOL_KEYS, conflicts);
                stores.add(store);
                Fabric fabric = fabric(store, selection == null ? leasedRange(n) : SharedAddressPool.macs(store,
                        POOL_KEYS, MacAddress.parse("02:00:00:00:00:00"), MacAddress.parse("02:00:00:ff:ff:ff"),
                        selection));
                if (n == 0) {
                    fabric.defineNetwork(TENANT);
                }
                fabrics.add(fabric);
            }
            run(fabrics, threads, WARMUP_VNICS, "warm");
            conflicts.reset();
            return measure("zookeeper", nodes, selection == null ? "LEASED" : selection.name(), fabrics, threads,
                    vnics, conflicts);
        } finally {
            fabrics.forEach(Fabric::close);
            stores.forEach(StateStore::close);
        }
    }

    /**
     * The best a range lease could do: node {@code n} owns 2<sup>20</sup> addresses outright and allocates them in
     * memory, with no pool write at all. (A real lease adds a write per range taken and loses the range's free
     * addresses with the node until the lease expires.)
     */
    private static AddressPool<MacAddress> leasedRange(int n) {
        long first = MacAddress.parse("02:00:00:00:00:00").toLong() + ((long) n << 20);
        return MacPool.ofRange(MacAddress.of(first), MacAddress.of(first + (1 << 20) - 1));
    }

    private static Fabric fabric(StateStore store, AddressPool<MacAddress> macs) {
        return Fabric.builder().store(store).macPool(macs).oversubscription(OversubscriptionPolicy.warn())
                .host(HOST, EmbeddedBackend.of("h1-vs", BackendKind.VSWITCH_PORT)).build();
    }

    private static Result measure(String store, int nodes, String selection, List<Fabric> fabrics, int threads,
            int vnics, LongAdder conflicts) throws Exception {
        long start = System.nanoTime();
        long[] latencies = run(fabrics, threads, vnics, "run");
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Result(store, nodes, selection, vnics, threads, seconds, latencies,
                conflicts.doubleValue() / vnics);
    }

    /** Provisions {@code count} vNICs spread over every node's threads; returns each call's latency in ns. */
    private static long[] run(List<Fabric> fabrics, int threadsPerNode, int count, String tag) throws Exception {
        int workers = fabrics.size() * threadsPerNode;
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Fabric fabric = fabrics.get(w % fabrics.size());
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        VnicSpec spec = VnicSpec.builder(tag + "-" + i, "vm-" + i, "tenant-a").build();
                        long t0 = System.nanoTime();
                        fabric.provision("h1", spec);
                        latencies[i] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return latencies;
    }

    private static void print(PrintStream out, List<Result> results, int threads) {
        double journal = results.get(0).perSecond();
        out.printf(Locale.ROOT, "%nFabric.provision throughput, %d thread(s) per node, 3-server ensemble in-process%n",
                threads);
        out.printf(Locale.ROOT, "%-10s %5s %-10s %7s %10s %9s %9s %14s %10s%n", "store", "nodes", "mac-chunks",
                "vnics", "vnics/s", "p50 ms", "p99 ms", "conflicts/vnic", "vs journal");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-10s %5d %-10s %7d %10.0f %9.2f %9.2f %14.3f %10.2f%n", r.store(), r.nodes(),
                    r.selection(), r.vnics(), r.perSecond(), r.p50Millis(), r.p99Millis(), r.conflictsPerVnic(),
                    r.perSecond() / journal);
        }
    }

    private static void writeTsv(Path file, List<Result> results) throws IOException {
        StringBuilder text = new StringBuilder(
                "store\tnodes\tmac_chunks\tvnics\tvnics_per_s\tp50_ms\tp99_ms\tconflicts_per_vnic\n");
        for (Result r : results) {
            text.append(String.format(Locale.ROOT, "%s\t%d\t%s\t%d\t%.1f\t%.3f\t%.3f\t%.4f%n", r.store(), r.nodes(),
                    r.selection(), r.vnics(), r.perSecond(), r.p50Millis(), r.p99Millis(), r.conflictsPerVnic()));
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void writeJson(Path file, List<Result> results) throws IOException {
        JmhJson json = new JmhJson();
        for (Result r : results) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("store", r.store());
            params.put("nodes", Integer.toString(r.nodes()));
            params.put("selection", r.selection());
            params.put("vnics", Integer.toString(r.vnics()));
            params.put("threadsPerNode", Integer.toString(r.threads()));
            ObjectNode result = json.add(BENCHMARK, "sample", r.nodes() * r.threads(), params);
            JmhJson.primary(result, r.sortedNanos(), "ms/op", 1e6);
            JmhJson.secondary(result, "throughput", r.perSecond(), "ops/s");
            JmhJson.secondary(result, "wall", r.seconds(), "s");
            JmhJson.secondary(result, "conflicts.per.vnic", r.conflictsPerVnic(), "conflicts/vNIC");
        }
        json.write(file);
    }

    private static int positive(String[] args, int i) {
        String text = value(args, i);
        try {
            int number = Integer.parseInt(text);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("'" + text + "' after " + args[i - 1] + " is not a positive number");
        return 0;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("ClusterProvisioning: " + problem);
        System.err.println("usage: ClusterProvisioning [--vnics N] [--threads T] [--tsv FILE] [--json FILE]");
        System.exit(2);
    }
}
