package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel interfaces: one link change over iov's rtnetlink socket against forking {@code ip}
 * ({@code NetlinkBench}), and AF_PACKET sends one {@code sendto} per frame against one {@code sendmmsg} per batch
 * ({@code PacketSendBench}). Both need root.
 */
final class LinuxArea {
    static final String TITLE = "Kernel interfaces (netlink, AF_PACKET)";

    private LinuxArea() {
    }

    static Section build(Results results, Findings findings) {
        List<Table> tables = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Result netlink = results.find("NetlinkBench", "netlink", Map.of()).orElse(null);
        Result fork = results.find("NetlinkBench", "forkIp", Map.of()).orElse(null);
        double speedup = netlink == null || fork == null ? Double.NaN
                : Ratio.speedup(netlink.primary(), fork.primary());
        tables.add(new Table("µs per link change (set the MTU of a veth in a private namespace; JMH avgt)",
                List.of("operation", "iov rtnetlink µs", "fork ip link set µs", "speed-up"),
                List.of(List.of(Cell.of("set MTU of a veth"), Findings.scoreCell(netlink), Findings.scoreCell(fork),
                        Cell.of(Fmt.ratio(speedup))))));
        findings.speedup(TITLE, "link change: rtnetlink vs fork ip", speedup, Double.NaN);
        if (netlink == null) {
            notes.add("NetlinkBench did not run (needs root).");
        }
        List<List<Cell>> rows = new ArrayList<>();
        for (Result single : results.of("PacketSendBench", "single")) {
            String size = single.param("frameSize");
            Result batched = results.find("PacketSendBench", "batched", Map.of("frameSize", size)).orElse(null);
            double gain = batched == null ? Double.NaN : Ratio.speedup(batched.primary(), single.primary());
            rows.add(List.of(Cell.of(size), Findings.scoreCell(single), Findings.scoreCell(batched),
                    Cell.of(Fmt.ratio(gain)), Cell.of(Fmt.num(Findings.alloc(batched)))));
            findings.speedup(TITLE, "AF_PACKET " + size + " B: sendmmsg vs sendto", gain, Double.NaN);
        }
        if (rows.isEmpty()) {
            notes.add("PacketSendBench did not run (needs root).");
        }
        tables.add(new Table("frames per second on an AF_PACKET socket bound to a veth (JMH thrpt, higher is better)",
                List.of("frame bytes", "sendto per frame /s", "sendmmsg batch of 32 /s", "speed-up",
                        "batched alloc B/op"), rows));
        return new Section("linux", TITLE, "What iov's native layer saves over the usual way: a netlink request "
                + "instead of forking iproute2, and batched system calls for packet I/O.", tables, List.of(), notes);
    }
}
