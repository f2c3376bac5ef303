package dev.iov.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JMH's {@code -rf json} output (and {@code FabricScaleBench}'s, which has the same shape). JMH writes
 * {@code "NaN"} as a string where a number is unknown; such values read as {@link Double#NaN}.
 */
public final class JmhResultReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JmhResultReader() {
    }

    /**
     * @param source where the text came from, for messages
     * @param json the file's text: an array of results
     * @return the results, in file order
     * @throws ReportException when the text is not JMH's JSON, naming the source, the entry and the field
     */
    public static List<Result> read(String source, String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ReportException(source + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new ReportException(source + ": expected JMH's JSON results (an array), got "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            results.add(result(source + " entry " + i, root.get(i)));
        }
        return results;
    }

    private static Result result(String where, JsonNode node) {
        String benchmark = text(where, node, "benchmark");
        where = where + " (" + benchmark + ")";
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = node.get("params");
        if (p != null && p.isObject()) {
            p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        Metric primary = metric(where + " primaryMetric", required(where, node, "primaryMetric"));
        Map<String, Metric> secondary = new LinkedHashMap<>();
        JsonNode s = node.get("secondaryMetrics");
        if (s != null && s.isObject()) {
            String at = where;
            s.fields().forEachRemaining(e -> secondary.put(e.getKey(),
                    metric(at + " secondaryMetrics." + e.getKey(), e.getValue())));
        }
        return new Result(benchmark, text(where, node, "mode"), params, primary, secondary);
    }

    private static Metric metric(String where, JsonNode node) {
        double score = number(where, required(where, node, "score"), "score");
        JsonNode errorNode = node.get("scoreError");
        double error = errorNode == null ? Double.NaN : number(where, errorNode, "scoreError");
        Map<Double, Double> percentiles = new LinkedHashMap<>();
        JsonNode pct = node.get("scorePercentiles");
        if (pct != null && pct.isObject()) {
            pct.fields().forEachRemaining(e -> {
                double percent;
                try {
                    percent = Double.parseDouble(e.getKey());
                } catch (NumberFormatException ex) {
                    throw new ReportException(where + ": percentile key '" + e.getKey() + "' is not a number", ex);
                }
                percentiles.put(percent, number(where, e.getValue(), "scorePercentiles." + e.getKey()));
            });
        }
        return new Metric(score, error, text(where, node, "scoreUnit"), percentiles);
    }

    private static JsonNode required(String where, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ReportException(where + ": field '" + field + "' is missing");
        }
        return value;
    }

    private static String text(String where, JsonNode node, String field) {
        JsonNode value = required(where, node, field);
        if (!value.isTextual()) {
            throw new ReportException(where + ": field '" + field + "' must be a string, got " + value);
        }
        return value.asText();
    }

    private static double number(String where, JsonNode value, String field) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            switch (value.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new ReportException(where + ": field '" + field + "' must be a number, got " + value);
    }
}
