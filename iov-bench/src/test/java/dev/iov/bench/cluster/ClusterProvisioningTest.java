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
    void tinyRunWritesEveryConfigurationAsJsonTheReportReadsAndAsTsv() throws Exception {
        Path json = dir.resolve(ClusterResultReader.FILE);
        Path tsv = dir.resolve("cluster.tsv");

        ClusterProvisioning.main(new String[] {"--vnics", "12", "--threads", "1", "--json", json.toString(), "--tsv",
                tsv.toString()});

        List<Result> results = ClusterResultReader.read(json.toString(), Files.readString(json));
        // the journal, then 1, 2 and 4 nodes for PER_NODE, FIRST_FIT and LEASED
        assertThat(results).extracting(r -> r.param("store") + " " + r.param("selection") + " " + r.param("nodes"))
                .containsExactly("journal - 1", "zookeeper PER_NODE 1", "zookeeper PER_NODE 2",
                        "zookeeper PER_NODE 4", "zookeeper FIRST_FIT 1", "zookeeper FIRST_FIT 2",
                        "zookeeper FIRST_FIT 4", "zookeeper LEASED 1", "zookeeper LEASED 2", "zookeeper LEASED 4");
        for (Result r : results) {
            assertThat(r.param("vnics")).isEqualTo("12");
            assertThat(r.param("threadsPerNode")).isEqualTo("1");
            assertThat(r.primary().unit()).isEqualTo("ms/op");
            assertThat(r.primary().percentile(99.0).getAsDouble())
                    .isGreaterThanOrEqualTo(r.primary().percentile(50.0).getAsDouble()).isPositive();
            assertThat(r.secondary("throughput").map(Metric::score).orElseThrow()).isPositive();
            assertThat(r.secondary("conflicts.per.vnic").map(Metric::score).orElseThrow()).isNotNegative();
        }
        assertThat(Files.readAllLines(tsv)).hasSize(1 + results.size())
                .first().asString().startsWith("store\tnodes\tmac_chunks\tvnics\tvnics_per_s");
    }
}
