package dev.iov.bench.report;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A bound a figure must meet: at most or at least a value. The figure is a score, a ratio or an allocation,
 * whatever the goal's text says; the goal only compares.
 *
 * @param text how a person reads it, e.g. {@code ≤ 4 ns}
 * @param bound the bound
 * @param atMost true when the figure must not exceed the bound, false when it must reach it
 */
public record Goal(String text, double bound, boolean atMost) {

    /**
     * @param text the goal as people read it
     * @param bound the bound
     * @param atMost the direction
     */
    public Goal {
        Objects.requireNonNull(text, "text");
        if (!Double.isFinite(bound)) {
            throw new IllegalArgumentException("goal '" + text + "': bound must be finite, got " + bound);
        }
    }

    /**
     * @param bound the largest acceptable figure
     * @param unit the figure's unit, for the text
     * @return the goal
     */
    public static Goal atMost(double bound, String unit) {
        return new Goal("≤ " + format(bound) + suffix(unit), bound, true);
    }

    /**
     * @param bound the smallest acceptable figure
     * @param unit the figure's unit, for the text
     * @return the goal
     */
    public static Goal atLeast(double bound, String unit) {
        return new Goal("≥ " + format(bound) + suffix(unit), bound, false);
    }

    /**
     * @param figure the measured figure; empty or NaN when it was not measured
     * @return the verdict
     */
    public Verdict judge(OptionalDouble figure) {
        if (figure.isEmpty() || Double.isNaN(figure.getAsDouble())) {
            return Verdict.NOT_MEASURED;
        }
        double value = figure.getAsDouble();
        return (atMost ? value <= bound : value >= bound) ? Verdict.MET : Verdict.MISSED;
    }

    /**
     * @param figure the measured figure, NaN when not measured
     * @return the verdict
     */
    public Verdict judge(double figure) {
        return judge(Double.isNaN(figure) ? OptionalDouble.empty() : OptionalDouble.of(figure));
    }

    /** A ratio's sign sticks to the number ({@code 7×}); other units follow a space ({@code 4 ns}). */
    private static String suffix(String unit) {
        return unit.isEmpty() ? "" : unit.startsWith("×") ? unit : " " + unit;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
