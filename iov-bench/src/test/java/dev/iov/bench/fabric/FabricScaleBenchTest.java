package dev.iov.bench.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.bench.report.JmhResultReader;
import dev.iov.bench.report.Metric;
import dev.iov.bench.report.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the harness on a tiny fabric: it must finish, leave no store behind and write what the report reads. */
class FabricScaleBenchTest {
    @TempDir
    Path dir;

    @Test
    void tinyRunWritesJmhShapedResultsForEveryOperationAndSize() throws IOException {
        Path out = dir.resolve("fabric.json");

        FabricScaleBench.execute("--sizes", "40,80", "--hosts", "2,4", "--clients", "4", "--report-hosts", "2,3",
                "--report-runs", "2", "--warmup", "20", "--dir", dir.resolve("stores").toString(), "--out",
                out.toString());

        List<Result> results = JmhResultReader.read(out.toString(), Files.readString(out));
        // 2 stores x 2 sizes x 2 host counts x (provision, release), then 2 host counts x (drift, planning)
        assertThat(results).hasSize(2 * 2 * 2 * 2 + 2 * 2);
        Result provision = results.stream().filter(r -> r.method().equals("provision")
                && "journal".equals(r.param("store")) && "80".equals(r.param("vnics")) && "4".equals(r.param("hosts")))
                .findFirst().orElseThrow();
        assertThat(provision.param("clients")).isEqualTo("4");
        assertThat(provision.primary().unit()).isEqualTo("us/op");
        assertThat(provision.primary().percentile(50.0)).isPresent();
        assertThat(provision.primary().percentile(99.0).getAsDouble())
                .isGreaterThanOrEqualTo(provision.primary().percentile(50.0).getAsDouble());
        assertThat(provision.secondary("wall").map(Metric::score).orElseThrow()).isPositive();
        assertThat(provision.secondary("throughput").map(Metric::unit)).contains("ops/s");
        assertThat(provision.secondary("journal.per.vnic").map(Metric::score).orElseThrow()).isPositive();
        assertThat(provision.secondary("heap.per.vnic")).isPresent();
        assertThat(provision.secondary("alloc.per.op").map(Metric::score).orElseThrow()).isPositive();
        Result drift = results.stream().filter(r -> r.method().equals("driftReport") && "3".equals(r.param("hosts")))
                .findFirst().orElseThrow();
        assertThat(drift.primary().unit()).isEqualTo("ms/op");
        assertThat(drift.secondary("per.host")).isPresent();
        try (var left = Files.list(dir.resolve("stores"))) {
            assertThat(left).as("journal directories are deleted after each batch").isEmpty();
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> FabricScaleBench.execute("--sizes", "1000,x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--sizes takes comma-separated numbers, got '1000,x'");
        assertThatThrownBy(() -> FabricScaleBench.execute("--hosts", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1, got '0'");
        assertThatThrownBy(() -> FabricScaleBench.execute("--fast"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown argument '--fast'");
        assertThat(dir).isEmptyDirectory();
    }
}
