package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** RSS: iov's Toeplitz hash ({@code RssBench}) against DPDK's {@code rte_softrss} on the same tuples. */
final class RssArea {
    static final String TITLE = "RSS (Toeplitz hash)";
    private static final Goal MAX_NS = Goal.atMost(4, "ns");
    private static final Goal MIN_SPEEDUP = Goal.atLeast(7, "×");

    private RssArea() {
    }

    static Section build(Results results, Findings findings) {
        Result v4 = results.find("RssBench", "toeplitzIpv4Tcp", Map.of()).orElse(null);
        Result v6 = results.find("RssBench", "toeplitzIpv6Tcp", Map.of()).orElse(null);
        Result ref = results.find("RssBench", "referenceIpv4Tcp", Map.of()).orElse(null);
        Result frame = results.find("RssBench", "queueOfIpv4TcpFrame", Map.of()).orElse(null);
        Result peerV4 = results.find("RteSoftrss", "ipv4Tcp", Map.of()).orElse(null);
        Result peerV6 = results.find("RteSoftrss", "ipv6Tcp", Map.of()).orElse(null);

        List<List<Cell>> rows = new ArrayList<>();
        double speedV4 = speedup(v4, peerV4);
        Verdict ns = findings.judge(TITLE, "IPv4+TCP hash", Findings.score(v4),
                Fmt.num(Findings.score(v4), "ns"), MAX_NS);
        Verdict ratio = findings.judge(TITLE, "IPv4+TCP hash vs rte_softrss", speedV4, Fmt.ratio(speedV4),
                MIN_SPEEDUP);
        Verdict alloc = findings.judge(TITLE, "IPv4+TCP hash allocation", Findings.alloc(v4),
                Fmt.num(Findings.alloc(v4), "B/op"), Findings.ALLOC_FREE);
        rows.add(row("IPv4+TCP hash (4-tuple)", v4, peerV4, speedV4,
                Findings.goalCell(List.of(MAX_NS, MIN_SPEEDUP, Findings.ALLOC_FREE), List.of(ns, ratio, alloc))));
        double speedV6 = speedup(v6, peerV6);
        rows.add(row("IPv6+TCP hash (4-tuple)", v6, peerV6, speedV6, Cell.of("—")));
        rows.add(row("IPv4+TCP, bit-by-bit reference (Java)", ref, peerV4, speedup(ref, peerV4), Cell.of("—")));
        rows.add(row("whole frame → queue (parse + hash + RETA)", frame, null, Double.NaN, Cell.of("—")));
        findings.speedup(TITLE, "IPv4+TCP hash vs rte_softrss", speedV4, MIN_SPEEDUP.bound());
        findings.speedup(TITLE, "IPv6+TCP hash vs rte_softrss", speedV6, Double.NaN);

        Table table = new Table("ns per hash (JMH avgt, lower is better); speed-up = rte_softrss / iov",
                List.of("benchmark", "iov ns", "iov alloc B/op", "rte_softrss ns", "speed-up", "goal"), rows);
        List<String> notes = new ArrayList<>();
        if (peerV4 == null) {
            notes.add("rte_softrss did not run (needs gcc and libdpdk-dev: iov-bench/peers/build.sh).");
        }
        if (v4 == null) {
            notes.add("RssBench did not run.");
        }
        return new Section("rss", TITLE, "The Toeplitz hash of the same IPv4/IPv6 TCP tuples: iov's table-driven "
                + "hash (RssBench, JMH) and DPDK's rte_softrss (iov-bench/peers/rss_softrss.c, gcc -O2, timed in C in "
                + "the same report run). Goals from issue 5.", List.of(table), List.of(), notes);
    }

    private static double speedup(Result iov, Result peer) {
        return iov == null || peer == null ? Double.NaN : Ratio.speedup(iov.primary(), peer.primary());
    }

    private static List<Cell> row(String label, Result iov, Result peer, double speedup, Cell goal) {
        return List.of(Cell.of(label), Findings.scoreCell(iov), Cell.of(Fmt.num(Findings.alloc(iov))),
                Cell.of(peer == null ? "–" : Fmt.num(peer.primary().score())), Cell.of(Fmt.ratio(speedup)), goal);
    }
}
