package dev.iov.infiniband.sm;

import java.util.OptionalInt;

/**
 * The subnet manager understood the request and refused it: an HTTP error status from UFM with UFM's own message, or
 * for OpenSM a {@code partitions.conf} whose administrator lines conflict with the change.
 */
public class SubnetManagerRefusedException extends SubnetManagerException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String reason;

    /**
     * @param message what failed, with the reason, without credentials
     * @param httpStatus the HTTP status, or -1 when the manager does not speak HTTP
     * @param reason the manager's own words
     * @param cause the cause, or null
     */
    public SubnetManagerRefusedException(String message, int httpStatus, String reason, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    /** @return the HTTP status when the manager speaks HTTP */
    public OptionalInt httpStatus() {
        return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** @return the manager's own explanation (UFM's error message) */
    public String reason() {
        return reason;
    }
}
