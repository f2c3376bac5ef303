package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A horizontal bar chart as SVG: one bar per figure, coloured by series, bars of one group together, and an
 * optional goal marker per bar. A log scale suits ratios, which span 1× to hundreds.
 */
final class SvgBarChart {
    private static final int WIDTH = 1100;
    private static final int LABEL_WIDTH = 320;
    private static final int GROUP_HEADER = 18;
    private static final int VALUE_WIDTH = 80;
    private static final int BAR = 16;
    private static final int GAP = 4;
    private static final int GROUP_GAP = 10;
    private static final int TOP = 44;

    /**
     * One bar.
     *
     * @param group bars with the same group stand together under its label
     * @param label the bar's own label (e.g. the implementation)
     * @param series picks the colour and the legend entry
     * @param value the bar's length; NaN draws no bar
     * @param goal where to draw the goal marker; NaN for none
     * @param valueText the text beside the bar
     */
    record Bar(String group, String label, String series, double value, double goal, String valueText) {
        Bar {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(series, "series");
            Objects.requireNonNull(valueText, "valueText");
        }
    }

    private SvgBarChart() {
    }

    /**
     * @param title the title above the chart
     * @param axis the axis label, with unit
     * @param bars the bars, in drawing order
     * @param logScale true for a logarithmic axis (values must be positive)
     * @return the SVG document
     */
    static String render(String title, String axis, List<Bar> bars, boolean logScale) {
        List<String> series = new ArrayList<>(new LinkedHashSet<>(bars.stream().map(Bar::series).toList()));
        double max = bars.stream().mapToDouble(b -> Math.max(nan0(b.value()), nan0(b.goal()))).max().orElse(1);
        double min = bars.stream().flatMapToDouble(b -> java.util.stream.DoubleStream.of(b.value(), b.goal()))
                .filter(v -> v > 0).min().orElse(1);
        Scale scale = logScale ? Scale.log(Math.min(1, min), max) : Scale.linear(max);
        int groups = (int) bars.stream().map(Bar::group).distinct().count();
        long headers = bars.stream().map(Bar::group).distinct().filter(g -> !g.isEmpty()).count();
        int height = (int) (TOP + bars.size() * (BAR + GAP) + groups * GROUP_GAP + headers * GROUP_HEADER + 50
                + (series.size() > 1 ? 22 : 0));
        int plotLeft = LABEL_WIDTH;
        int plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10;
        Svg svg = new Svg(WIDTH, height);
        svg.text(10, 20, title, "title");
        int y = TOP;
        String group = null;
        int plotTop = TOP;
        for (Bar bar : bars) {
            if (!bar.group().equals(group)) {
                y += group == null ? 0 : GROUP_GAP;
                group = bar.group();
                if (!bar.group().isEmpty()) {
                    svg.text(10, y + BAR - 3, bar.group(), "group");
                    y += GROUP_HEADER;
                }
            }
            svg.text(plotLeft - 6, y + BAR - 3, bar.label(), "label-end");
            boolean measured = !Double.isNaN(bar.value()) && bar.value() > 0;
            double w = measured ? scale.at(bar.value()) * plotWidth : 0;
            if (measured) {
                svg.rect(plotLeft, y, Math.max(1, w), BAR, "s" + series.indexOf(bar.series()) % 6);
            }
            if (!Double.isNaN(bar.goal()) && bar.goal() > 0) {
                double gx = plotLeft + scale.at(bar.goal()) * plotWidth;
                svg.line(gx, y - 2, gx, y + BAR + 2, "goal");
            }
            // The value last, with a white halo, so that a goal marker never hides it.
            svg.text(plotLeft + w + 4, y + BAR - 3, measured ? bar.valueText() : "not measured", "value");
            y += BAR + GAP;
        }
        int plotBottom = y + 2;
        svg.line(plotLeft, plotTop - 4, plotLeft, plotBottom, "axis");
        svg.line(plotLeft, plotBottom, plotLeft + plotWidth, plotBottom, "axis");
        for (double tick : scale.ticks()) {
            double x = plotLeft + scale.at(tick) * plotWidth;
            svg.line(x, plotTop - 4, x, plotBottom, "grid");
            svg.text(x, plotBottom + 14, Fmt.num(tick), "tick");
        }
        svg.text(plotLeft + plotWidth / 2.0, plotBottom + 30, axis, "axis-label");
        int legendY = plotBottom + 44;
        if (series.size() > 1) {
            double x = plotLeft;
            for (int i = 0; i < series.size(); i++) {
                svg.rect(x, legendY - 10, 12, 12, "s" + i % 6);
                svg.text(x + 16, legendY, series.get(i), "legend");
                x += 24 + 7.5 * series.get(i).length();
            }
        }
        if (bars.stream().anyMatch(b -> !Double.isNaN(b.goal()))) {
            svg.line(WIDTH - 150, 14, WIDTH - 150, 26, "goal");
            svg.text(WIDTH - 144, 24, "goal", "legend");
        }
        return svg.finish();
    }

    private static double nan0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** Maps values to 0..1 of the plot width. */
    record Scale(boolean log, double lo, double hi) {
        /** More decades than any chart of the report spans; a bound for absurd values, which still render. */
        private static final int MAX_DECADES = 40;

        static Scale linear(double max) {
            return new Scale(false, 0, niceCeiling(max));
        }

        static Scale log(double min, double max) {
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max, lo * 10))));
            return new Scale(true, lo, hi);
        }

        double at(double value) {
            if (log) {
                return (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            }
            return value / hi;
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                // Bounded: values near Double's limits make lo 0 or hi infinite, where t would never pass hi.
                for (double t = lo; t > 0 && Double.isFinite(t) && t <= hi * 1.0001 && ticks.size() < MAX_DECADES;
                        t *= 10) {
                    ticks.add(t);
                }
            } else {
                double step = hi / 5;
                for (int i = 0; i <= 5; i++) {
                    ticks.add(step * i);
                }
            }
            return ticks;
        }

        static double niceCeiling(double max) {
            if (!(max > 0)) {
                return 1;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (m * magnitude >= max) {
                    return m * magnitude;
                }
            }
            return 10 * magnitude;
        }
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
