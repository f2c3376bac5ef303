package dev.iov.api.store;

import dev.iov.api.IovException;

/** A {@link StateStore} could not do what was asked: an I/O failure, a corrupt file, or a closed store. */
public class StoreException extends IovException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the store (file, offset) and the key where known
     */
    public StoreException(String message) {
        super("state store", message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what failed, naming the store (file, offset) and the key where known
     * @param cause the underlying failure
     */
    public StoreException(String message, Throwable cause) {
        super("state store", message, cause);
    }

    /**
     * Creates the exception for a named operation.
     *
     * @param operation what was being done ({@code put iov/vnics/web-1})
     * @param message what failed, naming the store (file, offset) and the key where known
     * @param cause the underlying failure, or null
     */
    public StoreException(String operation, String message, Throwable cause) {
        super(operation, message, cause);
    }
}
