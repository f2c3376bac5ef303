package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The MAC learning table ({@code MacTableBench}): iov against HashMap, fastutil and Agrona, in the same run. */
final class MacTableArea {
    static final String TITLE = "MAC learning table";
    private static final Goal MIN_SPEEDUP = Goal.atLeast(1.5, "× best peer");
    private static final List<String> PEERS = List.of("hashmap", "fastutil", "agrona");

    private MacTableArea() {
    }

    static Section build(Results results, Findings findings) {
        List<List<Cell>> rows = new ArrayList<>();
        List<SvgBarChart.Bar> bars = new ArrayList<>();
        double worstAlloc = Double.NaN;
        List<String> sizes = results.of("MacTableBench", "lookup").stream().map(r -> r.param("size")).distinct()
                .toList();
        if (sizes.isEmpty()) {
            sizes = List.of("4096", "65536");
        }
        for (String op : List.of("lookup", "learn")) {
            for (String size : sizes) {
                Result iov = results.find("MacTableBench", op, Map.of("impl", "iov", "size", size)).orElse(null);
                List<Cell> row = new ArrayList<>();
                row.add(Cell.of(op));
                row.add(Cell.of(Fmt.count(Long.parseLong(size))));
                row.add(Findings.scoreCell(iov));
                Result best = null;
                String group = op + ", " + Fmt.count(Long.parseLong(size)) + " entries";
                bars.add(new SvgBarChart.Bar(group, "iov", "iov", Findings.score(iov), Double.NaN,
                        Fmt.num(Findings.score(iov), "ns")));
                for (String peer : PEERS) {
                    Result p = results.find("MacTableBench", op, Map.of("impl", peer, "size", size)).orElse(null);
                    row.add(Findings.scoreCell(p));
                    if (p != null && (best == null || p.primary().score() < best.primary().score())) {
                        best = p;
                    }
                    bars.add(new SvgBarChart.Bar(group, peer, peer, Findings.score(p), Double.NaN,
                            Fmt.num(Findings.score(p), "ns")));
                }
                double speedup = iov == null || best == null ? Double.NaN
                        : Ratio.speedup(iov.primary(), best.primary());
                row.add(Cell.of(best == null ? "–" : best.param("impl")));
                row.add(Cell.of(Fmt.ratio(speedup)));
                double alloc = Findings.alloc(iov);
                row.add(Cell.of(Fmt.num(alloc)));
                String what = op + ", " + Fmt.count(Long.parseLong(size)) + " entries";
                Verdict vs = findings.judge(TITLE, what + " vs best peer", speedup, Fmt.ratio(speedup)
                        + (best == null ? "" : " (vs " + best.param("impl") + ")"), MIN_SPEEDUP);
                Verdict va = Findings.ALLOC_FREE.judge(alloc);
                worstAlloc = Double.isNaN(alloc) ? worstAlloc : Math.max(Double.isNaN(worstAlloc) ? 0 : worstAlloc,
                        alloc);
                row.add(Findings.goalCell(List.of(MIN_SPEEDUP, Findings.ALLOC_FREE), List.of(vs, va)));
                rows.add(row);
                findings.speedup(TITLE, what + " vs " + (best == null ? "best peer" : best.param("impl")), speedup,
                        MIN_SPEEDUP.bound());
            }
        }
        findings.judge(TITLE, "allocation, every iov operation (largest)", worstAlloc, Fmt.num(worstAlloc, "B/op"),
                Findings.ALLOC_FREE);
        Table table = new Table("ns per operation (JMH avgt, lower is better); speed-up = best peer / iov",
                List.of("operation", "entries", "iov ns", "HashMap ns", "fastutil ns", "Agrona ns", "best peer",
                        "speed-up", "iov alloc B/op", "goal"), rows);
        Chart chart = new Chart("mac-table.svg", "MAC table: ns per operation by implementation",
                SvgBarChart.render("MAC table: ns per operation (lower is better)", "ns per operation", bars, true));
        List<String> notes = results.has("MacTableBench") ? List.of() : List.of("MacTableBench did not run.");
        return new Section("mac-table", TITLE, "Learn and lookup keyed by (VLAN, MAC) at 4 096 and 65 536 entries: "
                + "iov's primitive open-addressing table against java.util.HashMap<Long,…>, fastutil and Agrona maps, "
                + "in the same JMH run (MacTableBench). Goals from issue 5.", List.of(table), List.of(chart), notes);
    }
}
