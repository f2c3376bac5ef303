package dev.iov.api.pool;

/**
 * Adapts a {@link LongRangePool} to a value type: each typed pool says how its values map to and from a {@code long}
 * key, and everything else is delegated, so the allocation logic exists once.
 *
 * @param <T> the value type
 */
abstract class MappedPool<T> implements AddressPool<T> {

    final LongRangePool core;

    MappedPool(LongRangePool core) {
        this.core = core;
    }

    /** The pool key for a value; need not be in the ranges. */
    abstract long key(T value);

    /** The value for a key the core handed out. */
    abstract T value(long key);

    @Override
    public T allocate() {
        return value(core.allocateLong());
    }

    @Override
    public void reserve(T value) {
        core.reserveLong(key(value));
    }

    @Override
    public boolean release(T value) {
        return core.releaseLong(key(value));
    }

    @Override
    public boolean contains(T value) {
        return core.containsLong(key(value));
    }

    @Override
    public boolean isAllocated(T value) {
        return core.isAllocatedLong(key(value));
    }

    @Override
    public long capacity() {
        return core.capacity();
    }

    @Override
    public long available() {
        return core.available();
    }

    @Override
    public String name() {
        return core.name();
    }

    /** @return {@link #name()} */
    @Override
    public String toString() {
        return core.name();
    }
}
