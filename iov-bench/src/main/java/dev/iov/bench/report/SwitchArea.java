package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The software switch's forwarding path ({@code SwitchBench}), and the cost of its parts. */
final class SwitchArea {
    static final String TITLE = "Software switch forwarding";
    private static final Goal MAX_NS = Goal.atMost(33, "ns/frame");

    private SwitchArea() {
    }

    static Section build(Results results, Findings findings) {
        List<List<Cell>> rows = new ArrayList<>();
        List<SvgBarChart.Bar> bars = new ArrayList<>();
        List<Result> forwards = results.of("SwitchBench", "forward");
        double worstAlloc = Double.NaN;
        for (Result forward : forwards) {
            String topology = forward.param("topology");
            String ring = forward.param("ring");
            Map<String, String> params = Map.of("topology", topology, "ring", ring);
            Result mac = results.find("SwitchBench", "macTableOnly", params).orElse(null);
            Result parse = results.find("SwitchBench", "parseOnly", params).orElse(null);
            String what = topology + ", ring " + ring;
            double ns = forward.primary().score();
            Verdict vt = findings.judge(TITLE, "forward " + what, ns, Fmt.num(ns, "ns/frame"), MAX_NS);
            double alloc = Findings.alloc(forward);
            Verdict va = Findings.ALLOC_FREE.judge(alloc);
            worstAlloc = Double.isNaN(alloc) ? worstAlloc : Math.max(Double.isNaN(worstAlloc) ? 0 : worstAlloc, alloc);
            rows.add(List.of(Cell.of(topology), Cell.of(ring), Findings.scoreCell(forward),
                    Cell.of(Fmt.num(1000.0 / ns)), Cell.of(Fmt.num(alloc)), Findings.scoreCell(parse),
                    Findings.scoreCell(mac), Findings.goalCell(List.of(MAX_NS, Findings.ALLOC_FREE), List.of(vt, va))));
            bars.add(new SvgBarChart.Bar("", what, "forward", ns, MAX_NS.bound(), Fmt.num(ns, "ns")));
        }
        if (forwards.isEmpty()) {
            findings.judge(TITLE, "forward", Double.NaN, "", MAX_NS);
        }
        findings.judge(TITLE, "forward allocation, every configuration (largest)", worstAlloc,
                Fmt.num(worstAlloc, "B/op"), Findings.ALLOC_FREE);
        Table table = new Table("ns per 64-byte frame (JMH avgt, batches of 32, 8 ports, 2 VLANs, 4 096 learned MACs)",
                List.of("topology", "ring", "forward ns/frame", "Mpps per core", "alloc B/op", "parse only ns",
                        "MAC table only ns", "goal"), rows);
        List<Chart> charts = bars.isEmpty() ? List.of() : List.of(new Chart("switch-forward.svg",
                "Switch: ns per frame against the goal", SvgBarChart.render(
                        "Switch forwarding: ns per 64-byte frame (goal ≤ 33 ns = 30 Mpps per core)", "ns per frame",
                        bars, false)));
        List<String> notes = forwards.isEmpty() ? List.of("SwitchBench did not run.") : List.of();
        return new Section("switch", TITLE, "Frames through SoftwareSwitch.process in batches: parse, learn, "
                + "look up, VLAN tag push/pop (topology mixed), deliver. access = 8 access ports; mixed = 6 access "
                + "ports and 2 trunks. Goals from issue 5.", List.of(table), charts, notes);
    }
}
