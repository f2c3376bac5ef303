package dev.iov.bench.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iov.api.cluster.Membership;
import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.event.FabricEvent;
import dev.iov.api.event.FabricListener;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.FabricBuilder;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.MacPool;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.journal.JournalStateStore;
import dev.iov.bench.fabric.JmhJson;
import dev.iov.bench.fabric.LatencyRecorder;
import dev.iov.store.zookeeper.ZooKeeperMembership;
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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Provisioning throughput of {@link Fabric} with 1, 2 and 4 management nodes on one 3-server ZooKeeper ensemble, as
 * a cluster runs them, against one node on the embedded journal store; and the lag from a provision returning on
 * one node to its {@link FabricEvent.VnicProvisioned} on every other node. A macro benchmark (whole provision calls
 * across threads and clients, a real ensemble that fsyncs its log), so a timed harness rather than JMH.
 *
 * <p>Each management node is a {@link ZooKeeperStateStore} (its own client and session) with a membership
 * ({@code store.membership("node-" + n)}), a {@link Fabric} built with it, and a {@link SharedAddressPool} of MACs
 * ({@code PER_NODE} chunks). With a membership, admission is cluster-wide: each uplink's sums are a record in the
 * store, changed in the same transaction as the vNIC record. So a provision is two writes: one multi-op with the MAC
 * chunk, the vNIC record with its intent and the uplink's sums, then the attached record. {@code threads} threads
 * per node provision vNICs on embedded backends (one device per host, shared by the nodes as one switch would be),
 * so the figures are the control plane's.
 *
 * <p>The hosts: 16 hosts with one 400 Gbit/s uplink each, vNICs spread round-robin, every vNIC with a 10 Mbit/s
 * rate limit so that admission under {@code reject} admits them all. One more run puts every vNIC on a single
 * uplink: the nodes then contend for that uplink's sums record, which is what that run measures. One more run uses
 * {@code FIRST_FIT} MAC chunks (every node fills the same chunk first) with two nodes: contention on a pool chunk,
 * the measurement behind {@code PER_NODE} being the default. (The former {@code LEASED} bound, a MAC range owned
 * outright with no pool write, is gone: the chunk's compare-and-set now rides in the vNIC's own multi-op, so leasing
 * would save no round trip.)
 *
 * <p>Every store is wrapped to count its writes ({@code put}, {@code delete}, {@code commit}: a round trip to the
 * ensemble each; reads come from the local replica), the time in them, and the compare-and-set conflicts by key.
 * With several nodes every node listens; for each vNIC the time from its provision returning on its node to the
 * {@code VnicProvisioned} event (whose {@code node()} names that node) on each other node is the lag. Events that
 * arrive before the provision returns count as 0 ms. At the end the harness waits up to 30 s for every event; one
 * still missing is an error (printed, counted in {@code lag.missing}, exit status 3 after the files are written).
 * So is a provision that fails (counted in {@code failed}, not in the throughput; the first exception is printed).
 * A compare-and-set conflict costs one failed write (counted in writes/vNIC) and one read of the record from the
 * ensemble (not counted), so round trips per vNIC are writes plus conflicts.
 *
 * <p>With {@code -Diov.bench.packets} it also prints, per ZooKeeper configuration, the requests the three servers
 * received per vNIC (their JMX {@code PacketsReceived}): writes, the reads with which every node's store follows
 * each changed record, conflicts' re-reads, pings. A diagnostic for where the ensemble's time goes.
 *
 * <p>The ensemble runs in this JVM (Curator's {@code TestingCluster}, data in temporary directories on the local
 * disk), so servers and clients share the machine's cores: absolute figures are lower than on a real ensemble.
 *
 * <pre>{@code
 * ./mvnw -B -q package -pl iov-bench -am -DskipTests
 * java -cp iov-bench/target/benchmarks.jar dev.iov.bench.cluster.ClusterProvisioning \
 *     [--vnics N] [--threads T] [--tsv FILE] [--json FILE]
 * }</pre>
 * {@code --vnics} is the number provisioned per configuration (default 2000), {@code --threads} the threads per node
 * (default 4). {@code --tsv} also writes the table as tab-separated values with a header line; {@code --json} writes
 * it in the shape of JMH's {@code -rf json} output (benchmark {@code ClusterProvisioning.provision}, parameters
 * {@code store}, {@code nodes}, {@code selection}, {@code uplinks}, {@code vnics}, {@code threadsPerNode}; latency
 * percentiles in ms/op; secondary metrics {@code throughput}, {@code wall}, {@code writes.per.vnic},
 * {@code conflicts.per.vnic}, {@code sums.conflicts.per.vnic}, {@code pool.conflicts.per.vnic}, {@code write.ms},
 * {@code failed} and, with several nodes, {@code lag.p50}, {@code lag.p99}, {@code lag.max} (ms), {@code lag.events} and
 * {@code lag.missing}), which is what {@code iov-bench/report.sh} puts into the report.
 */
public final class ClusterProvisioning {

    /** Exit status when every configuration ran but some provisions failed or some events never arrived. */
    static final int EVENTS_MISSING = 3;
    private static final int HOSTS = 16;
    private static final Bandwidth UPLINK = Bandwidth.ofGbps(400);
    private static final Bandwidth VNIC_LIMIT = Bandwidth.ofMbps(10);
    private static final Network TENANT = Network.vlan("tenant-a", VlanId.of(10));
    private static final String POOL_KEYS = "iov/pools/mac/";
    private static final MacAddress FIRST_MAC = MacAddress.parse("02:00:00:00:00:00");
    private static final MacAddress LAST_MAC = MacAddress.parse("02:00:00:ff:ff:ff");
    private static final int WARMUP_VNICS = 200;
    private static final long LAG_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final String RUN = "run-";
    private static final String BENCHMARK = ClusterProvisioning.class.getName() + ".provision";

    private ClusterProvisioning() {
    }

    /** One configuration to measure. */
    private record Config(String store, int nodes, ChunkSelection selection, int uplinks) {
        String selectionName() {
            return selection == null ? "-" : selection.name();
        }
    }

    /**
     * One measured configuration; {@code sortedNanos} holds every provision's latency, ascending, {@code lagNanos}
     * every (vNIC, other node) lag, ascending (empty with one node).
     */
    private record Result(Config config, int vnics, int threads, double seconds, long[] sortedNanos,
            double writesPerVnic, double conflictsPerVnic, double sumsConflictsPerVnic, double poolConflictsPerVnic,
            double writeMillis, long[] lagNanos, long lagMissing, long misattributed, long failed,
            String firstFailure) {

        /** @return vNICs provisioned (failed calls not counted) per second */
        double perSecond() {
            return (vnics - failed) / seconds;
        }

        double p50Millis() {
            return LatencyRecorder.percentile(sortedNanos, 50.0) / 1e6;
        }

        double p99Millis() {
            return LatencyRecorder.percentile(sortedNanos, 99.0) / 1e6;
        }

        boolean hasLag() {
            return config.nodes() > 1;
        }

        double lagMillis(double percent) {
            return lagNanos.length == 0 ? Double.NaN : LatencyRecorder.percentile(lagNanos, percent) / 1e6;
        }
    }

    /**
     * Runs every configuration and prints the table.
     *
     * @param args {@code [--vnics N] [--threads T] [--tsv FILE] [--json FILE]}
     * @throws Exception when the ensemble cannot start or a provision fails
     */
    public static void main(String[] args) throws Exception {
        int status;
        try {
            status = run(args);
        } catch (Exception | Error e) {
            // The in-process servers install an uncaught-exception handler that exits without a word; say why.
            e.printStackTrace();
            status = 1;
        }
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs every configuration, prints the table and writes the files asked for.
     *
     * @param args as {@link #main}
     * @return 0, or {@link #EVENTS_MISSING} when some vNIC's event never reached another node
     * @throws Exception when the ensemble cannot start or a provision fails
     */
    static int run(String[] args) throws Exception {
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
            List<Config> configs = List.of(
                    new Config("zookeeper", 1, ChunkSelection.PER_NODE, HOSTS),
                    new Config("zookeeper", 2, ChunkSelection.PER_NODE, HOSTS),
                    new Config("zookeeper", 4, ChunkSelection.PER_NODE, HOSTS),
                    new Config("zookeeper", 2, ChunkSelection.PER_NODE, 1),
                    new Config("zookeeper", 2, ChunkSelection.FIRST_FIT, HOSTS));
            for (Config config : configs) {
                results.add(zooKeeper(ensemble.getConnectString(), "bench/run" + namespaces.incrementAndGet(),
                        config, threads, vnics));
            }
        }
        print(System.out, results, threads);
        if (tsv != null) {
            writeTsv(tsv, results);
        }
        if (json != null) {
            writeJson(json, results);
        }
        long missing = results.stream().mapToLong(r -> r.lagMissing() + r.misattributed()).sum();
        long failed = results.stream().mapToLong(Result::failed).sum();
        if (missing > 0 || failed > 0) {
            System.err.println("ClusterProvisioning: ERROR: " + failed + " provision(s) failed, " + missing
                    + " VnicProvisioned event(s) never reached another node within "
                    + TimeUnit.NANOSECONDS.toSeconds(LAG_WAIT_NANOS) + " s (or named the wrong node)");
            return EVENTS_MISSING;
        }
        return 0;
    }

    private static Result journal(int vnics, int threads) throws Exception {
        Path directory = Files.createTempDirectory("iov-bench-journal");
        CountingStore.Counts counts = new CountingStore.Counts();
        Config config = new Config("journal", 1, null, HOSTS);
        try (StateStore store = new CountingStore(JournalStateStore.open(directory), POOL_KEYS, counts)) {
            Map<String, EmbeddedDevice> devices = new ConcurrentHashMap<>();
            Fabric fabric = hosts(Fabric.builder().store(store).macPool(MacPool.ofRange(FIRST_MAC, LAST_MAC)),
                    config.uplinks(), devices).build();
            try {
                fabric.defineNetwork(TENANT);
                Lag lag = new Lag(1);
                provision(List.of(fabric), List.of("local"), config.uplinks(), threads, WARMUP_VNICS, "warm-", lag);
                counts.reset();
                return measure(config, List.of(fabric), List.of("local"), threads, vnics, counts, lag);
            } finally {
                fabric.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Result zooKeeper(String connectString, String namespace, Config config, int threads, int vnics)
            throws Exception {
        CountingStore.Counts counts = new CountingStore.Counts();
        List<StateStore> stores = new ArrayList<>();
        List<ZooKeeperMembership> memberships = new ArrayList<>();
        List<Fabric> fabrics = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, EmbeddedDevice> devices = new ConcurrentHashMap<>();
        Lag lag = new Lag(config.nodes());
        try {
            // Node 0 declares the network before the others start, as an operator would; they load it.
            for (int n = 0; n < config.nodes(); n++) {
                String id = "node-" + n;
                ZooKeeperStateStore zk = ZooKeeperStateStore.builder().connectString(connectString)
                        .namespace(namespace).build();
                StateStore store = new CountingStore(zk, POOL_KEYS, counts);
                stores.add(store);
                ZooKeeperMembership membership = zk.membership(id);
                memberships.add(membership);
                Fabric fabric = hosts(Fabric.builder().store(store).nodeId(id).membership(membership)
                        .macPool(SharedAddressPool.macs(store, POOL_KEYS, FIRST_MAC, LAST_MAC, config.selection()))
                        .listener(lag.listener(n, id)), config.uplinks(), devices).build();
                if (n == 0) {
                    fabric.defineNetwork(TENANT);
                }
                fabrics.add(fabric);
                ids.add(id);
            }
            provision(fabrics, ids, config.uplinks(), threads, WARMUP_VNICS, "warm-", lag);
            counts.reset();
            long packets = serverPackets();
            Result result = measure(config, fabrics, ids, threads, vnics, counts, lag);
            long received = serverPackets() - packets;
            if (packets >= 0 && System.getProperty("iov.bench.packets") != null) {
                System.out.printf(Locale.ROOT, "%d nodes, %d uplinks, %s: %.2f requests received by the servers per "
                        + "vNIC%n", config.nodes(), config.uplinks(), config.selectionName(), received / (double) vnics);
            }
            return result;
        } finally {
            fabrics.forEach(Fabric::close);
            memberships.forEach(Membership::close);
            stores.forEach(StateStore::close);
        }
    }

    /** @return the requests the in-process servers received so far (JMX), -1 when they publish none */
    private static long serverPackets() {
        try {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            long sum = 0;
            boolean any = false;
            for (javax.management.ObjectName name : server.queryNames(
                    new javax.management.ObjectName("org.apache.ZooKeeperService:*"), null)) {
                try {
                    Object value = server.getAttribute(name, "PacketsReceived");
                    if (value instanceof Number) {
                        sum += ((Number) value).longValue();
                        any = true;
                    }
                } catch (javax.management.JMException e) {
                    // not a server bean
                }
            }
            return any ? sum : -1;
        } catch (javax.management.JMException e) {
            return -1;
        }
    }

    private static FabricBuilder hosts(FabricBuilder builder, int uplinks, Map<String, EmbeddedDevice> devices) {
        builder.oversubscription(OversubscriptionPolicy.reject());
        for (int h = 0; h < uplinks; h++) {
            String id = "h" + h;
            builder.host(Host.of(id, Uplink.ethernet("eth0", UPLINK, BackendKind.VSWITCH_PORT)),
                    new EmbeddedBackend(id + "-vs", BackendKind.VSWITCH_PORT, EnumSet.allOf(Capability.class),
                            devices.computeIfAbsent(id, k -> new EmbeddedDevice())));
        }
        return builder;
    }

    private static Result measure(Config config, List<Fabric> fabrics, List<String> ids, int threads, int vnics,
            CountingStore.Counts counts, Lag lag) throws Exception {
        long start = System.nanoTime();
        long[] latencies = provision(fabrics, ids, config.uplinks(), threads, vnics, RUN, lag);
        double seconds = (System.nanoTime() - start) / 1e9;
        long writes = counts.writes.sum();
        double writeMillis = writes == 0 ? Double.NaN : counts.writeNanos.sum() / 1e6 / writes;
        double per = vnics;
        Result partial = new Result(config, vnics, threads, seconds, latencies, writes / per,
                counts.conflicts() / per, counts.sumsConflicts.sum() / per, counts.poolConflicts.sum() / per,
                writeMillis, new long[0], 0, 0, lag.failed.sum(), lag.firstFailure);
        Arrays.sort(latencies);
        if (config.nodes() == 1) {
            return partial;
        }
        lag.await(LAG_WAIT_NANOS);
        long[] lags = lag.lags(ids);
        long expected = (long) lag.returned.size() * (config.nodes() - 1);
        return new Result(config, vnics, threads, seconds, latencies, partial.writesPerVnic(),
                partial.conflictsPerVnic(), partial.sumsConflictsPerVnic(), partial.poolConflictsPerVnic(),
                writeMillis, lags, expected - lags.length, lag.misattributed.sum(), lag.failed.sum(),
                lag.firstFailure);
    }

    /**
     * When each vNIC's provision returned, and when each node saw each other node's vNIC: {@code returned} is filled
     * by the provisioning threads, {@code seen[n]} by node n's listener, so they may arrive in either order.
     */
    private static final class Lag {
        final Map<String, Long> returned = new ConcurrentHashMap<>();
        final Map<String, Integer> madeBy = new ConcurrentHashMap<>();
        final List<Map<String, Long>> seen = new ArrayList<>();
        final List<Map<String, String>> seenFrom = new ArrayList<>();
        final LongAdder misattributed = new LongAdder();
        final LongAdder failed = new LongAdder();
        volatile String firstFailure;

        Lag(int nodes) {
            for (int n = 0; n < nodes; n++) {
                seen.add(new ConcurrentHashMap<>());
                seenFrom.add(new ConcurrentHashMap<>());
            }
        }

        FabricListener listener(int n, String self) {
            Map<String, Long> mine = seen.get(n);
            Map<String, String> from = seenFrom.get(n);
            return event -> {
                if (event instanceof FabricEvent.VnicProvisioned && !self.equals(event.node())) {
                    long now = System.nanoTime();
                    String vnic = ((FabricEvent.VnicProvisioned) event).vnic().id().value();
                    if (vnic.startsWith(RUN)) {
                        mine.putIfAbsent(vnic, now);
                        from.putIfAbsent(vnic, String.valueOf(event.node()));
                    }
                }
            };
        }

        void provisioned(String vnic, int node, long nanos) {
            madeBy.put(vnic, node);
            returned.put(vnic, nanos);
        }

        /** Waits until every node has seen every other node's vNIC, or the timeout passes. */
        void await(long timeoutNanos) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (System.nanoTime() < deadline) {
                long have = 0;
                long want = 0;
                for (int n = 0; n < seen.size(); n++) {
                    have += seen.get(n).size();
                    int node = n;
                    want += madeBy.values().stream().filter(m -> m != node).count();
                }
                if (have >= want) {
                    return;
                }
                Thread.sleep(20);
            }
        }

        /** @return every (vNIC, other node) lag in ns, ascending; an event before the return counts as 0 */
        long[] lags(List<String> ids) {
            List<Long> all = new ArrayList<>();
            for (int n = 0; n < seen.size(); n++) {
                for (Map.Entry<String, Long> e : seen.get(n).entrySet()) {
                    Integer maker = madeBy.get(e.getKey());
                    Long back = returned.get(e.getKey());
                    if (maker == null || back == null || maker == n) {
                        continue;
                    }
                    if (!ids.get(maker).equals(seenFrom.get(n).get(e.getKey()))) {
                        misattributed.increment();
                    }
                    all.add(Math.max(0, e.getValue() - back));
                }
            }
            return all.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    /**
     * Provisions {@code count} vNICs spread over every node's threads and round-robin over the hosts; returns each
     * call's latency in ns and tells {@code lag} when each returned.
     */
    private static long[] provision(List<Fabric> fabrics, List<String> ids, int hosts, int threadsPerNode, int count,
            String prefix, Lag lag) throws Exception {
        int workers = fabrics.size() * threadsPerNode;
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int node = w % fabrics.size();
                Fabric fabric = fabrics.get(node);
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String id = prefix + i;
                        VnicSpec spec = VnicSpec.builder(id, "vm-" + i, "tenant-a").maxRate(VNIC_LIMIT).build();
                        long t0 = System.nanoTime();
                        try {
                            fabric.provision("h" + (i % hosts), spec);
                        } catch (RuntimeException e) {
                            // Counted and reported, not fatal: the run goes on and says how many failed, and why.
                            if (!prefix.equals(RUN)) {
                                continue;
                            }
                            lag.failed.increment();
                            if (lag.firstFailure == null) {
                                lag.firstFailure = e.toString();
                            }
                            latencies[i] = System.nanoTime() - t0;
                            continue;
                        }
                        long t1 = System.nanoTime();
                        latencies[i] = t1 - t0;
                        if (prefix.equals(RUN)) {
                            lag.provisioned(id, node, t1);
                        }
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

    private static String label(Config c) {
        return c.uplinks() == 1 ? "1 (hot)" : Integer.toString(c.uplinks());
    }

    private static void print(PrintStream out, List<Result> results, int threads) {
        double journal = results.get(0).perSecond();
        out.printf(Locale.ROOT, "%nFabric.provision throughput, %d thread(s) per node, 3-server ensemble in-process, "
                + "%d hosts unless 'uplinks' says 1%n", threads, HOSTS);
        out.printf(Locale.ROOT, "%-9s %5s %-9s %-7s %6s %8s %8s %8s %8s %8s %8s %8s %9s %9s %9s %7s%n", "store",
                "nodes", "chunks", "uplinks", "vnics", "vnics/s", "p50 ms", "p99 ms", "writes/v", "confl/v",
                "sums/v", "write ms", "lag50 ms", "lag99 ms", "lagmax ms", "vs jrnl");
        for (Result r : results) {
            Config c = r.config();
            out.printf(Locale.ROOT, "%-9s %5d %-9s %-7s %6d %8.0f %8.2f %8.2f %8.3f %8.3f %8.3f %8.2f %9s %9s %9s "
                    + "%7.2f%n", c.store(), c.nodes(), c.selectionName(), label(c), r.vnics(), r.perSecond(),
                    r.p50Millis(), r.p99Millis(), r.writesPerVnic(), r.conflictsPerVnic(), r.sumsConflictsPerVnic(),
                    r.writeMillis(), lagText(r, 50.0), lagText(r, 99.0), lagText(r, 100.0), r.perSecond() / journal);
        }
        for (Result r : results) {
            if (r.failed() > 0) {
                out.printf(Locale.ROOT, "ERROR: %s %d nodes, %s uplinks: %d provision(s) failed, the first with %s%n",
                        r.config().store(), r.config().nodes(), label(r.config()), r.failed(), r.firstFailure());
            }
            if (r.lagMissing() > 0 || r.misattributed() > 0) {
                out.printf(Locale.ROOT, "ERROR: %s %d nodes, %s uplinks: %d event(s) missing, %d with the wrong "
                        + "node()%n", r.config().store(), r.config().nodes(), label(r.config()), r.lagMissing(),
                        r.misattributed());
            }
        }
    }

    private static String lagText(Result r, double percent) {
        return r.hasLag() ? String.format(Locale.ROOT, "%.1f", r.lagMillis(percent)) : "-";
    }

    private static void writeTsv(Path file, List<Result> results) throws IOException {
        StringBuilder text = new StringBuilder("store\tnodes\tmac_chunks\tuplinks\tvnics\tvnics_per_s\tp50_ms\tp99_ms"
                + "\twrites_per_vnic\tconflicts_per_vnic\tsums_conflicts_per_vnic\tpool_conflicts_per_vnic\twrite_ms"
                + "\tlag_p50_ms\tlag_p99_ms\tlag_max_ms\tlag_missing\n");
        for (Result r : results) {
            Config c = r.config();
            text.append(String.format(Locale.ROOT, "%s\t%d\t%s\t%d\t%d\t%.1f\t%.3f\t%.3f\t%.3f\t%.4f\t%.4f\t%.4f\t%.3f"
                    + "\t%.3f\t%.3f\t%.3f\t%d%n", c.store(), c.nodes(), c.selectionName(), c.uplinks(), r.vnics(),
                    r.perSecond(), r.p50Millis(), r.p99Millis(), r.writesPerVnic(), r.conflictsPerVnic(),
                    r.sumsConflictsPerVnic(), r.poolConflictsPerVnic(), r.writeMillis(), r.lagMillis(50.0),
                    r.lagMillis(99.0), r.lagMillis(100.0), r.lagMissing()));
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void writeJson(Path file, List<Result> results) throws IOException {
        JmhJson json = new JmhJson();
        for (Result r : results) {
            Config c = r.config();
            Map<String, String> params = new LinkedHashMap<>();
            params.put("store", c.store());
            params.put("nodes", Integer.toString(c.nodes()));
            params.put("selection", c.selectionName());
            params.put("uplinks", Integer.toString(c.uplinks()));
            params.put("vnics", Integer.toString(r.vnics()));
            params.put("threadsPerNode", Integer.toString(r.threads()));
            ObjectNode result = json.add(BENCHMARK, "sample", c.nodes() * r.threads(), params);
            JmhJson.primary(result, r.sortedNanos(), "ms/op", 1e6);
            JmhJson.secondary(result, "throughput", r.perSecond(), "ops/s");
            JmhJson.secondary(result, "wall", r.seconds(), "s");
            JmhJson.secondary(result, "writes.per.vnic", r.writesPerVnic(), "writes/vNIC");
            JmhJson.secondary(result, "conflicts.per.vnic", r.conflictsPerVnic(), "conflicts/vNIC");
            JmhJson.secondary(result, "sums.conflicts.per.vnic", r.sumsConflictsPerVnic(), "conflicts/vNIC");
            JmhJson.secondary(result, "pool.conflicts.per.vnic", r.poolConflictsPerVnic(), "conflicts/vNIC");
            JmhJson.secondary(result, "write.ms", r.writeMillis(), "ms/write");
            JmhJson.secondary(result, "failed", r.failed(), "provisions");
            if (r.hasLag()) {
                JmhJson.secondary(result, "lag.p50", r.lagMillis(50.0), "ms");
                JmhJson.secondary(result, "lag.p99", r.lagMillis(99.0), "ms");
                JmhJson.secondary(result, "lag.max", r.lagMillis(100.0), "ms");
                JmhJson.secondary(result, "lag.events", r.lagNanos().length, "events");
                JmhJson.secondary(result, "lag.missing", r.lagMissing() + r.misattributed(), "events");
            }
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
