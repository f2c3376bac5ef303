package dev.iov.api.store;

/** A {@link StateStore} could not do what was asked: an I/O failure, a corrupt file, or a closed store. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the store (file, offset) and the key where known
     */
    public StoreException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the store (file, offset) and the key where known
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
