package dev.iov.bench.report;

import java.util.Objects;

/**
 * One table cell: its text and, for goal cells, the verdict that colours it.
 *
 * @param text what the cell shows
 * @param verdict the verdict, or null for a plain cell
 */
public record Cell(String text, Verdict verdict) {

    /**
     * @param text what the cell shows
     * @param verdict the verdict, or null
     */
    public Cell {
        Objects.requireNonNull(text, "text");
    }

    /**
     * @param text the text
     * @return a plain cell
     */
    public static Cell of(String text) {
        return new Cell(text, null);
    }
}
