package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * What the areas find while they build their sections: one summary line per goal, and iov's speed-up over each
 * peer for the overview chart.
 */
final class Findings {
    /** "Allocation-free": JMH's GC profiler reports a few bytes per operation from its own bookkeeping at most. */
    static final Goal ALLOC_FREE = new Goal("≈ 0 B/op", 0.1, true);

    private final List<SummaryLine> summary = new ArrayList<>();
    private final List<SvgBarChart.Bar> speedups = new ArrayList<>();

    /**
     * Judges a figure and adds it to the summary.
     *
     * @return the verdict
     */
    Verdict judge(String area, String what, double figure, String figureText, Goal goal) {
        Verdict verdict = goal.judge(figure);
        summary.add(new SummaryLine(area, what, Double.isNaN(figure) ? "not measured" : figureText, goal.text(),
                verdict));
        return verdict;
    }

    /** Adds iov's speed-up over a peer to the overview chart; NaN speed-ups show as not measured. */
    void speedup(String area, String label, double speedup, double goal) {
        speedups.add(new SvgBarChart.Bar(area, label, "iov vs peer", speedup, goal, Fmt.ratio(speedup)));
    }

    List<SummaryLine> summary() {
        return List.copyOf(summary);
    }

    List<SvgBarChart.Bar> speedups() {
        return List.copyOf(speedups);
    }

    /**
     * A cell listing goals with their marks, coloured by the worst verdict.
     *
     * @param verdicts the verdicts, in the order of the goals
     * @param goals the goals
     * @return the cell; {@code —} when there are no goals
     */
    static Cell goalCell(List<Goal> goals, List<Verdict> verdicts) {
        if (goals.isEmpty()) {
            return Cell.of("—");
        }
        StringJoiner text = new StringJoiner(" · ");
        Verdict worst = Verdict.MET;
        for (int i = 0; i < goals.size(); i++) {
            text.add(goals.get(i).text() + " " + verdicts.get(i).mark());
            if (verdicts.get(i) == Verdict.MISSED || (verdicts.get(i) == Verdict.NOT_MEASURED && worst == Verdict.MET)) {
                worst = verdicts.get(i);
            }
        }
        return new Cell(text.toString(), worst);
    }

    /** @return the result's normalized allocation in B/op, NaN without the GC profiler */
    static double alloc(Result result) {
        return result == null ? Double.NaN
                : result.secondary("gc.alloc.rate.norm").map(Metric::score).orElse(Double.NaN);
    }

    /** @return the score, NaN for a missing result */
    static double score(Result result) {
        return result == null ? Double.NaN : result.primary().score();
    }

    /** @return a cell with the score and, when known, its error */
    static Cell scoreCell(Result result) {
        if (result == null) {
            return Cell.of("–");
        }
        Metric m = result.primary();
        String error = Double.isNaN(m.error()) ? "" : " ± " + Fmt.num(m.error());
        return Cell.of(Fmt.num(m.score()) + error);
    }
}
