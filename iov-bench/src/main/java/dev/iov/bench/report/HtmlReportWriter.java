package dev.iov.bench.report;

import java.util.List;

/** Writes a {@link Report} as one self-contained HTML page: styles inline, charts as inline SVG. */
public final class HtmlReportWriter {
    private static final String STYLE = """
            body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 14px; color: #222; margin: 24px auto;
                   max-width: 1180px; padding: 0 16px; line-height: 1.4; }
            h1 { font-size: 26px; margin-bottom: 4px; }
            h2 { font-size: 20px; margin-top: 36px; border-bottom: 2px solid #0072b2; padding-bottom: 4px; }
            .meta { color: #555; margin-top: 0; }
            table { border-collapse: collapse; margin: 10px 0 18px; font-size: 13px; }
            caption { text-align: left; font-style: italic; color: #444; padding-bottom: 6px; caption-side: top; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
            th { background: #eef3f8; text-align: left; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.met, td.missed, td.not-measured, td.nowrap { white-space: nowrap; }
            td.met { background: #e3f5e1; } td.missed { background: #fbe3e1; } td.not-measured { background: #f1f1f1; }
            dl.machine { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 8px 0 16px; }
            dl.machine dt { font-weight: bold; } dl.machine dd { margin: 0; }
            nav a { margin-right: 14px; }
            figure { margin: 12px 0 24px; } figure svg { max-width: 100%; height: auto; } figcaption { color: #555; font-size: 12px; }
            .note { color: #555; font-size: 13px; }
            .verdicts { font-weight: bold; }
            """;

    private HtmlReportWriter() {
    }

    /**
     * @param report the report
     * @return the HTML document
     */
    public static String write(Report report) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(report.title())).append("</title>\n<style>").append(STYLE).append("</style>\n</head>\n")
                .append("<body>\n<h1>").append(esc(report.title())).append("</h1>\n<p class=\"meta\">")
                .append(esc(report.generated())).append("</p>\n");
        Machine m = report.machine();
        out.append("<dl class=\"machine\">\n");
        item(out, "CPU", m.cpu() + " — " + m.cores() + " CPUs available to the JVM");
        item(out, "Memory", m.memory());
        item(out, "Kernel", m.kernel() + " (" + m.os() + ")");
        item(out, "JDK", m.jdk());
        out.append("</dl>\n<nav>");
        out.append("<a href=\"#summary\">Summary</a>");
        for (Section s : report.sections()) {
            out.append("<a href=\"#").append(esc(s.id())).append("\">").append(esc(s.title())).append("</a>");
        }
        out.append("</nav>\n");
        summary(out, report.summary());
        for (Section s : report.sections()) {
            section(out, s);
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void summary(StringBuilder out, List<SummaryLine> lines) {
        long met = lines.stream().filter(l -> l.verdict() == Verdict.MET).count();
        long missed = lines.stream().filter(l -> l.verdict() == Verdict.MISSED).count();
        long unmeasured = lines.size() - met - missed;
        out.append("<h2 id=\"summary\">Summary</h2>\n<p class=\"verdicts\">").append(met).append(" goals met, ")
                .append(missed).append(" missed, ").append(unmeasured).append(" not measured.</p>\n");
        out.append("<table>\n<tr><th>area</th><th>measured</th><th>figure</th><th>goal</th><th>verdict</th></tr>\n");
        for (SummaryLine l : lines) {
            out.append("<tr><td>").append(esc(l.area())).append("</td><td>").append(esc(l.what()))
                    .append("</td><td class=\"num\">").append(esc(l.measured())).append("</td><td class=\"nowrap\">")
                    .append(esc(l.goal())).append("</td><td class=\"").append(cssClass(l.verdict())).append("\">")
                    .append(l.verdict().mark()).append(' ').append(l.verdict().text()).append("</td></tr>\n");
        }
        out.append("</table>\n");
    }

    private static void section(StringBuilder out, Section s) {
        out.append("<h2 id=\"").append(esc(s.id())).append("\">").append(esc(s.title())).append("</h2>\n<p>")
                .append(esc(s.intro())).append("</p>\n");
        for (Table t : s.tables()) {
            out.append("<table>\n<caption>").append(esc(t.caption())).append("</caption>\n<tr>");
            for (String h : t.header()) {
                out.append("<th>").append(esc(h)).append("</th>");
            }
            out.append("</tr>\n");
            for (List<Cell> row : t.rows()) {
                out.append("<tr>");
                for (int i = 0; i < row.size(); i++) {
                    Cell c = row.get(i);
                    String cls = c.verdict() != null ? cssClass(c.verdict()) : (i == 0 ? "" : "num");
                    out.append(cls.isEmpty() ? "<td>" : "<td class=\"" + cls + "\">").append(esc(c.text()))
                            .append("</td>");
                }
                out.append("</tr>\n");
            }
            if (t.rows().isEmpty()) {
                out.append("<tr><td colspan=\"").append(t.header().size()).append("\">not measured</td></tr>\n");
            }
            out.append("</table>\n");
        }
        for (Chart c : s.charts()) {
            out.append("<figure>\n").append(c.svg()).append("<figcaption>").append(esc(c.title()))
                    .append(" (charts/").append(esc(c.file())).append(")</figcaption>\n</figure>\n");
        }
        for (String n : s.notes()) {
            out.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        }
    }

    private static void item(StringBuilder out, String name, String value) {
        out.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>\n");
    }

    private static String cssClass(Verdict v) {
        return switch (v) {
            case MET -> "met";
            case MISSED -> "missed";
            case NOT_MEASURED -> "not-measured";
        };
    }

    static String esc(String text) {
        return Svg.escape(text);
    }
}
