package dev.iov.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * A whole report, ready to be written as HTML or Markdown.
 *
 * @param title the title
 * @param generated when and how it was made, e.g. {@code 2026-11-26 06:30 UTC, report.sh --quick}
 * @param machine the machine and JDK
 * @param summary one line per goal
 * @param sections the areas
 */
public record Report(String title, String generated, Machine machine, List<SummaryLine> summary,
        List<Section> sections) {

    /**
     * @param title the title
     * @param generated when and how
     * @param machine the machine
     * @param summary the goals
     * @param sections the areas
     */
    public Report {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(machine, "machine");
        summary = List.copyOf(summary);
        sections = List.copyOf(sections);
    }
}
