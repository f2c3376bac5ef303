package dev.iov.api.fabric;

import dev.iov.api.IovException;

/**
 * A fabric operation could not be carried out by the fabric's own rules: admission refused it, the vNIC is busy with
 * another operation, a stored record cannot be read. When it is thrown from an operation, the operation has been
 * undone: pools, store and backends are as they were before the call.
 */
public class FabricException extends IovException {
    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was being done ({@code provision web-1 on h1})
     * @param message what could not be done and why
     */
    public FabricException(String operation, String message) {
        super(operation, message);
    }

    /**
     * @param operation what was being done
     * @param message what could not be done and why
     * @param cause the failure that stopped it
     */
    public FabricException(String operation, String message, Throwable cause) {
        super(operation, message, cause);
    }
}
