package dev.iov.ethernet.ovsdb;

import dev.iov.api.IovException;

import java.util.Optional;

/**
 * Something went wrong talking to an OVSDB server: the server answered with an {@code error} object (for the whole
 * request or for one operation of a transaction), the bytes on the wire were not OVSDB JSON-RPC, a request timed out,
 * or the connection was lost. Subclasses tell the cases callers act on apart: {@link OvsdbWaitFailedException} (a
 * {@code wait} operation's condition did not hold: re-read and retry) and {@link OvsdbConnectionException} (the
 * connection is gone: reconnect).
 */
public class OvsdbException extends IovException {
    private static final long serialVersionUID = 1L;

    /** The error string (RFC 7047: {@code "constraint violation"}, {@code "timed out"}, ...). */
    private final String error;
    /** The server's details, or null. */
    private final String details;

    /**
     * @param error the error string
     * @param details the details, or null
     * @param context what the client was doing ({@code transact Open_vSwitch op 2 (insert Port)})
     */
    public OvsdbException(String error, String details, String context) {
        this(error, details, context, null);
    }

    /**
     * @param error the error string
     * @param details the details, or null
     * @param context what the client was doing
     * @param cause the underlying failure, or null
     */
    public OvsdbException(String error, String details, String context, Throwable cause) {
        super(context, context + ": " + error + (details == null || details.isEmpty() ? "" : " (" + details + ")"),
                cause);
        this.error = error;
        this.details = details;
    }

    /** @return the error string, e.g. {@code "referential integrity violation"} */
    public String error() {
        return error;
    }

    /** @return the server's human-readable details, if it gave any */
    public Optional<String> details() {
        return Optional.ofNullable(details);
    }
}
