package dev.iov.sriov.vf;

/**
 * A VF snapshot file that cannot be read: bad JSON, a missing or unknown field, or a value out of range. The message
 * starts with {@code SOURCE:LINE:COLUMN:} and names the field and the value; a problem with the file as a whole (it is
 * larger than {@link VfSnapshots#MAX_FILE_BYTES}) has no line and column: {@code SOURCE: larger than ...}.
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

    /**
     * A problem with the file as a whole; {@link #line()} and {@link #column()} are then 0.
     *
     * @param source the file name
     * @param message what is wrong
     */
    public VfSnapshotFormatException(String source, String message) {
        super(source + ": " + message);
        this.source = source;
        this.line = 0;
        this.column = 0;
    }

    /** @return where the text came from */
    public String source() {
        return source;
    }

    /** @return the 1-based line of the problem; 0 for a problem with the whole file */
    public int line() {
        return line;
    }

    /** @return the 1-based column of the problem; 0 for a problem with the whole file */
    public int column() {
        return column;
    }
}
