package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** End-to-end throughput through three switches in the same topology ({@code iov-bench/e2e.sh --json}). */
final class EndToEndArea {
    static final String TITLE = "End to end: Java switch, OVS userspace, Linux bridge";
    /** Issue 6's goal for the Java switch against Open vSwitch's userspace datapath on TCP. */
    private static final Goal MIN_VS_OVS = Goal.atLeast(1.5, "× ovs-netdev");
    private static final List<String> SWITCHES = List.of("java-switch", "ovs-netdev", "linux-bridge");

    private EndToEndArea() {
    }

    static Section build(Results results, Findings findings) {
        List<List<Cell>> rows = new ArrayList<>();
        List<SvgBarChart.Bar> bars = new ArrayList<>();
        for (String[] kind : new String[][] {{"tcp", "TCP, one stream", "Mbit/s"}, {"udp64", "UDP, 64-byte frames",
                "kpps"}}) {
            Result java = results.find("EndToEnd", kind[0], Map.of("switch", "java-switch")).orElse(null);
            Result ovs = results.find("EndToEnd", kind[0], Map.of("switch", "ovs-netdev")).orElse(null);
            Result bridge = results.find("EndToEnd", kind[0], Map.of("switch", "linux-bridge")).orElse(null);
            double vsOvs = java == null || ovs == null ? Double.NaN : Ratio.speedup(java.primary(), ovs.primary());
            double vsBridge = java == null || bridge == null ? Double.NaN
                    : Ratio.speedup(java.primary(), bridge.primary());
            Cell goal = Cell.of("—");
            if (kind[0].equals("tcp")) {
                Verdict v = findings.judge(TITLE, "TCP Java switch vs OVS userspace (issue 6)", vsOvs,
                        Fmt.ratio(vsOvs), MIN_VS_OVS);
                goal = Findings.goalCell(List.of(MIN_VS_OVS), List.of(v));
                findings.speedup(TITLE, "TCP java-switch vs ovs-netdev", vsOvs, MIN_VS_OVS.bound());
            }
            rows.add(List.of(Cell.of(kind[1] + " (" + kind[2] + ")"), Findings.scoreCell(java),
                    Findings.scoreCell(ovs), Findings.scoreCell(bridge), Cell.of(Fmt.ratio(vsOvs)),
                    Cell.of(Fmt.ratio(vsBridge)), goal));
            for (String name : SWITCHES) {
                Result r = results.find("EndToEnd", kind[0], Map.of("switch", name)).orElse(null);
                bars.add(new SvgBarChart.Bar(kind[1], name, name, Findings.score(r), Double.NaN,
                        Fmt.num(Findings.score(r), kind[2])));
            }
        }
        Table table = new Table("iperf3 between two VM namespaces through a switch in a third namespace (higher is "
                + "better)", List.of("traffic", "java-switch", "ovs-netdev", "linux-bridge", "java / OVS",
                "java / bridge", "goal"), rows);
        boolean ran = results.has("EndToEnd");
        List<Chart> charts = ran ? List.of(new Chart("e2e.svg", "End to end throughput",
                SvgBarChart.render("End to end: TCP Mbit/s and 64-byte UDP kpps (higher is better)",
                        "Mbit/s (TCP) · kpps (UDP)", bars, true))) : List.of();
        List<String> notes = ran ? List.of("The 64-byte UDP rate is bounded by the iperf3 sender on a small VM.")
                : List.of("e2e.sh did not run (needs root, iperf3, jq, ethtool; openvswitch-switch for OVS).");
        return new Section("e2e", TITLE, "VM namespaces with offloads on, veth to a switch namespace: iov's "
                + "SoftwareSwitch on AF_PACKET ports with virtio-net headers, ovs-vswitchd with the netdev datapath "
                + "(userspace TSO), and the kernel bridge as the ceiling (iov-bench/e2e.sh --json).", List.of(table),
                charts, notes);
    }
}
