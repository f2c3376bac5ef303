package dev.iov.ethernet.ovsdb;

/**
 * A transaction was aborted because one of its {@code wait} operations did not see the rows it expected: someone
 * changed the database since the caller read it. Nothing of the transaction was applied; re-read and retry.
 */
public final class OvsdbWaitFailedException extends OvsdbException {
    private static final long serialVersionUID = 1L;

    /** Index of the failed {@code wait} in the transaction. */
    private final int operationIndex;

    /**
     * @param operationIndex the index of the failed wait operation
     * @param details the server's details, or null
     * @param context what the client was doing
     */
    public OvsdbWaitFailedException(int operationIndex, String details, String context) {
        super("timed out", details, context);
        this.operationIndex = operationIndex;
    }

    /** @return the index of the failed {@code wait} in the transaction */
    public int operationIndex() {
        return operationIndex;
    }
}
