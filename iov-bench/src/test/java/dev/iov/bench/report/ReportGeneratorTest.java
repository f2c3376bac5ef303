package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {
    @TempDir
    Path dir;

    @Test
    void writesHtmlWithATablePerAreaTheMachineAndInlineCharts() throws IOException {
        Fixtures.writeRawDirectory(dir.resolve("raw"));

        ReportGenerator.generate(dir.resolve("raw"), dir.resolve("report"), Fixtures.MACHINE, "test run");

        String html = Files.readString(dir.resolve("report/index.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2 id=\"summary\">Summary</h2>")
                .contains("<th>rte_softrss ns</th>", "<th>HashMap ns</th>", "<th>forward ns/frame</th>",
                        "<th>java-switch</th>", "<th>heap B/vNIC</th>", "<th>drift ms</th>")
                .contains("<h2 id=\"rss\">", "<h2 id=\"mac-table\">", "<h2 id=\"control-plane\">",
                        "<h2 id=\"cluster\">")
                .contains("<th>provisions/s</th>", "<th>conflicts/vNIC</th>", "<th>vs journal</th>")
                .contains("<td class=\"num\">27.8×</td>")
                .contains("<td class=\"missed\">✗ missed</td>", "<td class=\"met\">✓ met</td>")
                .contains("Test CPU &lt;x86&gt;", "6.1.0-test", "OpenJDK 17")
                .contains("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("NetlinkBench and PacketSendBench skipped: they need root")
                .doesNotContain("Test CPU <x86>");
        assertThat(count(html, "<table>")).isEqualTo(1 + 1 + 1 + 1 + 2 + 1 + 4 + 1);
    }

    @Test
    void writesMarkdownAndTheChartFiles() throws IOException {
        Fixtures.writeRawDirectory(dir.resolve("raw"));

        ReportGenerator.generate(dir.resolve("raw"), dir.resolve("report"), Fixtures.MACHINE, "test run");

        String md = Files.readString(dir.resolve("report/report.md"));
        assertThat(md).contains("| area | measured | figure | goal | verdict |")
                .contains("| RSS (Toeplitz hash) | IPv4+TCP hash | 5.00 ns | ≤ 4 ns | ✗ missed |")
                .contains("![iov's speed-up over each peer](charts/speedups.svg)")
                .contains("## Management nodes on ZooKeeper")
                .contains("| zookeeper | PER_NODE | 16 | 4 | 1\u202f000 | 500 | 48.0 | 224 | 2.25 | 0.250 | 10.0 | 600 | "
                        + "0.250× | ≤ 500 ms lag p99 ✗ |")
                .contains("![Provisioning throughput against management nodes](charts/cluster-nodes.svg)");
        for (String chart : new String[] {"speedups.svg", "mac-table.svg", "switch-forward.svg", "e2e.svg",
                "provision-scaling.svg", "reports-scaling.svg", "cluster-nodes.svg"}) {
            assertThat(dir.resolve("report/charts").resolve(chart)).content().startsWith("<svg").endsWith("</svg>\n");
        }
    }

    @Test
    void aMalformedResultFileFailsNamingIt() throws IOException {
        Files.createDirectories(dir.resolve("raw"));
        Files.writeString(dir.resolve("raw/jmh-hot-path.json"), "[{\"mode\":\"avgt\"}]");

        assertThatThrownBy(() -> ReportGenerator.generate(dir.resolve("raw"), dir.resolve("report"), Fixtures.MACHINE,
                "x")).isInstanceOf(ReportException.class).hasMessageContaining("jmh-hot-path.json entry 0")
                .hasMessageContaining("'benchmark' is missing");
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void aClusterResultWithoutANodeCountFailsNamingTheFileAndEntry() throws IOException {
        Fixtures.writeRawDirectory(dir.resolve("raw"));
        Path cluster = dir.resolve("raw").resolve(ClusterResultReader.FILE);
        Files.writeString(cluster, Files.readString(cluster).replaceFirst("\"nodes\": \"2\"", "\"nodes\": \"two\""));

        assertThatThrownBy(() -> ReportGenerator.generate(dir.resolve("raw"), dir.resolve("report"), Fixtures.MACHINE,
                "x")).isInstanceOf(ReportException.class)
                .hasMessageContaining(cluster + " entry 2 (dev.iov.bench.cluster.ClusterProvisioning.provision)")
                .hasMessageContaining("parameter 'nodes' must be a positive number, got 'two'");
        assertThat(dir.resolve("report")).doesNotExist();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
