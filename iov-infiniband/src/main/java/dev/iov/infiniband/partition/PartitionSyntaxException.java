package dev.iov.infiniband.partition;

/**
 * A {@code partitions.conf} text iov refuses: something OpenSM would reject, misread or silently ignore. The message
 * is {@code file:line:column: reason} and names the offending token; line and column count from 1.
 */
public final class PartitionSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String reason;

    /**
     * @param file the file name given to the parser
     * @param line 1-based line
     * @param column 1-based column
     * @param reason what is wrong, naming the token
     */
    public PartitionSyntaxException(String file, int line, int column, String reason) {
        super(file + ":" + line + ":" + column + ": " + reason);
        this.file = file;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** @return the file name given to the parser */
    public String file() {
        return file;
    }

    /** @return the 1-based line */
    public int line() {
        return line;
    }

    /** @return the 1-based column */
    public int column() {
        return column;
    }

    /** @return the message without the location */
    public String reason() {
        return reason;
    }
}
