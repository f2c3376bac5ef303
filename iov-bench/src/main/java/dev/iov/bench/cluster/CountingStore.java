package dev.iov.bench.cluster;

import dev.iov.api.store.ForwardingStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Passes every call to a store and counts what reaches the ensemble: writes ({@code put}, {@code delete},
 * {@code commit}: one round trip each; {@code get} and {@code list} are answered from the ZooKeeper store's local
 * replica), the time spent in them, and compare-and-set conflicts by the key they hit (MAC pool chunk, uplink sums,
 * anything else).
 */
final class CountingStore extends ForwardingStateStore {

    /** What every node's store of one configuration counted. */
    static final class Counts {
        final LongAdder writes = new LongAdder();
        final LongAdder writeNanos = new LongAdder();
        final LongAdder poolConflicts = new LongAdder();
        final LongAdder sumsConflicts = new LongAdder();
        final LongAdder otherConflicts = new LongAdder();

        void reset() {
            writes.reset();
            writeNanos.reset();
            poolConflicts.reset();
            sumsConflicts.reset();
            otherConflicts.reset();
        }

        long conflicts() {
            return poolConflicts.sum() + sumsConflicts.sum() + otherConflicts.sum();
        }
    }

    private final String poolPrefix;
    private final Counts counts;

    CountingStore(StateStore delegate, String poolPrefix, Counts counts) {
        super(delegate);
        this.poolPrefix = poolPrefix;
        this.counts = counts;
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
        long t0 = System.nanoTime();
        try {
            return super.put(key, value, expectedVersion);
        } catch (VersionConflictException e) {
            conflict(e.key());
            throw e;
        } finally {
            written(t0);
        }
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        long t0 = System.nanoTime();
        try {
            return super.delete(key, expectedVersion);
        } catch (VersionConflictException e) {
            conflict(e.key());
            throw e;
        } finally {
            written(t0);
        }
    }

    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        long t0 = System.nanoTime();
        try {
            return super.commit(ops);
        } catch (VersionConflictException e) {
            conflict(e.key());
            throw e;
        } finally {
            written(t0);
        }
    }

    private void written(long t0) {
        counts.writeNanos.add(System.nanoTime() - t0);
        counts.writes.increment();
    }

    private void conflict(String key) {
        if (key.startsWith(poolPrefix)) {
            counts.poolConflicts.increment();
        } else if (key.contains("/uplinks/")) {
            counts.sumsConflicts.increment();
        } else {
            counts.otherConflicts.increment();
        }
    }
}
