package dev.iov.bench.rss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link RssBench} (with JMH's GC profiler) and its C peer, DPDK's {@code rte_softrss}, in one run and prints
 * both figures and the ratio for IPv4+TCP and IPv6+TCP.
 *
 * <pre>{@code
 * iov-bench/peers/build.sh                      # once: builds iov-bench/target/peers/rss_softrss
 * java -cp iov-bench/target/benchmarks.jar dev.iov.bench.rss.RssComparison [PATH_TO_rss_softrss]
 * }</pre>
 * Exits with 1 when the peer is missing or fails (e.g. computes a hash that differs from Microsoft's table).
 */
public final class RssComparison {

    private static final Pattern PEER_LINE = Pattern.compile(
            "rte_softrss ipv4_tcp_ns=([0-9.]+) ipv6_tcp_ns=([0-9.]+) rte_softrss_be_ipv4_tcp_ns=([0-9.]+) "
                    + "rte_softrss_be_ipv6_tcp_ns=([0-9.]+)");

    private RssComparison() {
    }

    /**
     * Runs the comparison.
     *
     * @param args optionally the path of the peer program (default {@code iov-bench/target/peers/rss_softrss})
     * @throws RunnerException when JMH fails
     * @throws IOException when the peer cannot be run
     * @throws InterruptedException when interrupted while waiting for the peer
     */
    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        Path peer = Path.of(args.length > 0 ? args[0] : "iov-bench/target/peers/rss_softrss");
        if (!Files.isExecutable(peer)) {
            System.err.println("RssComparison: peer " + peer + " not found; build it with iov-bench/peers/build.sh");
            System.exit(1);
        }
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(RssBench.class.getName() + "\\.")
                .addProfiler(GCProfiler.class)
                .build()).run();
        Map<String, RunResult> byName = new HashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            byName.put(label.substring(label.lastIndexOf('.') + 1), result);
        }

        Process process = new ProcessBuilder(peer.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = process.waitFor();
        Matcher m = PEER_LINE.matcher(output);
        if (exit != 0 || !m.find()) {
            System.err.println("RssComparison: " + peer + " exited with " + exit + " and printed: " + output);
            System.exit(1);
        }
        double peerV4 = Double.parseDouble(m.group(1));
        double peerV6 = Double.parseDouble(m.group(2));

        System.out.println();
        System.out.println(output);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-18s %12s %14s %14s %10s%n", "benchmark", "iov ns/op", "alloc B/op",
                "rte_softrss ns", "rte/iov");
        row(byName.get("toeplitzIpv4Tcp"), peerV4);
        row(byName.get("toeplitzIpv6Tcp"), peerV6);
        row(byName.get("referenceIpv4Tcp"), peerV4);
    }

    private static void row(RunResult result, double peerNs) {
        Result<?> primary = result.getPrimaryResult();
        double alloc = Double.NaN;
        // JMH declares the map with the raw Result type; reading it as Map<String, ?> keeps the code warning-free.
        Map<String, ?> secondaries = result.getSecondaryResults();
        for (Map.Entry<String, ?> secondary : secondaries.entrySet()) {
            if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                alloc = ((Result<?>) secondary.getValue()).getScore();
            }
        }
        String label = result.getParams().getBenchmark();
        System.out.printf(Locale.ROOT, "%-18s %8.2f±%-4.2f %14.3f %14.2f %9.1fx%n",
                label.substring(label.lastIndexOf('.') + 1), primary.getScore(), primary.getScoreError(), alloc,
                peerNs, peerNs / primary.getScore());
    }
}
