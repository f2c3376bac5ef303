package dev.iov.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.bench.report.ClusterResultReader;
import dev.iov.bench.report.Metric;
import dev.iov.bench.report.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the harness on a real in-process ensemble with tiny sizes: what it writes is what the report reads. */
class ClusterProvisioningTest {
    @TempDir
    Path dir;

    @Test
    void tinyRunWritesEveryConfigurationWithWritesConflictsAndLagAsJsonTheReportReadsAndAsTsv() throws Exception {
        Path json = dir.resolve(ClusterResultReader.FILE);
        Path tsv = dir.resolve("cluster.tsv");

        int status = ClusterProvisioning.run(new String[] {"--vnics", "12", "--threads", "1", "--json",
                json.toString(), "--tsv", tsv.toString()});

        assertThat(status).as("every vNIC's event reached every other node").isZero();
        List<Result> results = ClusterResultReader.read(json.toString(), Files.readString(json));
        // the journal, then 1, 2 and 4 member nodes over 16 uplinks, 2 nodes on one uplink, 2 nodes FIRST_FIT
        assertThat(results).extracting(r -> r.param("store") + " " + r.param("selection") + " " + r.param("uplinks")
                + " " + r.param("nodes")).containsExactly("journal - 16 1", "zookeeper PER_NODE 16 1",
                "zookeeper PER_NODE 16 2", "zookeeper PER_NODE 16 4", "zookeeper PER_NODE 1 2",
                "zookeeper FIRST_FIT 16 2");
        for (Result r : results) {
            assertThat(r.param("vnics")).isEqualTo("12");
            assertThat(r.param("threadsPerNode")).isEqualTo("1");
            assertThat(r.primary().unit()).isEqualTo("ms/op");
            assertThat(r.primary().percentile(99.0).getAsDouble())
                    .isGreaterThanOrEqualTo(r.primary().percentile(50.0).getAsDouble()).isPositive();
            assertThat(score(r, "throughput")).isPositive();
            assertThat(score(r, "conflicts.per.vnic")).isNotNegative();
            // a provision is two writes (one multi-op, then the attached record); conflicts add retries
            assertThat(score(r, "writes.per.vnic")).isGreaterThanOrEqualTo(2.0)
                    .isEqualTo(2.0 + score(r, "conflicts.per.vnic"), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(score(r, "write.ms")).isPositive();
            assertThat(score(r, "failed")).isZero();
            if (Integer.parseInt(r.param("nodes")) == 1) {
                assertThat(r.secondary("lag.p99")).isEmpty();
            } else {
                int nodes = Integer.parseInt(r.param("nodes"));
                assertThat(score(r, "lag.missing")).isZero();
                assertThat(score(r, "lag.events")).isEqualTo(12.0 * (nodes - 1));
                assertThat(score(r, "lag.p99")).isGreaterThanOrEqualTo(score(r, "lag.p50")).isNotNegative()
                        .isLessThanOrEqualTo(score(r, "lag.max"));
            }
        }
        assertThat(Files.readAllLines(tsv)).hasSize(1 + results.size())
                .first().asString().startsWith("store\tnodes\tmac_chunks\tuplinks\tvnics\tvnics_per_s")
                .contains("writes_per_vnic", "lag_p99_ms");
    }

    private static double score(Result r, String metric) {
        return r.secondary(metric).map(Metric::score).orElseThrow(() -> new AssertionError(metric + " missing"));
    }
}
