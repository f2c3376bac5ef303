package dev.iov.api.pool;

/** {@link AddressPool#reserve} asked for a value that is already allocated. */
public class AddressInUseException extends RuntimeException {
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
