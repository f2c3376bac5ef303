package dev.iov.bench.report;

import java.util.Objects;

/**
 * A chart as SVG text, embedded in the HTML and written beside it for the Markdown report.
 *
 * @param file the file name, e.g. {@code rss-speedup.svg}
 * @param title what it shows
 * @param svg the SVG document
 */
public record Chart(String file, String title, String svg) {

    /**
     * @param file the file name
     * @param title the title
     * @param svg the document
     */
    public Chart {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(svg, "svg");
        if (!file.matches("[a-z0-9-]+\\.svg")) {
            throw new IllegalArgumentException("chart file name '" + file + "' must be lower-case words and .svg");
        }
    }
}
