package dev.iov.infiniband.sm;

/**
 * A subnet manager operation failed. Messages name the manager and the operation but never hold credentials. The
 * subclasses say why: {@link SubnetManagerUnreachableException}, {@link SubnetManagerRefusedException},
 * {@link SubnetManagerUnauthorizedException}.
 */
public class SubnetManagerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without credentials
     * @param cause the cause, or null
     */
    public SubnetManagerException(String message, Throwable cause) {
        super(message, cause);
    }
}
