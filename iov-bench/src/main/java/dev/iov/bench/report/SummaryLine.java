package dev.iov.bench.report;

import java.util.Objects;

/**
 * One goal of the summary table: what was measured, the figure, the goal and the verdict.
 *
 * @param area the section it comes from
 * @param what the measured quantity
 * @param measured the figure, formatted
 * @param goal the goal, formatted
 * @param verdict the verdict
 */
public record SummaryLine(String area, String what, String measured, String goal, Verdict verdict) {

    /**
     * @param area the area
     * @param what the quantity
     * @param measured the figure
     * @param goal the goal
     * @param verdict the verdict
     */
    public SummaryLine {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(verdict, "verdict");
    }
}
