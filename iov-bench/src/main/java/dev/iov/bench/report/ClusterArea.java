package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Management nodes on ZooKeeper ({@code ClusterProvisioning}): provisioning throughput with 1, 2 and 4 nodes, each a
 * cluster member, on one ensemble against one node on the embedded journal, with the writes and conflicts per vNIC
 * and the lag from a provision on one node to its event on the others. Goals from issue 19: ≥ 1 000 provisions/s
 * with two nodes, ≤ 2 round trips per vNIC, the journal ≥ 2 500/s, lag p99 ≤ 500 ms.
 */
final class ClusterArea {
    static final String TITLE = "Management nodes on ZooKeeper";
    static final String BENCH = "ClusterProvisioning";
    static final Goal TWO_NODES = Goal.atLeast(1000, "provisions/s");
    static final Goal JOURNAL_RATE = Goal.atLeast(2500, "provisions/s");
    static final Goal ROUND_TRIPS = Goal.atMost(2, "writes/vNIC");
    static final Goal LAG_P99 = Goal.atMost(500, "ms lag p99");
    private static final String METHOD = "provision";
    private static final String JOURNAL = "journal";
    private static final String ZOOKEEPER = "zookeeper";
    private static final String PER_NODE = "PER_NODE";
    /** Above this ratio of the most nodes' throughput to one node's, adding nodes adds throughput. */
    private static final double SCALES = 1.1;

    private ClusterArea() {
    }

    static Section build(Results results) {
        return build(results, new Findings());
    }

    static Section build(Results results, Findings findings) {
        List<Result> all = results.of(BENCH, METHOD);
        if (all.isEmpty()) {
            findings.judge(TITLE, "provisions/s, 2 nodes on ZooKeeper", Double.NaN, "", TWO_NODES);
            findings.judge(TITLE, "round trips per vNIC, 2 nodes", Double.NaN, "", ROUND_TRIPS);
            findings.judge(TITLE, "provisions/s, journal, 1 node", Double.NaN, "", JOURNAL_RATE);
            findings.judge(TITLE, "event lag p99, 2 and 4 nodes", Double.NaN, "", LAG_P99);
            return section(List.of(), List.of(), List.of("ClusterProvisioning did not run."));
        }
        Result journal = all.stream().filter(r -> JOURNAL.equals(r.param("store"))).findFirst().orElse(null);
        double journalRate = throughput(journal);
        Result twoNodes = all.stream().filter(r -> ZOOKEEPER.equals(r.param("store")) && nodes(r) == 2
                && PER_NODE.equals(r.param("selection")) && !"1".equals(r.param("uplinks"))).findFirst().orElse(null);
        List<List<Cell>> rows = new ArrayList<>();
        if (journal != null) {
            rows.add(row(journal, Double.NaN, List.of(JOURNAL_RATE), List.of(JOURNAL_RATE.judge(journalRate))));
        }
        List<SvgLineChart.Series> series = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        double worstLag = Double.NaN;
        long missing = 0;
        for (Map.Entry<String, List<Result>> group : groups(all).entrySet()) {
            List<Result> byNodes = group.getValue();
            double[] xs = new double[byNodes.size()];
            double[] ys = new double[byNodes.size()];
            for (int i = 0; i < byNodes.size(); i++) {
                Result r = byNodes.get(i);
                xs[i] = nodes(r);
                ys[i] = throughput(r);
                List<Goal> goals = new ArrayList<>();
                List<Verdict> verdicts = new ArrayList<>();
                if (r == twoNodes) {
                    goals.add(TWO_NODES);
                    verdicts.add(TWO_NODES.judge(ys[i]));
                    goals.add(ROUND_TRIPS);
                    verdicts.add(ROUND_TRIPS.judge(secondary(r, "writes.per.vnic")));
                }
                if (hasLag(r)) {
                    goals.add(LAG_P99);
                    verdicts.add(lagVerdict(r));
                    if (PER_NODE.equals(r.param("selection")) && !"1".equals(r.param("uplinks"))) {
                        double p99 = secondary(r, "lag.p99");
                        worstLag = Double.isNaN(worstLag) || p99 > worstLag ? p99 : worstLag;
                    }
                    double lost = secondary(r, "lag.missing");
                    missing += Double.isNaN(lost) ? 0 : (long) lost;
                }
                rows.add(row(r, Ratio.growth(journalRate, ys[i]), goals, verdicts));
            }
            series.add(new SvgLineChart.Series("ZooKeeper, " + group.getKey(), xs, ys));
            notes.add(observation(group.getKey(), byNodes));
        }
        if (journal != null) {
            series.add(new SvgLineChart.Series("journal, 1 node", new double[] {1}, new double[] {journalRate}));
        }
        judge(findings, journal, twoNodes, worstLag, missing);
        Table table = new Table("Fabric.provision through every node at once (higher provisions/s is better). "
                + "uplinks: vNICs spread round-robin over that many hosts of one uplink each; 1 (hot) puts them all "
                + "on one uplink, whose sums record every node then updates. writes/vNIC = put, delete and commit "
                + "calls (each one round trip to the ensemble) per vNIC provisioned, retries included; conflicts/vNIC "
                + "= compare-and-set conflicts (MAC pool chunk or uplink sums) per vNIC, each also one read from the "
                + "ensemble, so round trips = writes + conflicts; lag = time from a provision "
                + "returning on its node to the VnicProvisioned event on each other node; vs journal = the row's "
                + "provisions/s over the embedded journal's with one node. Goals from issue 19.",
                List.of("store", "MAC chunks", "uplinks", "nodes", "vNICs", "provisions/s", "p50 ms", "p99 ms",
                        "writes/vNIC", "conflicts/vNIC", "lag p50 ms", "lag p99 ms", "vs journal", "goal"), rows);
        List<Chart> charts = List.of(new Chart("cluster-nodes.svg", "Provisioning throughput against management nodes",
                SvgLineChart.render("Provisions/s against management nodes (log-log; higher is better)",
                        "management nodes", "provisions/s", series, 1, "linear in nodes")));
        if (journal == null) {
            notes.add("The journal run is missing, so there is no ratio to it.");
        }
        all.stream().filter(r -> secondary(r, "lag.missing") > 0).forEach(r -> notes.add("Error: " + Fmt.count(
                (long) secondary(r, "lag.missing")) + " VnicProvisioned events of the " + nodes(r) + "-node run ("
                + r.param("selection") + ", " + uplinks(r) + " uplinks) never reached another node."));
        all.stream().filter(r -> secondary(r, "failed") > 0).forEach(r -> notes.add("Error: " + Fmt.count(
                (long) secondary(r, "failed")) + " provisions of the " + nodes(r) + "-node run (" + r.param("selection")
                + ", " + uplinks(r) + " uplinks) failed; they are not counted in its provisions/s."));
        all.stream().map(r -> r.param("threadsPerNode")).filter(Objects::nonNull).findFirst()
                .ifPresent(t -> notes.add(t + " threads per node. The ensemble (3 servers) and the nodes share this "
                        + "machine's cores, so absolute figures are lower than on a real ensemble; the comparison "
                        + "between node counts and with the journal is what this shows."));
        return section(List.of(table), charts, notes);
    }

    private static void judge(Findings findings, Result journal, Result twoNodes, double worstLag, long missing) {
        double two = throughput(twoNodes);
        findings.judge(TITLE, "provisions/s, 2 nodes on ZooKeeper", two, twoNodes == null ? ""
                : Fmt.num(two, "/s") + " (" + Fmt.ratio(Ratio.growth(throughput(journal), two)) + " the journal)",
                TWO_NODES);
        double writes = twoNodes == null ? Double.NaN : secondary(twoNodes, "writes.per.vnic");
        // Three decimals: retries after conflicts lift 2 writes by a few thousandths, which "2.00" would hide.
        findings.judge(TITLE, "round trips per vNIC, 2 nodes", writes, String.format(Locale.ROOT,
                "%.3f writes/vNIC", writes), ROUND_TRIPS);
        double rate = throughput(journal);
        findings.judge(TITLE, "provisions/s, journal, 1 node", rate, Fmt.num(rate, "/s"), JOURNAL_RATE);
        if (missing > 0) {
            findings.judge(TITLE, "event lag p99, 2 and 4 nodes", Double.MAX_VALUE, Fmt.count(missing)
                    + " events missing", LAG_P99);
        } else {
            findings.judge(TITLE, "event lag p99, 2 and 4 nodes (worst)", worstLag, Fmt.num(worstLag, "ms"),
                    LAG_P99);
        }
    }

    private static Verdict lagVerdict(Result r) {
        return secondary(r, "lag.missing") > 0 ? Verdict.MISSED : LAG_P99.judge(secondary(r, "lag.p99"));
    }

    private static Section section(List<Table> tables, List<Chart> charts, List<String> notes) {
        return new Section("cluster", TITLE, "Several management nodes, each a ZooKeeperStateStore with its own "
                + "client and session, a membership (Fabric.builder().membership(store.membership(\"node-\" + n))) "
                + "and a shared MAC pool, provisioning vNICs with a rate limit under the reject policy on embedded "
                + "backends, against one 3-server ensemble in this JVM (Curator TestingCluster); beside them one node "
                + "on the embedded journal on disk. A provision is one multi-op (MAC chunk, vNIC record with its "
                + "intent, uplink sums) and the attached record. MAC chunks: PER_NODE (each node fills its own "
                + "chunks, the default), FIRST_FIT (every node fills the same chunk first). Timed harness "
                + "dev.iov.bench.cluster.ClusterProvisioning; issue 19.", tables, charts, notes);
    }

    private static List<Cell> row(Result r, double vsJournal, List<Goal> goals, List<Verdict> verdicts) {
        return List.of(Cell.of(r.param("store")), Cell.of(JOURNAL.equals(r.param("store")) ? "—"
                        : r.param("selection")), Cell.of(uplinks(r)), Cell.of(Integer.toString(nodes(r))),
                Cell.of(Fmt.count(Long.parseLong(r.param("vnics")))),
                Cell.of(Fmt.num(throughput(r))),
                Cell.of(Fmt.num(r.primary().percentile(50.0).orElse(Double.NaN))),
                Cell.of(Fmt.num(r.primary().percentile(99.0).orElse(Double.NaN))),
                Cell.of(Fmt.num(secondary(r, "writes.per.vnic"))),
                Cell.of(Fmt.num(secondary(r, "conflicts.per.vnic"))),
                Cell.of(hasLag(r) ? Fmt.num(secondary(r, "lag.p50")) : "—"),
                Cell.of(hasLag(r) ? Fmt.num(secondary(r, "lag.p99")) : "—"),
                Cell.of(Fmt.ratio(vsJournal)), Findings.goalCell(goals, verdicts));
    }

    /** @return how throughput changed from one node to the most nodes measured, in words; not a verdict */
    static String observation(String group, List<Result> byNodes) {
        if (byNodes.size() < 2) {
            return "ZooKeeper, " + group + ": one node count measured, nothing to compare.";
        }
        Result fewest = byNodes.get(0);
        Result most = byNodes.get(byNodes.size() - 1);
        double growth = Ratio.growth(throughput(fewest), throughput(most));
        String trend = Double.isNaN(growth) ? "not measured"
                : growth > SCALES ? "scales with nodes"
                : growth < 1 / SCALES ? "drops as nodes are added" : "about flat";
        return "ZooKeeper, " + group + ": " + nodes(most) + " nodes give " + Fmt.ratio(growth) + " the "
                + "provisions/s of " + nodes(fewest) + " (" + trend + ").";
    }

    /** @return the ZooKeeper results by MAC chunks and uplinks, in file order, each sorted by nodes */
    private static Map<String, List<Result>> groups(List<Result> all) {
        Map<String, List<Result>> groups = new LinkedHashMap<>();
        all.stream().filter(r -> ZOOKEEPER.equals(r.param("store"))).forEach(r -> groups.computeIfAbsent(
                Optional.ofNullable(r.param("selection")).orElse("?") + (r.param("uplinks") == null ? ""
                        : ", " + uplinks(r) + (r.param("uplinks").equals("1") ? " uplink" : " uplinks")),
                k -> new ArrayList<>()).add(r));
        groups.values().forEach(list -> list.sort(Comparator.comparingInt(ClusterArea::nodes)));
        return groups;
    }

    private static String uplinks(Result r) {
        String uplinks = r.param("uplinks");
        return uplinks == null ? "–" : uplinks.equals("1") ? "1 (hot)" : uplinks;
    }

    private static boolean hasLag(Result r) {
        return r.secondary("lag.p99").isPresent();
    }

    /** @return the result's node count; {@link ClusterResultReader} has checked that it is a positive number */
    private static int nodes(Result r) {
        return Integer.parseInt(r.param("nodes"));
    }

    private static double secondary(Result r, String name) {
        return r == null ? Double.NaN : r.secondary(name).map(Metric::score).orElse(Double.NaN);
    }

    private static double throughput(Result r) {
        return secondary(r, "throughput");
    }
}
