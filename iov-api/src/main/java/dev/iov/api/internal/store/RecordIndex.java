package dev.iov.api.internal.store;

import com.google.common.collect.ImmutableSortedMap;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.VersionedValue;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The committed records of a store, sorted by key: what {@link StateStore#get} and {@link StateStore#list}
 * read. It holds no rules of its own; a store decides a change (see {@link VersionCheck}) and then applies it here
 * once the change is acknowledged.
 *
 * <p>Thread-safe. A read-write lock rather than a concurrent map, because {@link #list} must be a consistent
 * snapshot: a concurrent skip list iterates weakly consistently and could show one write without an earlier one.
 * A batch applied with {@link #applyAll} is seen by readers entirely or not at all.
 *
 * <p>The index owns the value arrays it is given and hands out copies, so nobody can change a record behind the
 * store's back.
 */
public final class RecordIndex {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final NavigableMap<String, VersionedValue> records = new TreeMap<>();

    /** Creates an empty index. */
    public RecordIndex() {
    }

    /**
     * The version of one record.
     *
     * @param key the key
     * @return its version, or {@link StateStore#ABSENT} when the key does not exist
     */
    public long version(String key) {
        lock.readLock().lock();
        try {
            VersionedValue record = records.get(key);
            return record == null ? StateStore.ABSENT : record.version();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Reads one record.
     *
     * @param key the key
     * @return a copy of the record, or empty when the key does not exist
     */
    public Optional<VersionedValue> get(String key) {
        VersionedValue record;
        lock.readLock().lock();
        try {
            record = records.get(key);
        } finally {
            lock.readLock().unlock();
        }
        return Optional.ofNullable(record).map(RecordIndex::copy);
    }

    /**
     * A consistent snapshot of the records whose key starts with {@code prefix}.
     *
     * @param prefix the key prefix; empty for all records
     * @return an immutable map, in key order, holding copies of the values
     */
    public Map<String, VersionedValue> list(String prefix) {
        ImmutableSortedMap<String, VersionedValue> shared = sharedSnapshot(prefix);
        ImmutableSortedMap.Builder<String, VersionedValue> copies = ImmutableSortedMap.naturalOrder();
        // Copy the arrays outside the lock: the snapshot already pins the records, and writers need not wait.
        shared.forEach((key, record) -> copies.put(key, copy(record)));
        return copies.buildOrThrow();
    }

    /**
     * A consistent snapshot of the records whose key starts with {@code prefix}, sharing the index's value arrays.
     * For persisting the state (a snapshot file) without copying every value; never hand these arrays out.
     *
     * @param prefix the key prefix; empty for all records
     * @return an immutable map in key order whose values must not be modified
     */
    public ImmutableSortedMap<String, VersionedValue> sharedSnapshot(String prefix) {
        lock.readLock().lock();
        try {
            ImmutableSortedMap.Builder<String, VersionedValue> snapshot = ImmutableSortedMap.naturalOrder();
            for (Map.Entry<String, VersionedValue> entry : records.tailMap(prefix, true).entrySet()) {
                if (!entry.getKey().startsWith(prefix)) {
                    break;
                }
                snapshot.put(entry);
            }
            return snapshot.buildOrThrow();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The number of records.
     *
     * @return how many keys exist
     */
    public int size() {
        lock.readLock().lock();
        try {
            return records.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Applies one acknowledged change.
     *
     * @param change the change; for a put the index takes ownership of its value array, which the caller must not
     *     modify afterwards
     */
    public void apply(StoreEvent change) {
        lock.writeLock().lock();
        try {
            applyLocked(change);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Applies acknowledged changes in order, atomically for readers.
     *
     * @param changes the changes in commit order; the index takes ownership of their value arrays
     */
    public void applyAll(List<StoreEvent> changes) {
        lock.writeLock().lock();
        try {
            for (StoreEvent change : changes) {
                applyLocked(change);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void applyLocked(StoreEvent change) {
        if (change.type() == StoreEvent.Type.PUT) {
            records.put(change.key(), new VersionedValue(change.version(), change.value()));
        } else {
            records.remove(change.key());
        }
    }

    private static VersionedValue copy(VersionedValue record) {
        return new VersionedValue(record.version(), record.value().clone());
    }
}
