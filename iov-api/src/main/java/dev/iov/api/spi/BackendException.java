package dev.iov.api.spi;

import java.util.OptionalInt;

/**
 * A backend could not do what was asked: the kernel, a daemon or a device said no. Carries the operating-system
 * errno where there is one, so callers can tell "busy, try later" from "not supported here".
 */
public class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The backend that failed. */
    private final String backendId;
    /** What it was doing. */
    private final String operation;
    /** The positive errno, or 0 for none. */
    private final int errno;

    /**
     * @param backendId the backend that failed
     * @param operation what it was doing ({@code attach web-7-eth0})
     * @param message why it failed, naming the object involved
     */
    public BackendException(String backendId, String operation, String message) {
        this(backendId, operation, message, 0, null);
    }

    /**
     * @param backendId the backend that failed
     * @param operation what it was doing
     * @param message why it failed, naming the object involved
     * @param errno the positive errno the operating system returned, or 0 for none
     * @param cause the underlying failure, or null
     */
    public BackendException(String backendId, String operation, String message, int errno, Throwable cause) {
        super(backendId + ": " + operation + " failed: " + message, cause);
        this.backendId = backendId;
        this.operation = operation;
        this.errno = errno;
    }

    /** @return the backend that failed */
    public String backendId() {
        return backendId;
    }

    /** @return what it was doing */
    public String operation() {
        return operation;
    }

    /** @return the positive errno the operating system returned, if any */
    public OptionalInt errno() {
        return errno == 0 ? OptionalInt.empty() : OptionalInt.of(errno);
    }
}
