package dev.iov.bench.report;

import java.util.List;

/** Writes a {@link Report} as Markdown (GitHub tables), charts linked as {@code charts/NAME.svg}. */
public final class MarkdownReportWriter {
    private MarkdownReportWriter() {
    }

    /**
     * @param report the report
     * @return the Markdown document
     */
    public static String write(Report report) {
        StringBuilder out = new StringBuilder();
        Machine m = report.machine();
        out.append("# ").append(report.title()).append("\n\n").append(report.generated()).append("\n\n");
        out.append("- CPU: ").append(m.cpu()).append(" — ").append(m.cores()).append(" CPUs available to the JVM\n");
        out.append("- Memory: ").append(m.memory()).append("\n- Kernel: ").append(m.kernel()).append(" (")
                .append(m.os()).append(")\n- JDK: ").append(m.jdk()).append("\n\n## Summary\n\n");
        out.append("| area | measured | figure | goal | verdict |\n|---|---|---:|---|---|\n");
        for (SummaryLine l : report.summary()) {
            out.append("| ").append(cell(l.area())).append(" | ").append(cell(l.what())).append(" | ")
                    .append(cell(l.measured())).append(" | ").append(cell(l.goal())).append(" | ")
                    .append(l.verdict().mark()).append(' ').append(l.verdict().text()).append(" |\n");
        }
        for (Section s : report.sections()) {
            out.append("\n## ").append(s.title()).append("\n\n").append(s.intro()).append("\n");
            for (Table t : s.tables()) {
                out.append("\n").append(t.caption()).append("\n\n|");
                for (String h : t.header()) {
                    out.append(' ').append(cell(h)).append(" |");
                }
                out.append("\n|");
                for (int i = 0; i < t.header().size(); i++) {
                    out.append(i == 0 ? "---|" : "---:|");
                }
                out.append('\n');
                for (List<Cell> row : t.rows()) {
                    out.append('|');
                    for (Cell c : row) {
                        out.append(' ').append(cell(c.text())).append(" |");
                    }
                    out.append('\n');
                }
                if (t.rows().isEmpty()) {
                    out.append("| not measured |").append(" |".repeat(t.header().size() - 1)).append('\n');
                }
            }
            for (Chart c : s.charts()) {
                out.append("\n![").append(c.title()).append("](charts/").append(c.file()).append(")\n");
            }
            for (String n : s.notes()) {
                out.append("\n_").append(n).append("_\n");
            }
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
