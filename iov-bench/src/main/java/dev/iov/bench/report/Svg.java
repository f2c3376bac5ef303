package dev.iov.bench.report;

import java.util.Locale;

/**
 * Writes an SVG document with the report's own small stylesheet, so that charts look the same embedded in the HTML
 * and opened alone. Text is escaped; coordinates are written with one decimal.
 */
final class Svg {
    /** Series colours, picked to stay apart for colour-blind readers (Okabe-Ito). */
    private static final String STYLE = """
            text { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 12px; fill: #222; }
            .title { font-size: 15px; font-weight: bold; }
            .group { font-weight: bold; }
            .label-end { text-anchor: end; }
            .tick { text-anchor: middle; font-size: 11px; fill: #555; }
            .tick-end { text-anchor: end; font-size: 11px; fill: #555; }
            .axis-label { text-anchor: middle; fill: #444; }
            .value { font-size: 11px; fill: #333; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
            .axis { stroke: #444; stroke-width: 1; }
            .grid { stroke: #ddd; stroke-width: 1; }
            .goal { stroke: #d00; stroke-width: 2.5; stroke-dasharray: 4 2; }
            .ref { stroke: #999; stroke-width: 1.5; stroke-dasharray: 6 4; fill: none; }
            .s0 { fill: #0072b2; stroke: #0072b2; } .s1 { fill: #e69f00; stroke: #e69f00; }
            .s2 { fill: #009e73; stroke: #009e73; } .s3 { fill: #cc79a7; stroke: #cc79a7; }
            .s4 { fill: #56b4e9; stroke: #56b4e9; } .s5 { fill: #d55e00; stroke: #d55e00; }
            polyline.line { fill: none; stroke-width: 2; }
            """;

    private final StringBuilder out = new StringBuilder();

    Svg(int width, int height) {
        out.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\">\n<style>%s</style>\n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n", width, height, width, height, STYLE));
    }

    void text(double x, double y, String text, String cssClass) {
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\">%s</text>\n", x, y, cssClass,
                escape(text)));
    }

    void rect(double x, double y, double w, double h, String cssClass) {
        out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                + "class=\"%s\"/>\n", x, y, w, h, cssClass));
    }

    void line(double x1, double y1, double x2, double y2, String cssClass) {
        out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>\n",
                x1, y1, x2, y2, cssClass));
    }

    void circle(double x, double y, double r, String cssClass) {
        out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" class=\"%s\"/>\n", x, y, r,
                cssClass));
    }

    void polyline(double[] xs, double[] ys, String cssClass) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
        }
        out.append("<polyline points=\"").append(points.toString().strip()).append("\" class=\"").append(cssClass)
                .append("\"/>\n");
    }

    String finish() {
        return out + "</svg>\n";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
