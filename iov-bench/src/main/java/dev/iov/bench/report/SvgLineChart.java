package dev.iov.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * A line chart as SVG on log-log axes: how a cost grows with size. A dashed reference line through the first point
 * of the first series shows what proportional growth ({@code slope}) would look like.
 */
final class SvgLineChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 380;
    private static final int LEFT = 80;
    private static final int RIGHT = 250;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    /**
     * One line.
     *
     * @param name the legend entry
     * @param xs the sizes, ascending, positive
     * @param ys the values, positive; NaN points are skipped
     */
    record Series(String name, double[] xs, double[] ys) {
        Series {
            Objects.requireNonNull(name, "name");
            if (xs.length != ys.length) {
                throw new IllegalArgumentException("series '" + name + "': " + xs.length + " x values, " + ys.length
                        + " y values");
            }
        }
    }

    private SvgLineChart() {
    }

    /**
     * @param title the title
     * @param xAxis the x axis label
     * @param yAxis the y axis label, with unit
     * @param series the lines
     * @param referenceSlope the growth the dashed reference shows (1 = linear, 0 = flat); NaN for none
     * @param referenceName the reference's legend entry
     * @return the SVG document
     */
    static String render(String title, String xAxis, String yAxis, List<Series> series, double referenceSlope,
            String referenceName) {
        double xMin = Double.MAX_VALUE;
        double xMax = 0;
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                if (s.ys()[i] > 0 && s.xs()[i] > 0) {
                    xMin = Math.min(xMin, s.xs()[i]);
                    xMax = Math.max(xMax, s.xs()[i]);
                    yMin = Math.min(yMin, s.ys()[i]);
                    yMax = Math.max(yMax, s.ys()[i]);
                }
            }
        }
        Svg svg = new Svg(WIDTH, HEIGHT);
        svg.text(10, 20, title, "title");
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        if (xMax == 0) {
            svg.text(LEFT, TOP + 40, "not measured", "value");
            return svg.finish();
        }
        SvgBarChart.Scale x = SvgBarChart.Scale.log(xMin, xMax);
        if (x.hi() / x.lo() > 10 && xMax <= x.hi() / 10 * 1.0001) {
            x = new SvgBarChart.Scale(true, x.lo(), x.hi() / 10);
        }
        List<Double> xTicks = x.ticks();
        // Within a decade (e.g. 1, 2 and 4 nodes) decade ticks would squeeze the points into part of the plot:
        // span the measured sizes and mark each.
        if (xMax < xMin * 10 && xMax > xMin) {
            double lo = xMin;
            double hi = xMax;
            x = new SvgBarChart.Scale(true, lo, hi);
            xTicks = series.stream().flatMap(s -> java.util.Arrays.stream(s.xs()).boxed())
                    .filter(v -> v >= lo && v <= hi).distinct().sorted().toList();
        }
        SvgBarChart.Scale y = SvgBarChart.Scale.log(yMin, yMax);
        svg.line(LEFT, TOP, LEFT, TOP + plotH, "axis");
        svg.line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "axis");
        for (double t : xTicks) {
            double px = LEFT + x.at(t) * plotW;
            svg.line(px, TOP, px, TOP + plotH, "grid");
            // Sizes are counts (vNICs, hosts, nodes): 10, not 10.0.
            svg.text(px, TOP + plotH + 16, t == Math.rint(t) && t < 1e15 ? Fmt.count((long) t) : Fmt.num(t), "tick");
        }
        for (double t : y.ticks()) {
            double py = TOP + plotH - y.at(t) * plotH;
            svg.line(LEFT, py, LEFT + plotW, py, "grid");
            svg.text(LEFT - 6, py + 4, Fmt.num(t), "tick-end");
        }
        svg.text(LEFT + plotW / 2.0, HEIGHT - 18, xAxis, "axis-label");
        svg.text(14, TOP - 10, yAxis, "value");
        int legendY = TOP + 10;
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String cls = "s" + k % 6;
            int n = 0;
            double[] px = new double[s.xs().length];
            double[] py = new double[s.xs().length];
            for (int i = 0; i < s.xs().length; i++) {
                if (s.ys()[i] > 0 && s.xs()[i] > 0) {
                    px[n] = LEFT + x.at(s.xs()[i]) * plotW;
                    py[n] = TOP + plotH - y.at(s.ys()[i]) * plotH;
                    svg.circle(px[n], py[n], 3.5, cls);
                    n++;
                }
            }
            svg.polyline(java.util.Arrays.copyOf(px, n), java.util.Arrays.copyOf(py, n), "line " + cls);
            svg.rect(LEFT + plotW + 14, legendY - 9, 12, 12, cls);
            svg.text(LEFT + plotW + 30, legendY + 1, s.name(), "legend");
            legendY += 18;
        }
        if (!Double.isNaN(referenceSlope) && !series.isEmpty()) {
            Series first = series.get(0);
            int i0 = 0;
            while (i0 < first.xs().length && !(first.ys()[i0] > 0)) {
                i0++;
            }
            if (i0 < first.xs().length) {
                double x0 = first.xs()[i0];
                double y0 = first.ys()[i0];
                double x1 = xMax;
                double y1 = y0 * Math.pow(x1 / x0, referenceSlope);
                double clippedY1 = Math.min(y1, y.hi());
                double clippedX1 = clippedY1 < y1 ? x0 * Math.pow(clippedY1 / y0, 1 / referenceSlope) : x1;
                svg.polyline(new double[] {LEFT + x.at(x0) * plotW, LEFT + x.at(clippedX1) * plotW},
                        new double[] {TOP + plotH - y.at(y0) * plotH, TOP + plotH - y.at(clippedY1) * plotH}, "ref");
                svg.line(LEFT + plotW + 14, legendY - 3, LEFT + plotW + 26, legendY - 3, "ref");
                svg.text(LEFT + plotW + 30, legendY + 1, referenceName, "legend");
            }
        }
        return svg.finish();
    }
}
