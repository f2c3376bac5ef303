package dev.iov.api.fabric;

import dev.iov.api.pool.AddressPool;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pool that fails allocations where {@link Faults} says, and remembers what is allocated so a test can compare
 * before and after. Single-threaded test use only.
 */
final class FaultyPool<T extends Comparable<T>> implements AddressPool<T> {
    private final AddressPool<T> delegate;
    private final Faults faults;
    private final Set<T> allocated = new TreeSet<>();

    FaultyPool(AddressPool<T> delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public T allocate() {
        faults.check(name() + " allocate");
        T value = delegate.allocate();
        allocated.add(value);
        return value;
    }

    @Override
    public void reserve(T value) {
        faults.check(name() + " reserve " + value);
        delegate.reserve(value);
        allocated.add(value);
    }

    @Override
    public boolean release(T value) {
        allocated.remove(value);
        return delegate.release(value);
    }

    @Override
    public boolean contains(T value) {
        return delegate.contains(value);
    }

    @Override
    public boolean isAllocated(T value) {
        return delegate.isAllocated(value);
    }

    @Override
    public long capacity() {
        return delegate.capacity();
    }

    @Override
    public long available() {
        return delegate.available();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    /** @return what is allocated now, checked against the real pool's count */
    Set<T> snapshot() {
        if (delegate.capacity() - delegate.available() != allocated.size()) {
            throw new AssertionError(name() + ": pool says " + (delegate.capacity() - delegate.available())
                    + " allocated, the test saw " + allocated.size());
        }
        return new TreeSet<>(allocated);
    }
}
