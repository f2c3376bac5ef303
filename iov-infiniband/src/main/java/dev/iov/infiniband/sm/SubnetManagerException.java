package dev.iov.infiniband.sm;

import dev.iov.api.IovException;

/**
 * A subnet manager operation failed. Messages name the manager and the operation but never hold credentials. The
 * subclasses say why: {@link SubnetManagerUnreachableException}, {@link SubnetManagerRefusedException},
 * {@link SubnetManagerUnauthorizedException}.
 */
public class SubnetManagerException extends IovException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, without credentials
     * @param cause the cause, or null
     */
    public SubnetManagerException(String message, Throwable cause) {
        super("subnet manager", message, cause);
    }
}
