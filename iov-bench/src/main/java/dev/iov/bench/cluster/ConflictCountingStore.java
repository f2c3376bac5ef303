package dev.iov.bench.cluster;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Passes every call to a store and counts the compare-and-set conflicts on keys under one prefix (the pools'), so
 * the benchmark can say how often nodes collided on a pool chunk.
 */
final class ConflictCountingStore implements StateStore {

    private final StateStore delegate;
    private final String countedPrefix;
    private final LongAdder conflicts;

    ConflictCountingStore(StateStore delegate, String countedPrefix, LongAdder conflicts) {
        this.delegate = delegate;
        this.countedPrefix = countedPrefix;
        this.conflicts = conflicts;
    }

    @Override
    public Optional<VersionedValue> get(String key) {
        return delegate.get(key);
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
        try {
            return delegate.put(key, value, expectedVersion);
        } catch (VersionConflictException e) {
            if (key.startsWith(countedPrefix)) {
                conflicts.increment();
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        return delegate.delete(key, expectedVersion);
    }

    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        try {
            return delegate.commit(ops);
        } catch (VersionConflictException e) {
            if (e.key().startsWith(countedPrefix)) {
                conflicts.increment();
            }
            throw e;
        }
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
}
