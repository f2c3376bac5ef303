package dev.iov.bench.fabric;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.iov.api.fabric.DriftReport;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.journal.JournalStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * The control plane at scale, measured through the public {@link Fabric}: provision and release 1 000, 10 000 and
 * 100 000 vNICs over 10, 100 and 1 000 simulated hosts ({@link ScaleFabric}), and time drift reports and migration
 * planning against the number of hosts.
 *
 * <p><b>Why a measured harness and not a JMH {@code @Benchmark}.</b> Provisioning is not a repeatable operation: each
 * vNIC exists once, so a run is a fixed batch of N operations on a fabric that grows from 0 to N, and what is asked
 * is the wall time of the batch, the latency of every single operation (p50/p99 over all N, not over iterations), the
 * heap the N vNICs hold, and how these change with N. JMH's single-shot mode would time the batch but not its
 * operations. The harness warms the JIT first, repeats small batches (so that each size is measured over at least
 * {@value #MIN_OPERATIONS} operations), and writes its results in JMH's JSON shape so the report reads everything
 * with one parser.
 *
 * <p><b>Why many clients.</b> The journal store makes every write durable before it returns (one fsync) and lets
 * concurrent writers share an fsync (group commit). A management service serves many requests at once, so the
 * batch is run by {@code --clients} threads (default 64): with one client, every provision would wait for its own
 * fsync. The in-memory store run with one client ({@code store=memory}) is the CPU cost of the fabric itself, where
 * an O(n) scan on the provision path would show first.
 *
 * <pre>{@code
 * java -Xmx2g -cp iov-bench/target/benchmarks.jar dev.iov.bench.fabric.FabricScaleBench \
 *     [--quick] [--sizes 1000,10000,100000] [--hosts 10,100,1000] [--clients 64] [--report-hosts 10,100,1000] \
 *     [--vnics-per-host 10] [--report-runs 20] [--warmup 10000] [--dir iov-bench/target/fabric-scale] \
 *     [--out fabric-scale.json]
 * }</pre>
 * {@code --quick} keeps the three sizes but measures them over 100 hosts only, with a shorter warm-up and fewer
 * report runs: for checking, not for figures.
 */
public final class FabricScaleBench {
    private static final String NAME = FabricScaleBench.class.getName();
    /** A size is repeated until at least this many operations were measured (at most five times). */
    static final int MIN_OPERATIONS = 30_000;
    private static final int MAX_REPEATS = 5;

    private final Options options;
    private final JmhJson json = new JmhJson();

    private FabricScaleBench(Options options) {
        this.options = options;
    }

    /**
     * Runs the benchmark.
     *
     * @param args see the class comment
     * @throws Exception when a run fails; the process then exits non-zero
     */
    public static void main(String[] args) throws Exception {
        try {
            execute(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FabricScaleBench: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Parses the command line and runs.
     *
     * @param args see the class comment
     * @throws IllegalArgumentException when an argument is invalid, before anything runs
     * @throws IOException when the store directory or the output cannot be written
     * @throws IllegalStateException when the fabric's bookkeeping disagrees with its backends after a batch
     */
    static void execute(String... args) throws IOException {
        new FabricScaleBench(Options.parse(args)).run();
    }

    private void run() throws IOException {
        Files.createDirectories(options.dir);
        String fs = Files.getFileStore(options.dir).type();
        System.out.printf(Locale.ROOT, "FabricScaleBench: journal in %s (%s), %d clients, %d CPUs, max heap %d MiB%n",
                options.dir, fs, options.clients, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        warmUp();
        for (String store : List.of("journal", "memory")) {
            int clients = store.equals("journal") ? options.clients : 1;
            for (int size : options.sizes) {
                for (int hosts : options.hosts) {
                    scale(store, fs, clients, size, hosts);
                }
            }
        }
        for (int hosts : options.reportHosts) {
            reports(hosts);
        }
        json.write(options.out);
        System.out.println("FabricScaleBench: wrote " + options.out);
    }

    /** Compiles the paths: a provision and release batch on each store, not recorded. */
    private void warmUp() throws IOException {
        System.out.println("FabricScaleBench: warming up");
        for (int round = 0; round < 2; round++) {
            batch("journal", options.clients, options.warmup, 100, "warm" + round);
            batch("memory", 1, 2 * options.warmup, 100, "warm" + round);
        }
    }

    private void scale(String store, String fs, int clients, int size, int hosts) throws IOException {
        int repeats = Math.max(1, Math.min(MAX_REPEATS, (MIN_OPERATIONS + size - 1) / size));
        List<Batch> batches = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            batches.add(batch(store, clients, size, hosts, "r" + r));
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("store", store);
        params.put("vnics", Integer.toString(size));
        params.put("hosts", Integer.toString(hosts));
        params.put("clients", Integer.toString(clients));
        if (store.equals("journal")) {
            params.put("fs", fs);
        }
        record("provision", clients, params, batches, Batch::provision, true);
        record("release", clients, params, batches, Batch::release, false);
    }

    private void record(String operation, int clients, Map<String, String> params, List<Batch> batches,
            java.util.function.Function<Batch, Timed> phase, boolean withHeap) {
        long[] all = batches.stream().map(phase).flatMapToLong(t -> Arrays.stream(t.nanos)).sorted().toArray();
        ObjectNode result = json.add(NAME + "." + operation, "sample", clients, params);
        JmhJson.primary(result, all, "us/op", 1_000.0);
        // The median batch: repeats of small sizes are noisy, and one slow batch should not make the figure.
        Timed median = batches.stream().map(phase).sorted(Comparator.comparingLong(t -> t.wallNanos))
                .toList().get(batches.size() / 2);
        int size = median.nanos.length;
        double seconds = median.wallNanos / 1e9;
        JmhJson.secondary(result, "wall", seconds, "s");
        JmhJson.secondary(result, "throughput", size / seconds, "ops/s");
        JmhJson.secondary(result, "cost.per.op", median.wallNanos / 1e3 / size, "us/op");
        JmhJson.secondary(result, "p50.last.tenth", median.lastTenthMedianNanos / 1e3, "us/op");
        JmhJson.secondary(result, "gc.share", 100.0 * median.gcNanos / median.wallNanos, "%");
        JmhJson.secondary(result, "alloc.per.op", median.allocatedBytes / (double) size, "B/op");
        Batch last = batches.get(batches.size() - 1);
        if (withHeap) {
            JmhJson.secondary(result, "heap.per.vnic", last.heapBytes / (double) size, "B/vNIC");
            if (last.journalBytes > 0) {
                JmhJson.secondary(result, "journal.per.vnic", last.journalBytes / (double) size, "B/vNIC");
            }
        }
        System.out.printf(Locale.ROOT, "%-9s %-7s vnics=%6d hosts=%4d: %8.3f s  %9.0f ops/s  %8.1f us/op amortized"
                        + "  p50 %7.1f us (last tenth %7.1f)  p99 %8.1f us  gc %4.1f%%  alloc %6.0f B/op%s%n", operation,
                params.get("store"), size, Integer.parseInt(params.get("hosts")), seconds, size / seconds,
                median.wallNanos / 1e3 / size, LatencyRecorder.percentile(all, 50) / 1e3,
                median.lastTenthMedianNanos / 1e3, LatencyRecorder.percentile(all, 99) / 1e3,
                100.0 * median.gcNanos / median.wallNanos, median.allocatedBytes / (double) size,
                withHeap ? String.format(Locale.ROOT, "  heap %.0f B/vNIC", last.heapBytes / (double) size) : "");
    }

    /** One batch: N vNICs provisioned, then released, on a fresh fabric and store. */
    private Batch batch(String storeKind, int clients, int size, int hosts, String tag) throws IOException {
        Path dir = options.dir.resolve("store-" + storeKind + "-" + size + "-" + hosts + "-" + tag);
        deleteTree(dir);
        StateStore store = storeKind.equals("journal") ? JournalStateStore.open(dir) : new InMemoryStateStore();
        try {
            ScaleFabric scale = ScaleFabric.create(store, hosts);
            Fabric fabric = scale.fabric();
            LatencyRecorder provisioned = new LatencyRecorder(size);
            LatencyRecorder released = new LatencyRecorder(size);
            // Before the specs: the fabric keeps each spec in its vNIC, so a spec is part of what a vNIC costs.
            long heapBefore = usedHeapAfterGc();
            VnicSpec[] specs = ScaleFabric.specs("v", size);
            long gcBefore = gcNanos();
            ClientRun provisionRun = runClients(clients, size, i -> fabric.provision(scale.hostOf(i), specs[i]),
                    provisioned);
            long provisionGc = gcNanos() - gcBefore;
            long heapAfter = usedHeapAfterGc();
            check(scale.ports() == size, "after provisioning " + size + " vNICs the backends hold " + scale.ports()
                    + " ports");
            long journalBytes = storeKind.equals("journal") ? directorySize(dir) : 0;
            gcBefore = gcNanos();
            ClientRun releaseRun = runClients(clients, size, i -> {
                if (!fabric.release(specs[i].id())) {
                    throw new IllegalStateException("vNIC " + specs[i].id() + " was not there to release");
                }
            }, released);
            long releaseGc = gcNanos() - gcBefore;
            check(scale.ports() == 0, "after releasing every vNIC the backends still hold " + scale.ports()
                    + " ports");
            fabric.close();
            return new Batch(Timed.of(provisioned, provisionRun, provisionGc), Timed.of(released, releaseRun,
                    releaseGc), heapAfter - heapBefore, journalBytes);
        } finally {
            store.close();
            deleteTree(dir);
        }
    }

    /**
     * Drift report and migration planning over {@code hosts} hosts with {@code --vnics-per-host} vNICs each. Neither
     * reads nor writes the store, so the fabric is set up on the in-memory store to save time.
     */
    private void reports(int hosts) {
        InMemoryStateStore store = new InMemoryStateStore();
        ScaleFabric scale = ScaleFabric.create(store, hosts);
        Fabric fabric = scale.fabric();
        int perHost = options.vnicsPerHost;
        VnicSpec[] specs = ScaleFabric.specs("d", hosts * perHost);
        runClients(4, specs.length, i -> fabric.provision(scale.hostOf(i), specs[i]), new LatencyRecorder(specs.length));
        HostId[] hostIds = scale.hostIds();
        List<VnicId> evacuated = new ArrayList<>();
        for (int i = 0; i < specs.length; i += hosts) {
            evacuated.add(specs[i].id()); // vNIC i lives on host i % hosts: these are host 0's
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("hosts", Integer.toString(hosts));
        params.put("vnicsPerHost", Integer.toString(perHost));

        long[] drift = timeRuns(() -> {
            DriftReport report = fabric.driftReport();
            check(report.isClean() && report.hostsChecked() == hosts, "drift report over " + hosts + " hosts: "
                    + report.hostsChecked() + " checked, " + report.drifts().size() + " differences");
        });
        reportResult("driftReport", params, drift, hosts);

        long[] planning = timeRuns(() -> {
            int plans = 0;
            for (VnicId vnic : evacuated) {
                for (int t = 1; t < hostIds.length; t++) {
                    fabric.planMigration(vnic, hostIds[t]);
                    plans++;
                }
            }
            check(plans == evacuated.size() * (hosts - 1), "planned " + plans + " moves");
        });
        reportResult("migrationPlan", params, planning, hosts);
        fabric.close();
    }

    private void reportResult(String name, Map<String, String> params, long[] sortedNanos, int hosts) {
        ObjectNode result = json.add(NAME + "." + name, "sample", 1, params);
        JmhJson.primary(result, sortedNanos, "ms/op", 1e6);
        double median = LatencyRecorder.percentile(sortedNanos, 50);
        JmhJson.secondary(result, "per.host", median / 1e3 / hosts, "us/host");
        System.out.printf(Locale.ROOT, "%-13s hosts=%4d vnics/host=%d: median %8.3f ms per report, %6.2f us per host%n",
                name, hosts, options.vnicsPerHost, median / 1e6, median / 1e3 / hosts);
    }

    /** Runs an action until both {@code --report-runs} runs and half a second are measured, after a warm-up. */
    private long[] timeRuns(Runnable action) {
        long warmUntil = System.nanoTime() + 500_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warmUntil; i++) {
            action.run();
        }
        List<Long> samples = new ArrayList<>();
        long measureUntil = System.nanoTime() + 500_000_000L;
        while (samples.size() < options.reportRuns || (System.nanoTime() < measureUntil && samples.size() < 1000)) {
            long start = System.nanoTime();
            action.run();
            samples.add(System.nanoTime() - start);
        }
        return samples.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** @return the wall time and allocation of {@code count} operations shared by {@code clients} threads */
    static ClientRun runClients(int clients, int count, IntConsumer operation, LatencyRecorder latencies) {
        AtomicInteger next = new AtomicInteger();
        LongAdder allocated = new LongAdder();
        com.sun.management.ThreadMXBean threadBean = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    long allocatedBefore = threadBean.getCurrentThreadAllocatedBytes();
                    for (int i = next.getAndIncrement(); i < count && failure.get() == null;
                            i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        operation.accept(i);
                        latencies.record(i, System.nanoTime() - t0);
                    }
                    allocated.add(threadBean.getCurrentThreadAllocatedBytes() - allocatedBefore);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "fabric-client-" + c);
            threads.add(thread);
            thread.start();
        }
        long started = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while clients ran", e);
            }
        }
        long wall = System.nanoTime() - started;
        if (failure.get() != null) {
            throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
        }
        return new ClientRun(wall, allocated.sum());
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // Several collections: the first may leave objects that finalization or reference processing frees later.
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** @return the time every collector has spent so far (stop-the-world pauses and concurrent work) */
    private static long gcNanos() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum() * 1_000_000L;
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("FabricScaleBench: " + message);
        }
    }

    /**
     * One phase of a batch: its latencies sorted, the median latency of its last tenth of operations (when the fabric
     * is nearly full: an O(n) scan would make these the slowest), its wall time and the time the JVM spent in GC.
     */
    private record Timed(long[] nanos, long lastTenthMedianNanos, long wallNanos, long gcNanos,
            long allocatedBytes) {
        static Timed of(LatencyRecorder latencies, ClientRun run, long gcNanos) {
            long[] lastTenth = latencies.sortedRange(latencies.size() - latencies.size() / 10, latencies.size());
            return new Timed(latencies.sorted(), LatencyRecorder.percentile(lastTenth, 50), run.wallNanos(), gcNanos,
                    run.allocatedBytes());
        }
    }

    /**
     * What running a batch on the client threads took.
     *
     * @param wallNanos from the start signal until the last client finished
     * @param allocatedBytes the heap the client threads allocated meanwhile (the store's group-commit leader is
     *     one of them, so its work counts; the store's watch delivery thread does not)
     */
    record ClientRun(long wallNanos, long allocatedBytes) {
    }

    private record Batch(Timed provision, Timed release, long heapBytes, long journalBytes) {
    }

    /** The command line. */
    record Options(int[] sizes, int[] hosts, int clients, int[] reportHosts, int vnicsPerHost, int reportRuns,
            int warmup, Path dir, Path out) {

        static Options parse(String[] args) {
            int[] sizes = {1_000, 10_000, 100_000};
            int[] hosts = {10, 100, 1_000};
            int[] reportHosts = {10, 100, 1_000};
            int clients = 64;
            int vnicsPerHost = 10;
            int reportRuns = 20;
            int warmup = 10_000;
            Path dir = Path.of("iov-bench/target/fabric-scale");
            Path out = Path.of("fabric-scale.json");
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--quick" -> {
                        hosts = new int[] {100};
                        reportRuns = 5;
                        warmup = 5_000;
                    }
                    case "--sizes" -> sizes = ints(arg, value(args, ++i, arg));
                    case "--hosts" -> hosts = ints(arg, value(args, ++i, arg));
                    case "--report-hosts" -> reportHosts = ints(arg, value(args, ++i, arg));
                    case "--clients" -> clients = ints(arg, value(args, ++i, arg))[0];
                    case "--vnics-per-host" -> vnicsPerHost = ints(arg, value(args, ++i, arg))[0];
                    case "--report-runs" -> reportRuns = ints(arg, value(args, ++i, arg))[0];
                    case "--warmup" -> warmup = ints(arg, value(args, ++i, arg))[0];
                    case "--dir" -> dir = Path.of(value(args, ++i, arg));
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'; see the class"
                            + " comment of " + NAME);
                }
            }
            return new Options(sizes, hosts, clients, reportHosts, vnicsPerHost, reportRuns, warmup, dir, out);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int[] ints(String option, String text) {
            try {
                int[] values = Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
                for (int v : values) {
                    if (v < 1) {
                        throw new IllegalArgumentException(option + " values must be at least 1, got '" + text + "'");
                    }
                }
                return values;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes comma-separated numbers, got '" + text + "'", e);
            }
        }
    }
}
