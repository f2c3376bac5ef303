package dev.iov.api.spi;

import dev.iov.api.IovException;

/**
 * A backend could not do what was asked: the kernel, a daemon or a device said no. Carries the operating-system
 * errno where there is one ({@link #errno()}), so callers can tell "busy, try later" from "not supported here".
 */
public class BackendException extends IovException {
    private static final long serialVersionUID = 1L;

    /** The backend that failed. */
    private final String backendId;

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
        super(operation, backendId + ": " + operation + " failed: " + message, errno, cause);
        this.backendId = backendId;
    }

    /**
     * The one way a backend turns a failure of a lower layer (netlink, sysfs, OVSDB, a subnet manager) into its own:
     * a {@code BackendException} is returned as it is, anything else is wrapped with the errno found in its cause
     * chain ({@link IovException#errnoOf}).
     *
     * @param backendId the backend
     * @param operation what it was doing
     * @param subject what it was acting on ({@code TAP iov1a2b3c4d}, {@code VF 3 of ens1f0}); empty for nothing
     * @param failure the failure
     * @return the exception to throw
     */
    public static BackendException wrap(String backendId, String operation, String subject, Throwable failure) {
        if (failure instanceof BackendException be) {
            return be;
        }
        String why = String.valueOf(failure.getMessage());
        return new BackendException(backendId, operation, subject.isEmpty() ? why : subject + ": " + why,
                IovException.errnoOf(failure).orElse(0), failure);
    }

    /** @return the backend that failed */
    public String backendId() {
        return backendId;
    }
}
