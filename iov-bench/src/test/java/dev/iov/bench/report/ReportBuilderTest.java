package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {
    private final Report report = ReportBuilder.build(Fixtures.all(), Fixtures.MACHINE, "test", List.of("a note"));
    private final Map<String, SummaryLine> summary = report.summary().stream()
            .collect(Collectors.toMap(SummaryLine::what, Function.identity(), (a, b) -> a));

    @Test
    void rssIsJudgedOnNanosecondsRatioToRteSoftrssAndAllocation() {
        assertThat(summary.get("IPv4+TCP hash")).extracting(SummaryLine::measured, SummaryLine::goal,
                SummaryLine::verdict).containsExactly("5.00 ns", "≤ 4 ns", Verdict.MISSED);
        assertThat(summary.get("IPv4+TCP hash vs rte_softrss")).extracting(SummaryLine::measured,
                SummaryLine::verdict).containsExactly("27.8×", Verdict.MET);
        assertThat(summary.get("IPv4+TCP hash allocation").verdict()).isEqualTo(Verdict.MET);
    }

    @Test
    void macTableIsComparedWithItsBestPeer() {
        assertThat(summary.get("lookup, 4\u202f096 entries vs best peer")).extracting(SummaryLine::measured,
                SummaryLine::verdict).containsExactly("1.75× (vs fastutil)", Verdict.MET);
        assertThat(summary.get("learn, 4\u202f096 entries vs best peer")).extracting(SummaryLine::measured,
                SummaryLine::verdict).containsExactly("1.00× (vs fastutil)", Verdict.MISSED);
    }

    @Test
    void switchForwardingIsJudgedAgainst33Nanoseconds() {
        assertThat(summary.get("forward access, ring 4096")).extracting(SummaryLine::measured, SummaryLine::verdict)
                .containsExactly("44.0 ns/frame", Verdict.MISSED);
    }

    @Test
    void endToEndRatioAtExactlyTheGoalIsMet() {
        assertThat(summary.get("TCP Java switch vs OVS userspace (issue 6)")).extracting(SummaryLine::measured,
                SummaryLine::verdict).containsExactly("1.50×", Verdict.MET);
    }

    @Test
    void controlPlaneGoalsComeFromFabricScaleBench() {
        assertThat(line("100 000 vNICs provisioned")).extracting(SummaryLine::what, SummaryLine::measured,
                SummaryLine::verdict).containsExactly("100 000 vNICs provisioned, journal store (slowest of 10 hosts)",
                        "2.50 s (10 hosts, 40\u202f000 /s)", Verdict.MET);
        assertThat(line("provision cost per vNIC")).extracting(SummaryLine::what, SummaryLine::measured,
                SummaryLine::verdict).containsExactly("provision cost per vNIC (wall / vNICs) growth 1\u202f000 → "
                        + "100\u202f000 vNICs, journal store (worst host count)", "0.625×", Verdict.MET);
        // the fixture has no in-memory store run
        assertThat(line("fabric CPU per provision")).extracting(SummaryLine::verdict)
                .isEqualTo(Verdict.NOT_MEASURED);
        assertThat(summary.get("drift report time vs hosts (slope of log time / log hosts)")).extracting(
                SummaryLine::measured, SummaryLine::verdict).containsExactly("1.04", Verdict.MET);
    }

    @Test
    void allocationIsSummarizedByTheLargestFigureOfAnArea() {
        assertThat(summary.get("allocation, every iov operation (largest)")).extracting(SummaryLine::measured,
                SummaryLine::verdict).containsExactly("0.00 B/op", Verdict.MET);
        assertThat(report.summary()).filteredOn(l -> l.area().equals(MacTableArea.TITLE)).hasSize(3);
    }

    private SummaryLine line(String prefix) {
        return report.summary().stream().filter(l -> l.what().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void areasThatDidNotRunAreNotMeasuredAndSaySo() {
        Section linux = report.sections().stream().filter(s -> s.id().equals("linux")).findFirst().orElseThrow();

        assertThat(linux.notes()).contains("NetlinkBench did not run (needs root).");
        Report empty = ReportBuilder.build(new Results(List.of()), Fixtures.MACHINE, "test", List.of());
        assertThat(empty.summary()).isNotEmpty().allMatch(l -> l.verdict() == Verdict.NOT_MEASURED);
    }

    @Test
    void everyAreaHasASectionInOrderAfterTheOverview() {
        assertThat(report.sections()).extracting(Section::id).containsExactly("overview", "rss", "mac-table",
                "switch", "linux", "e2e", "control-plane", "cluster");
        assertThat(report.sections().get(0).notes()).containsExactly("a note");
    }
}
