package dev.iov.bench.fabric;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes results in the shape of JMH's {@code -rf json} output (one object per benchmark and parameter set, with
 * {@code primaryMetric} and {@code secondaryMetrics}), so that the report reads the harness and the JMH benchmarks
 * with one parser. Only the fields the report needs are written, with JMH's names and meanings. Public because the
 * other timed harnesses ({@code dev.iov.bench.cluster.ClusterProvisioning}) write the same shape.
 */
public final class JmhJson {
    /** The percentiles written for a latency distribution, as JMH names them. */
    private static final double[] PERCENTILES = {0.0, 50.0, 90.0, 99.0, 99.9, 100.0};

    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ArrayNode results = mapper.createArrayNode();

    /** An empty list of results. */
    public JmhJson() {
    }

    /**
     * Starts one result.
     *
     * @param benchmark the full name, {@code class.method}
     * @param mode JMH's short mode name: {@code sample}, {@code avgt}, {@code ss}
     * @param threads how many threads ran the operations
     * @param params the parameters, as strings (JMH's convention)
     * @return the result's object, to add the metrics to
     */
    public ObjectNode add(String benchmark, String mode, int threads, Map<String, String> params) {
        ObjectNode result = results.addObject();
        result.put("benchmark", benchmark);
        result.put("mode", mode);
        result.put("threads", threads);
        result.put("forks", 0);
        result.put("jvm", ProcessHandle.current().info().command().orElse("java"));
        result.put("jdkVersion", System.getProperty("java.version"));
        result.put("vmName", System.getProperty("java.vm.name"));
        result.put("vmVersion", System.getProperty("java.vm.version"));
        result.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        ObjectNode p = result.putObject("params");
        params.forEach(p::put);
        return result;
    }

    /**
     * Sets the primary metric from a latency distribution: mean score and JMH's percentile keys.
     *
     * @param result from {@link #add}
     * @param sortedNanos per-operation latencies, ascending
     * @param unit {@code us/op} or {@code ms/op}
     * @param nanosPerUnit 1 000 for microseconds, 1 000 000 for milliseconds
     */
    public static void primary(ObjectNode result, long[] sortedNanos, String unit, double nanosPerUnit) {
        ObjectNode metric = result.putObject("primaryMetric");
        metric.put("score", LatencyRecorder.mean(sortedNanos) / nanosPerUnit);
        metric.put("scoreError", "NaN");
        ObjectNode percentiles = metric.putObject("scorePercentiles");
        for (double p : PERCENTILES) {
            percentiles.put(String.format(Locale.ROOT, "%.1f", p),
                    LatencyRecorder.percentile(sortedNanos, p) / nanosPerUnit);
        }
        metric.put("scoreUnit", unit);
    }

    /**
     * Adds a secondary metric with one value.
     *
     * @param result from {@link #add}
     * @param name the metric's name
     * @param value its value
     * @param unit its unit
     */
    public static void secondary(ObjectNode result, String name, double value, String unit) {
        ObjectNode secondaries = result.has("secondaryMetrics") ? (ObjectNode) result.get("secondaryMetrics")
                : result.putObject("secondaryMetrics");
        ObjectNode metric = secondaries.putObject(name);
        metric.put("score", value);
        metric.put("scoreError", "NaN");
        metric.put("scoreUnit", unit);
    }

    /**
     * Writes every result.
     *
     * @param file the JSON file
     * @throws IOException when it cannot be written
     */
    public void write(Path file) throws IOException {
        mapper.writeValue(file.toFile(), results);
    }
}
