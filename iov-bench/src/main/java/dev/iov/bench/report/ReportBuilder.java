package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Turns results into a {@link Report}: the overview, then one section per area, in a fixed order. */
public final class ReportBuilder {
    private ReportBuilder() {
    }

    /**
     * @param results every result of the run
     * @param machine where it ran
     * @param generated when and how, for the header
     * @param runNotes remarks of the run, e.g. which benchmarks were skipped and why
     * @return the report
     */
    public static Report build(Results results, Machine machine, String generated, List<String> runNotes) {
        Findings findings = new Findings();
        List<Section> areas = new ArrayList<>();
        areas.add(RssArea.build(results, findings));
        areas.add(MacTableArea.build(results, findings));
        areas.add(SwitchArea.build(results, findings));
        areas.add(LinuxArea.build(results, findings));
        areas.add(EndToEndArea.build(results, findings));
        areas.add(ControlPlaneArea.build(results, findings));
        areas.add(ClusterArea.build(results, findings));

        List<Section> sections = new ArrayList<>();
        Chart overview = new Chart("speedups.svg", "iov's speed-up over each peer", SvgBarChart.render(
                "iov's speed-up over its peers (×, log scale; red marks are goals)", "times faster than the peer",
                findings.speedups(), true));
        sections.add(new Section("overview", "Speed-ups at a glance", "Each bar is iov's figure over the peer's in "
                + "the same run (above 1× iov is faster). The summary table above lists every goal.", List.of(),
                List.of(overview), runNotes));
        sections.addAll(areas);
        return new Report("iov benchmark report", generated, machine, findings.summary(), sections);
    }
}
