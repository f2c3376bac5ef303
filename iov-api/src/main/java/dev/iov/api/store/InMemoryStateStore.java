package dev.iov.api.store;

import dev.iov.api.internal.store.RecordIndex;
import dev.iov.api.internal.store.VersionCheck;
import dev.iov.api.internal.store.WatchDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link StateStore} that lives in the heap and is gone when the process ends: for tests, for single-shot tools
 * and as the reference the persistent stores are checked against.
 *
 * <p>A write is acknowledged as soon as it is in the index. Writes are serialized by one lock, so the version
 * check and the change are atomic; reads take only the index's read lock and never wait for a writer's listeners.
 * A {@link #commit} decides every step under that lock and applies all of its changes to the index at once, so a
 * reader sees the whole transaction or none of it.
 *
 * <p>Watch listeners run on the store's delivery thread, {@code iov-store-watch-<name>-N} (see
 * {@link WatchDispatcher}), after the change is visible, in commit order.
 */
public final class InMemoryStateStore implements StateStore {

    private final String name;
    private final RecordIndex index = new RecordIndex();
    private final WatchDispatcher watches;
    /** Serializes writes so that deciding a change and applying it is atomic, and commit order is publish order. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    /** Creates an empty store named {@code in-memory}. */
    public InMemoryStateStore() {
        this("in-memory");
    }

    /**
     * Creates an empty store.
     *
     * @param name names the store in messages and its delivery thread
     */
    public InMemoryStateStore(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.watches = new WatchDispatcher(name);
    }

    @Override
    public Optional<VersionedValue> get(String key) {
        StoreKeys.requireValidKey(key);
        ensureOpen();
        return index.get(key);
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
        StoreKeys.requireValidKey(key);
        byte[] copy = StoreKeys.requireValidValue(key, value).clone();
        writeLock.lock();
        try {
            ensureOpen();
            long version = VersionCheck.versionAfterPut(key, index.version(key), expectedVersion);
            StoreEvent change = new StoreEvent(key, StoreEvent.Type.PUT, version, copy);
            index.apply(change);
            watches.publish(change);
            return version;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        StoreKeys.requireValidKey(key);
        writeLock.lock();
        try {
            ensureOpen();
            long current = index.version(key);
            if (!VersionCheck.deletes(key, current, expectedVersion)) {
                return false;
            }
            StoreEvent change = new StoreEvent(key, StoreEvent.Type.DELETE, current, new byte[0]);
            index.apply(change);
            watches.publish(change);
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        List<StoreOp> steps = StoreOp.requireValid(ops);
        writeLock.lock();
        try {
            ensureOpen();
            List<StoreEvent> changes = new ArrayList<>(steps.size());
            List<Long> versions = VersionCheck.decideCommit(steps, index::version,
                    i -> ((StoreOp.Put) steps.get(i)).value().clone(), changes);
            index.applyAll(changes);
            changes.forEach(watches::publish);
            return List.copyOf(versions);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Map<String, VersionedValue> list(String prefix) {
        StoreKeys.requireValidPrefix(prefix);
        ensureOpen();
        return index.list(prefix);
    }

    @Override
    public Watch watch(String prefix, Consumer<StoreEvent> listener) {
        StoreKeys.requireValidPrefix(prefix);
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        return watches.register(prefix, listener);
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        watches.close();
    }

    @Override
    public String toString() {
        return "InMemoryStateStore[" + name + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("in-memory store " + name + " is closed");
        }
    }
}
