package dev.iov.bench.report;

/** A benchmark result that cannot be read or makes no sense (e.g. a ratio between different units). */
public final class ReportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file or benchmark */
    public ReportException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file or benchmark
     * @param cause the parser's failure
     */
    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
