package dev.iov.cli.lab;

import dev.iov.cli.StandardStreams;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Prints a lab run for people: a progress line per step, tables under some, a summary table at the end. When
 * standard output cannot be written, a step, the fabric table or the summary fails the run (notices do not: the
 * teardown reports through them, also from a shutdown hook).
 */
final class TextReporter implements LabReporter {

    private final PrintWriter out;

    TextReporter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void notice(String kind, String message) {
        out.println(message);
        out.flush();
    }

    @Override
    public void fabricUp(String plane, List<LabVm> vms) {
        out.println("fabric up: " + plane);
        out.println(String.format(Locale.ROOT, "  %-6s %-4s %-18s %-16s %-17s %s", "VM", "HOST", "NETNS", "IP", "MAC",
                "NETWORK"));
        for (LabVm vm : vms) {
            out.println(String.format(Locale.ROOT, "  %-6s %-4s %-18s %-16s %-17s %s", vm.name(), vm.host(),
                    vm.netns(), vm.ip(), vm.mac(), vm.network()));
        }
        StandardStreams.check(out);
    }

    @Override
    public void step(int index, int total, StepResult result) {
        out.println(String.format(Locale.ROOT, "[%d/%d] %-44s %-4s %s", index, total, result.title(),
                result.ok() ? "ok" : "FAIL", result.detail()));
        result.lines().forEach(line -> out.println("      " + line));
        StandardStreams.check(out);
    }

    @Override
    public void summary(List<StepResult> results, double seconds, String pcap) {
        long failed = results.stream().filter(r -> !r.ok()).count();
        out.println();
        out.println(String.format(Locale.ROOT, "%-12s %-6s %s", "STEP", "RESULT", "DETAIL"));
        for (StepResult r : results) {
            out.println(String.format(Locale.ROOT, "%-12s %-6s %s", r.step(), r.ok() ? "ok" : "FAIL", r.detail()));
        }
        out.println(String.format(Locale.ROOT, "%d of %d steps ok in %.1f s%s", results.size() - failed,
                results.size(), seconds, pcap == null ? "" : "; mirror: " + pcap));
        StandardStreams.check(out);
    }
}
