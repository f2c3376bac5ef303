package dev.iov.api.fabric;

/**
 * A fabric operation could not be carried out (no host can take the vNIC, a backend failed, the store refused).
 * When it is thrown, the operation has been undone: pools, store and backends are as they were before the call.
 */
public class FabricException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what could not be done and why
     */
    public FabricException(String message) {
        super(message);
    }

    /**
     * @param message what could not be done and why
     * @param cause the failure that stopped it
     */
    public FabricException(String message, Throwable cause) {
        super(message, cause);
    }
}
