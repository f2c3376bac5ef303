package dev.iov.ethernet.ovsdb;

/**
 * Receives a monitor's changes. Called on the client's event thread, one call at a time and in the order the server
 * sent them, so a listener may call the client (also synchronously) without blocking the connection.
 */
@FunctionalInterface
public interface MonitorListener {

    /**
     * @param updates the rows that changed since the last call
     */
    void onUpdate(TableUpdates updates);

    /**
     * The monitor will report no more: it was cancelled or the connection is gone.
     *
     * @param cause why, or null for a cancel the caller asked for
     */
    default void onClosed(OvsdbException cause) {
    }
}
