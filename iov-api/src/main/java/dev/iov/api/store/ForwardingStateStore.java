package dev.iov.api.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store that passes every call to another: extend it to decorate a store (count conflicts, inject faults in a
 * test) by overriding only the calls that change.
 */
public abstract class ForwardingStateStore implements StateStore {
    private final StateStore delegate;

    /** @param delegate the store that does the work */
    protected ForwardingStateStore(StateStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the store that does the work */
    protected final StateStore delegate() {
        return delegate;
    }

    @Override
    public Optional<VersionedValue> get(String key) {
        return delegate.get(key);
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
        return delegate.put(key, value, expectedVersion);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        return delegate.delete(key, expectedVersion);
    }

    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        return delegate.commit(ops);
    }

    @Override
    public Map<String, VersionedValue> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Watch watch(String prefix, Consumer<StoreEvent> listener) {
        return delegate.watch(prefix, listener);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
