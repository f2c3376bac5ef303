package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterResultReaderTest {
    private static final String ENTRY = """
            [{"benchmark": "dev.iov.bench.cluster.ClusterProvisioning.provision", "mode": "sample",
              "params": {%s},
              "primaryMetric": {"score": 20.0, "scoreError": "NaN", "scoreUnit": "ms/op",
                                "scorePercentiles": {"50.0": 14.0, "99.0": 44.0}},
              "secondaryMetrics": {%s}}]
            """;
    private static final String PARAMS = "\"store\": \"zookeeper\", \"nodes\": \"2\", \"selection\": \"PER_NODE\", "
            + "\"vnics\": \"1000\"";
    private static final String METRICS = "\"throughput\": {\"score\": 300.0, \"scoreUnit\": \"ops/s\"}, "
            + "\"conflicts.per.vnic\": {\"score\": 0.8, \"scoreUnit\": \"conflicts/vNIC\"}";

    @Test
    void readsTheFixtureWithParamsLatenciesThroughputConflictsWritesAndLag() {
        List<Result> results = ClusterResultReader.read(Fixtures.CLUSTER, Fixtures.text(Fixtures.CLUSTER));

        assertThat(results).hasSize(6).allMatch(r -> r.className().equals("ClusterProvisioning"));
        Result firstFit = new Results(results).find("ClusterProvisioning", "provision",
                Map.of("store", "zookeeper", "selection", "FIRST_FIT", "nodes", "2")).orElseThrow();
        assertThat(firstFit.secondary("throughput").orElseThrow()).isEqualTo(Metric.of(150.0, "ops/s"));
        assertThat(firstFit.secondary("conflicts.per.vnic").orElseThrow().score()).isEqualTo(0.8);
        assertThat(firstFit.secondary("writes.per.vnic").orElseThrow().score()).isEqualTo(2.8);
        assertThat(firstFit.secondary("lag.p99").orElseThrow()).isEqualTo(Metric.of(6.0, "ms"));
        assertThat(firstFit.primary().percentile(99.0)).hasValue(743.0);
        assertThat(firstFit.param("vnics")).isEqualTo("1000");
        assertThat(firstFit.param("uplinks")).isEqualTo("16");
        assertThat(results.get(0).params()).containsEntry("store", "journal").containsEntry("selection", "-");
    }

    @Test
    void aWellFormedEntryReads() {
        assertThat(ClusterResultReader.read("c.json", ENTRY.formatted(PARAMS, METRICS))).singleElement()
                .satisfies(r -> assertThat(r.param("nodes")).isEqualTo("2"));
    }

    @Test
    void anUnknownStoreIsRefusedNamingTheFileAndEntry() {
        assertThatThrownBy(() -> ClusterResultReader.read("c.json", ENTRY.formatted(
                PARAMS.replace("zookeeper", "etcd"), METRICS))).isInstanceOf(ReportException.class)
                .hasMessageStartingWith("c.json entry 0 (dev.iov.bench.cluster.ClusterProvisioning.provision)")
                .hasMessageContaining("'store'").hasMessageContaining("'etcd'");
    }

    @Test
    void aNodeCountThatIsNotPositiveIsRefused() {
        for (String nodes : new String[] {"0", "-1", "four", ""}) {
            assertThatThrownBy(() -> ClusterResultReader.read("c.json", ENTRY.formatted(
                    PARAMS.replace("\"nodes\": \"2\"", "\"nodes\": \"" + nodes + "\""), METRICS)))
                    .isInstanceOf(ReportException.class).hasMessageStartingWith("c.json entry 0")
                    .hasMessageContaining("parameter 'nodes' must be a positive number, got '" + nodes + "'");
        }
    }

    @Test
    void missingParamsAndTheThroughputAreNamed() {
        assertThatThrownBy(() -> ClusterResultReader.read("c.json", ENTRY.formatted(
                PARAMS.replace(", \"selection\": \"PER_NODE\"", ""), METRICS)))
                .isInstanceOf(ReportException.class).hasMessageContaining("c.json entry 0")
                .hasMessageContaining("'selection' is missing");
        assertThatThrownBy(() -> ClusterResultReader.read("c.json", ENTRY.formatted(
                PARAMS.replace(", \"vnics\": \"1000\"", ""), METRICS)))
                .isInstanceOf(ReportException.class).hasMessageContaining("'vnics' must be a positive number, got "
                        + "nothing");
        assertThatThrownBy(() -> ClusterResultReader.read("c.json", ENTRY.formatted(PARAMS,
                "\"wall\": {\"score\": 1.0, \"scoreUnit\": \"s\"}")))
                .isInstanceOf(ReportException.class).hasMessageContaining("'throughput' is missing");
    }

    @Test
    void anotherBenchmarksResultsAreRefused() {
        assertThatThrownBy(() -> ClusterResultReader.read("c.json", ENTRY.formatted(PARAMS, METRICS)
                .replace("cluster.ClusterProvisioning", "fabric.FabricScaleBench")))
                .isInstanceOf(ReportException.class).hasMessageContaining("expected a ClusterProvisioning result");
    }

    @Test
    void textThatIsNotJsonIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> ClusterResultReader.read("raw/cluster-provisioning.json", "store\tnodes\n"))
                .isInstanceOf(ReportException.class).hasMessageStartingWith("raw/cluster-provisioning.json: not JSON");
    }
}
