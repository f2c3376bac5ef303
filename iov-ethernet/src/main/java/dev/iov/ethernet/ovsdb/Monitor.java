package dev.iov.ethernet.ovsdb;

/**
 * A running {@code monitor} on one database. Closing it sends {@code monitor_cancel}; closing twice, or after the
 * connection is gone, does nothing.
 */
public final class Monitor implements AutoCloseable {

    private final OvsdbClient client;
    private final String id;
    private final TableUpdates initial;

    Monitor(OvsdbClient client, String id, TableUpdates initial) {
        this.client = client;
        this.id = id;
        this.initial = initial;
    }

    /** @return the monitored rows as they were when the monitor started */
    public TableUpdates initial() {
        return initial;
    }

    /** Cancels the monitor ({@code monitor_cancel}). */
    @Override
    public void close() {
        client.cancelMonitor(id);
    }
}
