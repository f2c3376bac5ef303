package dev.iov.infiniband.sm;

/**
 * The subnet manager could not be reached: connection refused, timeout, TLS handshake failure, unreadable reply, or
 * for OpenSM its file or process could not be read, written or signalled.
 */
public class SubnetManagerUnreachableException extends SubnetManagerException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without credentials
     * @param cause the cause, or null
     */
    public SubnetManagerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
