package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterAreaTest {
    private final Section section = ClusterArea.build(Fixtures.all());

    @Test
    void theTableHasTheJournalFirstThenEachGroupByNodesWithWritesConflictsLagAndItsRatioToTheJournal() {
        Table table = section.tables().get(0);

        assertThat(table.header()).containsExactly("store", "MAC chunks", "uplinks", "nodes", "vNICs",
                "provisions/s", "p50 ms", "p99 ms", "writes/vNIC", "conflicts/vNIC", "lag p50 ms", "lag p99 ms",
                "vs journal", "goal");
        assertThat(table.rows()).extracting(row -> text(row.subList(0, 4))).containsExactly(
                "journal — 16 1", "zookeeper PER_NODE 16 1", "zookeeper PER_NODE 16 2", "zookeeper PER_NODE 16 4",
                "zookeeper PER_NODE 1 (hot) 2", "zookeeper FIRST_FIT 16 2");
        assertThat(text(table.rows().get(0)))
                .isEqualTo("journal — 16 1 1\u202f000 2\u202f000 1.20 6.50 2.00 0.00 — — – ≥ 2500 provisions/s ✗");
        assertThat(text(table.rows().get(1)))
                .isEqualTo("zookeeper PER_NODE 16 1 1\u202f000 250 14.0 44.0 2.00 0.00 — — 0.125× —");
        assertThat(text(table.rows().get(2))).isEqualTo("zookeeper PER_NODE 16 2 1\u202f000 1\u202f100 28.0 66.0 2.00 "
                + "0.00 6.00 120 0.550× ≥ 1000 provisions/s ✓ · ≤ 2 writes/vNIC ✓ · ≤ 500 ms lag p99 ✓");
        assertThat(text(table.rows().get(3))).isEqualTo("zookeeper PER_NODE 16 4 1\u202f000 500 48.0 224 2.25 0.250 "
                + "10.0 600 0.250× ≤ 500 ms lag p99 ✗");
    }

    @Test
    void goalCellsCarryTheirWorstVerdictAndMissingEventsMissTheLagGoal() {
        List<List<Cell>> rows = section.tables().get(0).rows();

        assertThat(rows.get(0).get(13).verdict()).isEqualTo(Verdict.MISSED);
        assertThat(rows.get(1).get(13).verdict()).isNull();
        assertThat(rows.get(2).get(13).verdict()).isEqualTo(Verdict.MET);
        // p99 10 ms is within the goal, but 2 of the FIRST_FIT run's events never arrived
        assertThat(rows.get(4).get(13).verdict()).isEqualTo(Verdict.MET);
        assertThat(rows.get(5).get(13).verdict()).isEqualTo(Verdict.MISSED);
        assertThat(section.notes()).contains("Error: 2 VnicProvisioned events of the 2-node run (FIRST_FIT, 16 "
                + "uplinks) never reached another node.");
    }

    @Test
    void theSummaryJudgesTwoNodesRoundTripsTheJournalAndTheLag() {
        List<SummaryLine> summary = ReportBuilder.build(Fixtures.all(), Fixtures.MACHINE, "t", List.of()).summary()
                .stream().filter(line -> line.area().equals(ClusterArea.TITLE)).toList();

        assertThat(summary).extracting(line -> line.what() + ": " + line.measured() + " " + line.goal() + " "
                + line.verdict().text()).containsExactly(
                "provisions/s, 2 nodes on ZooKeeper: 1\u202f100 /s (0.550× the journal) ≥ 1000 provisions/s met",
                "round trips per vNIC, 2 nodes: 2.000 writes/vNIC ≤ 2 writes/vNIC met",
                "provisions/s, journal, 1 node: 2\u202f000 /s ≥ 2500 provisions/s missed",
                "event lag p99, 2 and 4 nodes: 2 events missing ≤ 500 ms lag p99 missed");
    }

    @Test
    void withoutMissingEventsTheLagSummaryIsTheWorstP99OfTheSpreadRuns() {
        Findings findings = new Findings();
        ClusterArea.build(new Results(List.of(lagResult(2, 120), lagResult(4, 430))), findings);

        assertThat(findings.summary()).filteredOn(line -> line.what().startsWith("event lag")).singleElement()
                .satisfies(line -> {
                    assertThat(line.measured()).isEqualTo("430 ms");
                    assertThat(line.verdict()).isEqualTo(Verdict.MET);
                });
    }

    @Test
    void theObservationSaysWhetherThroughputScalesWithNodes() {
        assertThat(section.notes()).contains(
                "ZooKeeper, PER_NODE, 16 uplinks: 4 nodes give 2.00× the provisions/s of 1 (scales with nodes).",
                "ZooKeeper, PER_NODE, 1 (hot) uplink: one node count measured, nothing to compare.");
    }

    @Test
    void theChartPlotsThroughputAgainstNodesForEveryGroupAndTheJournal() {
        assertThat(section.charts()).singleElement().satisfies(chart -> {
            assertThat(chart.file()).isEqualTo("cluster-nodes.svg");
            assertThat(chart.svg()).startsWith("<svg").contains("management nodes", "provisions/s",
                    "ZooKeeper, PER_NODE, 16 uplinks", "ZooKeeper, FIRST_FIT, 16 uplinks", "journal, 1 node",
                    "linear in nodes");
            // the x axis spans the node counts measured and marks each, not the decade 1-10
            assertThat(chart.svg()).contains("class=\"tick\">1<", "class=\"tick\">2<", "class=\"tick\">4<")
                    .doesNotContain("class=\"tick\">10<");
            // 3 + 1 + 1 points of the ZooKeeper series and one for the journal
            assertThat(chart.svg().split("<circle", -1)).hasSize(5 + 1 + 1);
        });
    }

    @Test
    void withoutResultsTheSectionSaysItDidNotRunAndTheGoalsAreNotMeasured() {
        Findings findings = new Findings();
        Section empty = ClusterArea.build(new Results(List.of()), findings);

        assertThat(empty.tables()).isEmpty();
        assertThat(empty.charts()).isEmpty();
        assertThat(empty.notes()).containsExactly("ClusterProvisioning did not run.");
        assertThat(findings.summary()).hasSize(4).allMatch(line -> line.verdict() == Verdict.NOT_MEASURED);
    }

    @Test
    void resultsWithoutTheNewColumnsStillRender() {
        // A file of the former harness: no uplinks, writes or lag.
        Section old = ClusterArea.build(new Results(List.of(result(1, 300), result(2, 350))));

        assertThat(old.tables().get(0).rows()).extracting(row -> text(row.subList(0, 4)))
                .containsExactly("zookeeper PER_NODE – 1", "zookeeper PER_NODE – 2");
    }

    @Test
    void figuresNearDoublesLimitsStillRender() {
        // Found by ReaderProperties: a subnormal or huge throughput made the log axis loop without end.
        Section extreme = ClusterArea.build(new Results(List.of(result(1, Double.MIN_VALUE),
                result(4, Double.MAX_VALUE))));

        assertThat(extreme.charts()).singleElement().satisfies(c -> assertThat(c.svg()).endsWith("</svg>\n"));
    }

    private static Result result(int nodes, double throughput) {
        return new Result("dev.iov.bench.cluster.ClusterProvisioning.provision", "sample", Map.of("store",
                "zookeeper", "nodes", Integer.toString(nodes), "selection", "PER_NODE", "vnics", "10"),
                Metric.of(1, "ms/op"), Map.of("throughput", Metric.of(throughput, "ops/s")));
    }

    private static Result lagResult(int nodes, double p99) {
        return new Result("dev.iov.bench.cluster.ClusterProvisioning.provision", "sample", Map.of("store",
                "zookeeper", "nodes", Integer.toString(nodes), "selection", "PER_NODE", "uplinks", "16", "vnics",
                "10"), Metric.of(1, "ms/op"), Map.of("throughput", Metric.of(500, "ops/s"), "lag.p99",
                Metric.of(p99, "ms"), "lag.p50", Metric.of(1, "ms"), "lag.missing", Metric.of(0, "events")));
    }

    private static String text(List<Cell> cells) {
        return String.join(" ", cells.stream().map(Cell::text).toList());
    }
}
