package dev.iov.sriov.vf;

import java.util.Locale;

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
        super(source + ":" + line + ":" + column + ": " + oneLine(message));
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
        super(source + ": " + oneLine(message));
        this.source = source;
        this.line = 0;
        this.column = 0;
    }

    /**
     * The message with control characters written as JSON escapes ({@code \n}, {@code \t}, or
     * backslash, {@code u} and four hex digits): a field name or
     * value quoted from the file may hold an escaped newline, and the message must stay one line, as the file has it.
     */
    private static String oneLine(String message) {
        StringBuilder out = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && out == null) {
                out = new StringBuilder(message.length() + 8).append(message, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c == '\r') {
                    out.append("\\r");
                } else {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            }
        }
        return out == null ? message : out.toString();
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
