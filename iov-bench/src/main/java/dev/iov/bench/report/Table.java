package dev.iov.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * A table of a report section.
 *
 * @param caption what the table shows and how it was measured
 * @param header the column names
 * @param rows the rows, each as wide as the header
 */
public record Table(String caption, List<String> header, List<List<Cell>> rows) {

    /**
     * @param caption the caption
     * @param header the column names
     * @param rows the rows
     * @throws IllegalArgumentException when a row is not as wide as the header
     */
    public Table {
        Objects.requireNonNull(caption, "caption");
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<Cell> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table '" + caption + "': a row has " + row.size()
                        + " cells for " + header.size() + " columns");
            }
        }
    }
}
