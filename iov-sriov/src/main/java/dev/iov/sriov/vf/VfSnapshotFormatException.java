package dev.iov.sriov.vf;

/**
 * A VF snapshot file that cannot be read: bad JSON, a missing or unknown field, or a value out of range. The message
 * starts with {@code SOURCE:LINE:COLUMN:} and names the field and the value.
 */
public final class VfSnapshotFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /**
     * @param source the file name (or another description of where the text came from)
     * @param line the 1-based line of the problem
     * @param column the 1-based column
     * @param message what is wrong
     */
    public VfSnapshotFormatException(String source, int line, int column, String message) {
        super(source + ":" + line + ":" + column + ": " + message);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** @return where the text came from */
    public String source() {
        return source;
    }

    /** @return the 1-based line of the problem */
    public int line() {
        return line;
    }

    /** @return the 1-based column of the problem */
    public int column() {
        return column;
    }
}
