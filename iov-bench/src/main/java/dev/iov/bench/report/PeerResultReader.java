package dev.iov.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the figures of peers that run outside JMH and gives them {@link Result}'s shape, so the report compares
 * everything the same way: DPDK's {@code rte_softrss} ({@code iov-bench/peers/rss_softrss}) and the end-to-end
 * switch runs ({@code iov-bench/e2e.sh --json}).
 */
public final class PeerResultReader {
    /** The benchmark name given to {@code rte_softrss}'s figures; methods {@code ipv4Tcp} and {@code ipv6Tcp}. */
    public static final String RTE_SOFTRSS = "peer.RteSoftrss";
    /** The benchmark name given to the end-to-end runs; methods {@code tcp} and {@code udp64}, param switch. */
    public static final String E2E = "e2e.EndToEnd";

    private static final Pattern RSS_LINE = Pattern.compile(
            "rte_softrss ipv4_tcp_ns=([0-9.]+) ipv6_tcp_ns=([0-9.]+)");
    private static final String[] SWITCHES = {"java-switch", "ovs-netdev", "linux-bridge"};

    private PeerResultReader() {
    }

    /**
     * @param source where the text came from, for messages
     * @param text the output of {@code rss_softrss}
     * @return its IPv4+TCP and IPv6+TCP figures in ns per hash
     * @throws ReportException when the text holds no such line
     */
    public static List<Result> readRteSoftrss(String source, String text) {
        Matcher m = RSS_LINE.matcher(text);
        if (!m.find()) {
            throw new ReportException(source + ": no line 'rte_softrss ipv4_tcp_ns=N ipv6_tcp_ns=N' in '"
                    + text.strip() + "'");
        }
        return List.of(peer(RTE_SOFTRSS + ".ipv4Tcp", Map.of(), Metric.of(Double.parseDouble(m.group(1)), "ns/op")),
                peer(RTE_SOFTRSS + ".ipv6Tcp", Map.of(), Metric.of(Double.parseDouble(m.group(2)), "ns/op")));
    }

    /**
     * @param source where the text came from, for messages
     * @param text the output of {@code e2e.sh --json}; its last non-empty line is the JSON object
     * @return TCP Mbit/s and 64-byte UDP kpps per switch that ran ({@code null} figures are switches that did not)
     * @throws ReportException when the last line is not that object
     */
    public static List<Result> readE2e(String source, String text) {
        String[] lines = text.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(last);
        } catch (JsonProcessingException e) {
            throw new ReportException(source + ": last line is not JSON: '" + last + "'", e);
        }
        if (root == null || !root.isObject() || !root.has("java_switch_mbps")) {
            throw new ReportException(source + ": expected {\"java_switch_mbps\":...} as the last line, got '"
                    + last + "'");
        }
        List<Result> results = new ArrayList<>();
        for (String name : SWITCHES) {
            String key = name.replace('-', '_');
            add(results, source, root, key + "_mbps", E2E + ".tcp", name, "Mbit/s");
            add(results, source, root, key + "_kpps", E2E + ".udp64", name, "kpps");
        }
        return results;
    }

    private static void add(List<Result> results, String source, JsonNode root, String field, String benchmark,
            String name, String unit) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            throw new ReportException(source + ": '" + field + "' must be a number or null, got " + value);
        }
        results.add(peer(benchmark, Map.of("switch", name), Metric.of(value.asDouble(), unit)));
    }

    private static Result peer(String benchmark, Map<String, String> params, Metric metric) {
        return new Result(benchmark, "peer", params, metric, Map.of());
    }
}
