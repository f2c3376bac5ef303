package dev.iov.api.store;

/**
 * A write may or may not have happened: the store lost its answer (a connection dropped while the write was in
 * flight, no answer within the timeout, a journal flush that failed after the bytes were handed to the disk). The
 * store itself does not know; reading the record later (after a reconnect, or reopening the store) tells. A caller
 * must not act as if the write had failed, nor as if it had succeeded.
 *
 * <p>Any other {@link StoreException} from a write means nothing was written (the store refused: closed, cut off
 * from its quorum, failed earlier).
 */
public class StoreOutcomeUnknownException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was being written, naming the store and the key, and why the answer was lost
     * @param cause the underlying failure, or null
     */
    public StoreOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
