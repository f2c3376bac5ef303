package dev.iov.bench.report;

/** Whether a measured figure meets its goal. */
public enum Verdict {
    /** The goal is met. */
    MET("met", "✓"),
    /** The goal is missed. */
    MISSED("missed", "✗"),
    /** The figure was not measured (benchmark skipped or failed). */
    NOT_MEASURED("not measured", "–");

    private final String text;
    private final String mark;

    Verdict(String text, String mark) {
        this.text = text;
        this.mark = mark;
    }

    /** @return a word for tables */
    public String text() {
        return text;
    }

    /** @return a one-character mark */
    public String mark() {
        return mark;
    }
}
