package dev.iov.cli;

import java.io.PrintWriter;

/**
 * What an {@link IovSubcommand} produces: one result, rendered either for people or, with {@code --json}, as one
 * JSON document.
 */
public interface CommandOutput {

    /**
     * The JSON form: a tree of {@link java.util.Map} (use {@link java.util.LinkedHashMap} for a stable key order),
     * {@link java.util.List}, {@link String}, {@link Number}, {@link Boolean} and {@code null}, or any object
     * Jackson serializes (records, beans). Printed as exactly one document.
     *
     * @return the JSON value
     */
    Object toJson();

    /**
     * Prints the human-readable form.
     *
     * @param out standard output
     */
    void printText(PrintWriter out);
}
