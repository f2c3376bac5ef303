package dev.iov.api.pool;

import dev.iov.api.IovException;

/** An {@link AddressPool} had no free value left. */
public class PoolExhaustedException extends IovException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param poolName the pool's {@link AddressPool#name() name}
     * @param capacity how many values it holds in all
     */
    public PoolExhaustedException(String poolName, long capacity) {
        super("allocate from " + poolName, poolName + " is exhausted: all " + capacity + " values are allocated");
    }
}
