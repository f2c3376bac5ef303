package dev.iov.bench.report;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One measured quantity of a benchmark: JMH's score with its error and unit, and its percentiles when the mode has
 * them (sample mode: per-operation latencies).
 *
 * @param score the score
 * @param error the 99.9 % confidence half-width, NaN when unknown (one iteration, or a harness)
 * @param unit the unit, as JMH writes it ({@code ns/op}, {@code ops/s}, {@code B/op}, ...)
 * @param percentiles percentile (0-100) to value; empty when not measured
 */
public record Metric(double score, double error, String unit, Map<Double, Double> percentiles) {

    /**
     * @param score the score
     * @param error the error, NaN when unknown
     * @param unit the unit
     * @param percentiles the percentiles
     */
    public Metric {
        Objects.requireNonNull(unit, "unit");
        percentiles = Map.copyOf(percentiles);
    }

    /**
     * @param score the score
     * @param unit its unit
     * @return a metric without error or percentiles
     */
    public static Metric of(double score, String unit) {
        return new Metric(score, Double.NaN, unit, Map.of());
    }

    /**
     * @param percent 0-100, e.g. 99.0
     * @return the percentile, if measured
     */
    public OptionalDouble percentile(double percent) {
        Double value = percentiles.get(percent);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * Whether a smaller score is better: time per operation (and bytes per operation) is, rates are not.
     *
     * @return true for units per operation, false for units per second
     */
    public boolean lowerIsBetter() {
        return !unit.endsWith("/s") && !unit.endsWith("/sec") && !unit.equals("kpps") && !unit.equals("Mpps");
    }
}
