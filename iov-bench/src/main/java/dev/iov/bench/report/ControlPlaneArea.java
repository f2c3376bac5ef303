package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The control plane at scale ({@code FabricScaleBench}): provision and release, drift and migration reports. */
final class ControlPlaneArea {
    static final String TITLE = "Control plane at scale";
    private static final String BENCH = "FabricScaleBench";
    private static final Goal PROVISION_100K = Goal.atMost(10, "s");
    private static final Goal FLAT = Goal.atMost(1.5, "×");
    /** Time ∝ hosts^slope: 1 is linear, 2 quadratic; some slack for caches that a larger fabric outgrows. */
    private static final Goal LINEAR = new Goal("linear: slope ≤ 1.2", 1.2, true);

    private ControlPlaneArea() {
    }

    static Section build(Results results, Findings findings) {
        List<Table> tables = new ArrayList<>();
        List<Chart> charts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!results.has(BENCH)) {
            findings.judge(TITLE, "100 000 vNICs provisioned", Double.NaN, "", PROVISION_100K);
            notes.add("FabricScaleBench did not run.");
            return section(tables, charts, notes);
        }
        for (String store : List.of("journal", "memory")) {
            tables.add(batchTable(results, store));
        }
        judgeHundredThousand(results, findings);
        tables.add(growthTable(results, findings, charts));
        tables.add(reportTable(results, findings, charts));
        results.of(BENCH, "provision").stream().map(r -> r.param("fs")).filter(Objects::nonNull).findFirst()
                .ifPresent(fs -> notes.add("Journal on a " + fs + " file system; every acknowledged write was "
                        + "fsynced (group commit shares one fsync among the writers waiting)."));
        notes.add("cost/op = wall time / vNICs: what the batch cost per vNIC, with the clients working in "
                + "parallel; p50/p99 are the latencies single operations saw. GC % is the share of the wall time "
                + "the JVM spent in collections; alloc B/op is what the client threads allocated per operation "
                + "(garbage and kept state alike), heap B/vNIC what stays live per vNIC after a full GC.");
        return section(tables, charts, notes);
    }

    private static Section section(List<Table> tables, List<Chart> charts, List<String> notes) {
        return new Section("control-plane", TITLE, "Fabric.provision and Fabric.release of 1 000, 10 000 and "
                + "100 000 vNICs over 10, 100 and 1 000 simulated hosts (EmbeddedBackend per host, 2 uplinks, 16 "
                + "VLANs, admission at 4:1 with min and max rates) on the journal store on disk with 64 concurrent "
                + "clients, and on the in-memory store with one client (the fabric's own CPU cost, where an O(n) "
                + "scan would show). Measured harness dev.iov.bench.fabric.FabricScaleBench (see its class "
                + "comment for why not a JMH @Benchmark). Goals from issue 10.", tables, charts, notes);
    }

    private static Table batchTable(Results results, String store) {
        List<List<Cell>> rows = new ArrayList<>();
        for (String op : List.of("provision", "release")) {
            for (Result r : sorted(results.of(BENCH, op), store)) {
                rows.add(List.of(Cell.of(op), Cell.of(Fmt.count(Long.parseLong(r.param("vnics")))),
                        Cell.of(Fmt.count(Long.parseLong(r.param("hosts")))), Cell.of(r.param("clients")),
                        Cell.of(Fmt.num(sec(r, "wall"))), Cell.of(Fmt.num(sec(r, "throughput"))),
                        Cell.of(Fmt.num(sec(r, "cost.per.op"))),
                        Cell.of(Fmt.num(r.primary().percentile(50.0).orElse(Double.NaN))),
                        Cell.of(Fmt.num(r.primary().percentile(99.0).orElse(Double.NaN))),
                        Cell.of(Fmt.num(sec(r, "heap.per.vnic"))),
                        Cell.of(Fmt.num(sec(r, "journal.per.vnic"))), Cell.of(Fmt.num(sec(r, "alloc.per.op"))),
                        Cell.of(Fmt.num(sec(r, "gc.share")))));
            }
        }
        String caption = store.equals("journal")
                ? "Journal store on disk, fsync group commit, concurrent clients"
                : "In-memory store, one client: the fabric's own cost per operation";
        return new Table(caption, List.of("operation", "vNICs", "hosts", "clients", "wall s", "ops/s",
                "cost/op µs", "p50 µs", "p99 µs", "heap B/vNIC", "journal B/vNIC", "alloc B/op", "GC %"), rows);
    }

    private static void judgeHundredThousand(Results results, Findings findings) {
        List<Result> big = results.of(BENCH, "provision").stream()
                .filter(r -> "journal".equals(r.param("store")) && "100000".equals(r.param("vnics"))).toList();
        Result slowest = big.stream().max(Comparator.comparingDouble(r -> sec(r, "wall"))).orElse(null);
        String hosts = String.join(", ", sorted(big, "journal").stream().map(r -> r.param("hosts")).toList());
        double wall = slowest == null ? Double.NaN : sec(slowest, "wall");
        findings.judge(TITLE, "100 000 vNICs provisioned, journal store (slowest of " + (hosts.isEmpty() ? "–" : hosts)
                + " hosts)", wall, slowest == null ? "" : Fmt.num(wall, "s") + " (" + slowest.param("hosts")
                + " hosts, " + Fmt.num(sec(slowest, "throughput")) + " /s)", PROVISION_100K);
    }

    private static Table growthTable(Results results, Findings findings, List<Chart> charts) {
        List<List<Cell>> rows = new ArrayList<>();
        List<SvgLineChart.Series> series = new ArrayList<>();
        List<String> sizes = sizes(results);
        for (String store : List.of("journal", "memory")) {
            double worstCost = Double.NaN;
            double worstScan = Double.NaN;
            TreeSet<Integer> hostCounts = new TreeSet<>();
            results.of(BENCH, "provision").stream().filter(r -> store.equals(r.param("store")))
                    .forEach(r -> hostCounts.add(Integer.parseInt(r.param("hosts"))));
            for (int hosts : hostCounts) {
                double[] xs = new double[sizes.size()];
                double[] cost = new double[sizes.size()];
                double[] p50 = new double[sizes.size()];
                double[] lastTenth = new double[sizes.size()];
                for (int i = 0; i < sizes.size(); i++) {
                    Result r = results.find(BENCH, "provision", Map.of("store", store, "hosts",
                            Integer.toString(hosts), "vnics", sizes.get(i))).orElse(null);
                    xs[i] = Double.parseDouble(sizes.get(i));
                    cost[i] = r == null ? Double.NaN : sec(r, "cost.per.op");
                    p50[i] = r == null ? Double.NaN : r.primary().percentile(50.0).orElse(Double.NaN);
                    lastTenth[i] = r == null ? Double.NaN : sec(r, "p50.last.tenth");
                }
                double costGrowth = Ratio.growth(cost[0], cost[cost.length - 1]);
                double scanGrowth = Ratio.growth(p50[0], lastTenth[lastTenth.length - 1]);
                Verdict vc = FLAT.judge(costGrowth);
                Verdict vs = FLAT.judge(scanGrowth);
                worstCost = worse(worstCost, costGrowth);
                worstScan = worse(worstScan, scanGrowth);
                List<Cell> row = new ArrayList<>(List.of(Cell.of(store), Cell.of(Integer.toString(hosts))));
                for (double c : cost) {
                    row.add(Cell.of(Fmt.num(c)));
                }
                row.add(Cell.of(Fmt.ratio(costGrowth)));
                row.add(Cell.of(Fmt.ratio(scanGrowth)));
                row.add(Findings.goalCell(List.of(FLAT, FLAT), List.of(vc, vs)));
                rows.add(row);
                series.add(new SvgLineChart.Series(store + ", " + hosts + " hosts", xs, cost));
            }
            {
                String span = sizes.isEmpty() ? "" : Fmt.count(Long.parseLong(sizes.get(0))) + " → "
                        + Fmt.count(Long.parseLong(sizes.get(sizes.size() - 1))) + " vNICs";
                // The goals: cost per operation flat on the journal store as configured; no O(n) scan,
                // seen best in the fabric's own CPU time per operation (in-memory store, one client), where an O(n)
                // scan over 100x more vNICs would grow the median about 100x.
                if (store.equals("journal")) {
                    findings.judge(TITLE, "provision cost per vNIC (wall / vNICs) growth " + span
                            + ", journal store (worst host count)", worstCost, Fmt.ratio(worstCost), FLAT);
                } else {
                    findings.judge(TITLE, "fabric CPU per provision (median; last tenth of the largest batch) growth "
                            + span + ", in-memory store, 1 client (worst host count)", worstScan,
                            Fmt.ratio(worstScan), FLAT);
                }
            }
        }
        charts.add(new Chart("provision-scaling.svg", "Provision cost per vNIC against the number of vNICs",
                SvgLineChart.render("Provision: cost per vNIC (wall / vNICs) as the fabric grows", "vNICs provisioned",
                        "µs per vNIC", series, 0, "flat (goal: within 1.5×)")));
        List<String> header = new ArrayList<>(List.of("store", "hosts"));
        sizes.forEach(s -> header.add("cost/op µs @ " + Fmt.count(Long.parseLong(s))));
        header.add("cost/op growth");
        header.add("median growth (last tenth)");
        header.add("goal");
        return new Table("Provision cost per vNIC as the fabric grows. cost/op growth = cost/op at the largest size "
                + "over the smallest; median growth = median latency of the last tenth of the largest batch (the "
                + "fabric nearly full) over the median of the smallest batch. An O(n) scan on the provision path "
                + "would make the median grow with the number of vNICs (about 100× here).", header, rows);
    }

    private static Table reportTable(Results results, Findings findings, List<Chart> charts) {
        List<Result> drifts = results.of(BENCH, "driftReport").stream()
                .sorted(Comparator.comparingInt(r -> Integer.parseInt(r.param("hosts")))).toList();
        List<List<Cell>> rows = new ArrayList<>();
        double[] xs = new double[drifts.size()];
        double[] drift = new double[drifts.size()];
        double[] plan = new double[drifts.size()];
        for (int i = 0; i < drifts.size(); i++) {
            Result d = drifts.get(i);
            Result p = results.find(BENCH, "migrationPlan", Map.of("hosts", d.param("hosts"))).orElse(null);
            int hosts = Integer.parseInt(d.param("hosts"));
            int perHost = Integer.parseInt(d.param("vnicsPerHost"));
            xs[i] = hosts;
            drift[i] = d.primary().percentile(50.0).orElse(d.primary().score());
            plan[i] = p == null ? Double.NaN : p.primary().percentile(50.0).orElse(p.primary().score());
            rows.add(List.of(Cell.of(Fmt.count(hosts)), Cell.of(Fmt.count((long) hosts * perHost)),
                    Cell.of(Fmt.num(drift[i])), Cell.of(Fmt.num(sec(d, "per.host"))),
                    Cell.of(Fmt.count((long) perHost * (hosts - 1))), Cell.of(Fmt.num(plan[i])),
                    Cell.of(p == null ? "–" : Fmt.num(sec(p, "per.host")))));
        }
        double driftSlope = slope(xs, drift);
        double planSlope = slope(xs, plan);
        findings.judge(TITLE, "drift report time vs hosts (slope of log time / log hosts)", driftSlope,
                Fmt.num(driftSlope), LINEAR);
        findings.judge(TITLE, "migration planning time vs hosts (slope)", planSlope, Fmt.num(planSlope), LINEAR);
        charts.add(new Chart("reports-scaling.svg", "Drift report and migration planning against hosts",
                SvgLineChart.render("Drift report and evacuation planning: ms per report against hosts", "hosts",
                        "ms per report", List.of(new SvgLineChart.Series("drift report", xs, drift),
                                new SvgLineChart.Series("evacuation plan", xs, plan)), 1, "linear")));
        return new Table("ms per report (median). Drift report: every backend of every host discovered and compared "
                + "with the records. Evacuation plan: every vNIC of one host planned onto every other host. Slope "
                + "of log(time) against log(hosts): " + Fmt.num(driftSlope) + " (drift), " + Fmt.num(planSlope)
                + " (planning); 1 is linear.", List.of("hosts", "vNICs", "drift ms", "drift µs/host",
                "plans per report", "planning ms", "planning µs/host"), rows);
    }

    private static double worse(double worst, double value) {
        return Double.isNaN(value) ? worst : Double.isNaN(worst) ? value : Math.max(worst, value);
    }

    /** @return the slope of log(y) against log(x) between the first and last measured points */
    static double slope(double[] xs, double[] ys) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < xs.length; i++) {
            if (ys[i] > 0 && xs[i] > 0) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0 || last == first || xs[last] == xs[first]) {
            return Double.NaN;
        }
        return Math.log(ys[last] / ys[first]) / Math.log(xs[last] / xs[first]);
    }

    private static List<String> sizes(Results results) {
        return results.of(BENCH, "provision").stream().map(r -> Integer.parseInt(r.param("vnics"))).distinct()
                .sorted().map(String::valueOf).toList();
    }

    private static List<Result> sorted(List<Result> results, String store) {
        return results.stream().filter(r -> store.equals(r.param("store")))
                .sorted(Comparator.comparingInt((Result r) -> Integer.parseInt(r.param("vnics")))
                        .thenComparingInt(r -> Integer.parseInt(r.param("hosts")))).toList();
    }

    private static double sec(Result r, String name) {
        return r.secondary(name).map(Metric::score).orElse(Double.NaN);
    }
}
