package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterAreaTest {
    private final Section section = ClusterArea.build(Fixtures.all());

    @Test
    void theTableHasTheJournalFirstThenEachSelectionByNodesWithItsRatioToTheJournal() {
        Table table = section.tables().get(0);

        assertThat(table.header()).containsExactly("store", "MAC chunks", "nodes", "vNICs", "provisions/s", "p50 ms",
                "p99 ms", "conflicts/vNIC", "vs journal", "goal");
        assertThat(table.rows()).extracting(row -> text(row.subList(0, 3))).containsExactly(
                "journal — 1", "zookeeper PER_NODE 1", "zookeeper PER_NODE 2", "zookeeper PER_NODE 4",
                "zookeeper FIRST_FIT 1", "zookeeper FIRST_FIT 2", "zookeeper FIRST_FIT 4");
        assertThat(text(table.rows().get(0))).isEqualTo("journal — 1 1\u202f000 2\u202f000 1.20 6.50 0.00 – —");
        assertThat(text(table.rows().get(3))).isEqualTo("zookeeper PER_NODE 4 1\u202f000 500 48.0 224 0.00 0.250× —");
        assertThat(text(table.rows().get(6))).isEqualTo("zookeeper FIRST_FIT 4 1\u202f000 100 45.0 937 2.50 0.050× —");
    }

    @Test
    void noGoalIsSetSoNothingIsJudged() {
        assertThat(section.tables().get(0).rows()).allSatisfy(row -> {
            assertThat(row.get(row.size() - 1).text()).isEqualTo("—");
            assertThat(row).allMatch(cell -> cell.verdict() == null);
        });
        assertThat(ReportBuilder.build(Fixtures.all(), Fixtures.MACHINE, "t", List.of()).summary())
                .noneMatch(line -> line.area().equals(ClusterArea.TITLE));
    }

    @Test
    void theObservationSaysWhetherThroughputScalesWithNodes() {
        assertThat(section.notes()).contains(
                "ZooKeeper, PER_NODE: 4 nodes give 2.00× the provisions/s of 1 (scales with nodes).",
                "ZooKeeper, FIRST_FIT: 4 nodes give 0.500× the provisions/s of 1 (drops as nodes are added).");
    }

    @Test
    void theChartPlotsThroughputAgainstNodesForEverySelectionAndTheJournal() {
        assertThat(section.charts()).singleElement().satisfies(chart -> {
            assertThat(chart.file()).isEqualTo("cluster-nodes.svg");
            assertThat(chart.svg()).startsWith("<svg").contains("management nodes", "provisions/s",
                    "ZooKeeper, PER_NODE", "ZooKeeper, FIRST_FIT", "journal, 1 node", "linear in nodes");
            // the x axis spans the node counts measured and marks each, not the decade 1-10
            assertThat(chart.svg()).contains("class=\"tick\">1<", "class=\"tick\">2<", "class=\"tick\">4<")
                    .doesNotContain("class=\"tick\">10<");
            // 3 + 3 points of the ZooKeeper series and one for the journal
            assertThat(chart.svg().split("<circle", -1)).hasSize(7 + 1);
        });
    }

    @Test
    void withoutResultsTheSectionSaysItDidNotRun() {
        Section empty = ClusterArea.build(new Results(List.of()));

        assertThat(empty.tables()).isEmpty();
        assertThat(empty.charts()).isEmpty();
        assertThat(empty.notes()).containsExactly("ClusterProvisioning did not run.");
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

    private static String text(List<Cell> cells) {
        return String.join(" ", cells.stream().map(Cell::text).toList());
    }
}
