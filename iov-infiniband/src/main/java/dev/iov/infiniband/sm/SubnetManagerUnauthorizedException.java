package dev.iov.infiniband.sm;

/** The subnet manager refused the credentials (HTTP 401 or 403). The message never repeats them. */
public class SubnetManagerUnauthorizedException extends SubnetManagerException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    /**
     * @param message what failed, without credentials
     * @param httpStatus 401 or 403
     */
    public SubnetManagerUnauthorizedException(String message, int httpStatus) {
        super(message, null);
        this.httpStatus = httpStatus;
    }

    /** @return the HTTP status, 401 or 403 */
    public int httpStatus() {
        return httpStatus;
    }
}
