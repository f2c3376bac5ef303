package dev.iov.api.pool;

/**
 * {@link AddressPool#reserve} asked for a value that is already allocated. An {@link IllegalArgumentException}: the
 * caller asked for a value it cannot have, and retrying will not help.
 */
public class AddressInUseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param poolName the pool's {@link AddressPool#name() name}
     * @param value the value asked for, in its canonical text form
     */
    public AddressInUseException(String poolName, String value) {
        super(value + " is already allocated in " + poolName);
    }
}
