package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Management nodes on ZooKeeper ({@code ClusterProvisioning}): provisioning throughput with 1, 2 and 4 nodes on one
 * ensemble against one node on the embedded journal. Issue 11 asks only that it be measured, so the area sets no
 * goal and judges nothing; it says how throughput changes from 1 node to the most nodes measured.
 */
final class ClusterArea {
    static final String TITLE = "Management nodes on ZooKeeper";
    static final String BENCH = "ClusterProvisioning";
    private static final String METHOD = "provision";
    private static final String JOURNAL = "journal";
    private static final String ZOOKEEPER = "zookeeper";
    /** Above this ratio of the most nodes' throughput to one node's, adding nodes adds throughput. */
    private static final double SCALES = 1.1;

    private ClusterArea() {
    }

    static Section build(Results results) {
        List<Result> all = results.of(BENCH, METHOD);
        if (all.isEmpty()) {
            return section(List.of(), List.of(), List.of("ClusterProvisioning did not run."));
        }
        Result journal = all.stream().filter(r -> JOURNAL.equals(r.param("store"))).findFirst().orElse(null);
        double journalRate = throughput(journal);
        List<List<Cell>> rows = new ArrayList<>();
        if (journal != null) {
            rows.add(row(journal, "—", Double.NaN));
        }
        List<SvgLineChart.Series> series = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String selection : selections(all)) {
            List<Result> byNodes = all.stream()
                    .filter(r -> ZOOKEEPER.equals(r.param("store")) && selection.equals(r.param("selection")))
                    .sorted(Comparator.comparingInt(ClusterArea::nodes)).toList();
            double[] xs = new double[byNodes.size()];
            double[] ys = new double[byNodes.size()];
            for (int i = 0; i < byNodes.size(); i++) {
                Result r = byNodes.get(i);
                xs[i] = nodes(r);
                ys[i] = throughput(r);
                rows.add(row(r, selection, Ratio.growth(journalRate, ys[i])));
            }
            series.add(new SvgLineChart.Series("ZooKeeper, " + selection, xs, ys));
            notes.add(observation(selection, byNodes));
        }
        if (journal != null) {
            series.add(new SvgLineChart.Series("journal, 1 node", new double[] {1}, new double[] {journalRate}));
        }
        Table table = new Table("Fabric.provision through every node at once (higher provisions/s is better). "
                + "vs journal = the row's provisions/s over the embedded journal's with one node; conflicts/vNIC = "
                + "compare-and-set retries on the MAC pool per vNIC provisioned. Issue 11 sets no goal: measured "
                + "only.", List.of("store", "MAC chunks", "nodes", "vNICs", "provisions/s", "p50 ms", "p99 ms",
                "conflicts/vNIC", "vs journal", "goal"), rows);
        List<Chart> charts = List.of(new Chart("cluster-nodes.svg", "Provisioning throughput against management nodes",
                SvgLineChart.render("Provisions/s against management nodes (log-log; higher is better)",
                        "management nodes", "provisions/s", series, 1, "linear in nodes")));
        if (journal == null) {
            notes.add("The journal run is missing, so there is no ratio to it.");
        }
        all.stream().map(r -> r.param("threadsPerNode")).filter(Objects::nonNull).findFirst()
                .ifPresent(t -> notes.add(t + " threads per node. The ensemble (3 servers) and the nodes share this "
                        + "machine's cores, so absolute figures are lower than on a real ensemble; the comparison "
                        + "between node counts and with the journal is what this shows."));
        return section(List.of(table), charts, notes);
    }

    private static Section section(List<Table> tables, List<Chart> charts, List<String> notes) {
        return new Section("cluster", TITLE, "Several management nodes, each a ZooKeeperStateStore with its own "
                + "client and session, a Fabric and a shared MAC pool, provisioning vNICs on an embedded backend "
                + "against one 3-server ensemble in this JVM (Curator TestingCluster), against one node on the "
                + "embedded journal on disk. MAC chunks: PER_NODE (each node fills its own chunks), FIRST_FIT (every "
                + "node fills the same chunk first), LEASED (each node owns a range outright, no pool write: the upper "
                + "bound of range leases). Timed harness dev.iov.bench.cluster.ClusterProvisioning; issue 11.",
                tables, charts, notes);
    }

    private static List<Cell> row(Result r, String selection, double vsJournal) {
        return List.of(Cell.of(r.param("store")), Cell.of(selection), Cell.of(Integer.toString(nodes(r))),
                Cell.of(Fmt.count(Long.parseLong(r.param("vnics")))),
                Cell.of(Fmt.num(throughput(r))),
                Cell.of(Fmt.num(r.primary().percentile(50.0).orElse(Double.NaN))),
                Cell.of(Fmt.num(r.primary().percentile(99.0).orElse(Double.NaN))),
                Cell.of(Fmt.num(r.secondary("conflicts.per.vnic").map(Metric::score).orElse(Double.NaN))),
                Cell.of(Fmt.ratio(vsJournal)), Cell.of("—"));
    }

    /** @return how throughput changed from one node to the most nodes measured, in words; not a verdict */
    static String observation(String selection, List<Result> byNodes) {
        if (byNodes.size() < 2) {
            return "ZooKeeper, " + selection + ": one node count measured, nothing to compare.";
        }
        Result fewest = byNodes.get(0);
        Result most = byNodes.get(byNodes.size() - 1);
        double growth = Ratio.growth(throughput(fewest), throughput(most));
        String trend = Double.isNaN(growth) ? "not measured"
                : growth > SCALES ? "scales with nodes"
                : growth < 1 / SCALES ? "drops as nodes are added" : "about flat";
        return "ZooKeeper, " + selection + ": " + nodes(most) + " nodes give " + Fmt.ratio(growth) + " the "
                + "provisions/s of " + nodes(fewest) + " (" + trend + ").";
    }

    private static Set<String> selections(List<Result> all) {
        Set<String> names = new LinkedHashSet<>();
        all.stream().filter(r -> ZOOKEEPER.equals(r.param("store"))).map(r -> r.param("selection"))
                .filter(Objects::nonNull).forEach(names::add);
        return names;
    }

    /** @return the result's node count; {@link ClusterResultReader} has checked that it is a positive number */
    private static int nodes(Result r) {
        return Integer.parseInt(r.param("nodes"));
    }

    private static double throughput(Result r) {
        return r == null ? Double.NaN : r.secondary("throughput").map(Metric::score).orElse(Double.NaN);
    }
}
