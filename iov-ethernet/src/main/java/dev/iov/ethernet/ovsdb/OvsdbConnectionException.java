package dev.iov.ethernet.ovsdb;

/**
 * The connection to the OVSDB server cannot be used: it could not be opened, it was closed or lost, the server sent
 * bytes that are not JSON-RPC, or a request got no answer in time. Requests in flight fail with this; the client is
 * closed afterwards (except after a timeout).
 */
public final class OvsdbConnectionException extends OvsdbException {
    private static final long serialVersionUID = 1L;

    /**
     * @param error what happened ({@code "connection lost"}, {@code "protocol error"}, {@code "timeout"})
     * @param details more about it, or null
     * @param context the connection and request
     * @param cause the underlying failure, or null
     */
    public OvsdbConnectionException(String error, String details, String context, Throwable cause) {
        super(error, details, context, cause);
    }
}
