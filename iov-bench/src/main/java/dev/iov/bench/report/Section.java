package dev.iov.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * One area of the report (RSS, MAC table, control plane, ...): what was measured, its tables and charts, and
 * notes, e.g. why a benchmark did not run.
 *
 * @param id the HTML anchor
 * @param title the heading
 * @param intro one paragraph on what is compared and with which command
 * @param tables the tables
 * @param charts the charts
 * @param notes further remarks
 */
public record Section(String id, String title, String intro, List<Table> tables, List<Chart> charts,
        List<String> notes) {

    /**
     * @param id the anchor
     * @param title the heading
     * @param intro the introduction
     * @param tables the tables
     * @param charts the charts
     * @param notes the notes
     */
    public Section {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(intro, "intro");
        tables = List.copyOf(tables);
        charts = List.copyOf(charts);
        notes = List.copyOf(notes);
    }
}
