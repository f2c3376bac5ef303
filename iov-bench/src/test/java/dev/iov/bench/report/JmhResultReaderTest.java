package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultReaderTest {

    @Test
    void readsEveryEntryWithParamsScoresUnitsAndSecondaries() {
        List<Result> results = JmhResultReader.read("fixture", Fixtures.text(Fixtures.JMH));

        assertThat(results).hasSize(15);
        Result v4 = results.get(0);
        assertThat(v4.benchmark()).isEqualTo("dev.iov.bench.rss.RssBench.toeplitzIpv4Tcp");
        assertThat(v4.className()).isEqualTo("RssBench");
        assertThat(v4.method()).isEqualTo("toeplitzIpv4Tcp");
        assertThat(v4.mode()).isEqualTo("avgt");
        assertThat(v4.primary().score()).isEqualTo(5.0);
        assertThat(v4.primary().error()).isEqualTo(0.25);
        assertThat(v4.primary().unit()).isEqualTo("ns/op");
        assertThat(v4.secondary("gc.alloc.rate.norm")).map(Metric::score).contains(0.0001);
        Result fastutil = results.stream().filter(r -> "fastutil".equals(r.param("impl"))
                && r.method().equals("lookup")).findFirst().orElseThrow();
        assertThat(fastutil.params()).containsEntry("size", "4096");
        assertThat(fastutil.primary().score()).isEqualTo(10.5);
    }

    @Test
    void jmhsNanStringsReadAsNaN() {
        Result v6 = JmhResultReader.read("fixture", Fixtures.text(Fixtures.JMH)).get(1);

        assertThat(v6.primary().error()).isNaN();
    }

    @Test
    void findsTheAllocationUnderTheOldProfilerNameToo() {
        Result agrona = JmhResultReader.read("fixture", Fixtures.text(Fixtures.JMH)).stream()
                .filter(r -> "agrona".equals(r.param("impl"))).findFirst().orElseThrow();

        assertThat(agrona.secondary()).containsKey("\u00b7gc.alloc.rate.norm");
        assertThat(agrona.secondary("gc.alloc.rate.norm")).map(Metric::score).contains(0.0);
    }

    @Test
    void readsPercentilesOfSampleMode() {
        Result provision = JmhResultReader.read("fabric", Fixtures.text(Fixtures.FABRIC)).get(0);

        assertThat(provision.primary().percentile(50.0)).hasValue(2000.0);
        assertThat(provision.primary().percentile(99.0)).hasValue(8000.0);
        assertThat(provision.primary().percentile(99.9)).isEmpty();
        assertThat(provision.secondary("heap.per.vnic")).map(Metric::unit).contains("B/vNIC");
    }

    @Test
    void textThatIsNotJsonIsRefusedNamingTheSource() {
        assertThatThrownBy(() -> JmhResultReader.read("raw/jmh-x.json", "# Run progress: 0%"))
                .isInstanceOf(ReportException.class).hasMessageStartingWith("raw/jmh-x.json: not JSON");
    }

    @Test
    void anObjectInsteadOfAnArrayIsRefused() {
        assertThatThrownBy(() -> JmhResultReader.read("e2e.json", "{\"java_switch_mbps\":1}"))
                .isInstanceOf(ReportException.class).hasMessageContaining("expected JMH's JSON results (an array)");
    }

    @Test
    void aMissingFieldIsNamedWithItsEntryAndBenchmark() {
        String json = "[{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\"}]";

        assertThatThrownBy(() -> JmhResultReader.read("f.json", json)).isInstanceOf(ReportException.class)
                .hasMessage("f.json entry 0 (a.B.c): field 'primaryMetric' is missing");
    }

    @Test
    void aScoreThatIsNotANumberIsRefused() {
        String json = "[{\"benchmark\":\"a.B.c\",\"mode\":\"avgt\",\"primaryMetric\":{\"score\":\"fast\","
                + "\"scoreUnit\":\"ns/op\"}}]";

        assertThatThrownBy(() -> JmhResultReader.read("f.json", json)).isInstanceOf(ReportException.class)
                .hasMessageContaining("field 'score' must be a number, got \"fast\"");
    }

    @Test
    void anEmptyRunIsNoResults() {
        assertThat(JmhResultReader.read("f.json", "[]")).isEmpty();
    }

    @Test
    void resultsAreFoundByClassMethodAndParams() {
        Results results = Fixtures.all();

        assertThat(results.find("MacTableBench", "learn", Map.of("impl", "agrona", "size", "4096")))
                .map(r -> r.primary().score()).contains(15.0);
        assertThat(results.find("MacTableBench", "learn", Map.of("impl", "agrona", "size", "65536"))).isEmpty();
        assertThat(results.has("NetlinkBench")).isFalse();
    }
}
