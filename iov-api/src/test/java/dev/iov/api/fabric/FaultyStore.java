package dev.iov.api.fabric;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionedValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A state store that fails writes where {@link Faults} says, otherwise delegating. */
final class FaultyStore implements StateStore {
    private final StateStore delegate;
    private final Faults faults;

    FaultyStore(StateStore delegate, Faults faults) {
        this.delegate = delegate;
        this.faults = faults;
    }

    @Override
    public Optional<VersionedValue> get(String key) {
        return delegate.get(key);
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
        check("store put " + key);
        return delegate.put(key, value, expectedVersion);
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        check("store delete " + key);
        return delegate.delete(key, expectedVersion);
    }

    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        // A transaction fails whole: a fault at any of its steps' points means nothing is written.
        for (StoreOp op : ops) {
            check((op instanceof StoreOp.Delete ? "store delete " : "store put ") + op.key());
        }
        return delegate.commit(ops);
    }

    @Override
    public Map<String, VersionedValue> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Watch watch(String prefix, Consumer<dev.iov.api.store.StoreEvent> listener) {
        return delegate.watch(prefix, listener);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private void check(String point) {
        synchronized (faults) {
            try {
                faults.check(point);
            } catch (Faults.InjectedFault e) {
                throw new StoreException("injected: disk full at " + point, e);
            }
        }
    }
}
