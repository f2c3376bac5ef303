package dev.iov.api.store.journal;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreKeys;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import dev.iov.api.internal.store.RecordIndex;
import dev.iov.api.internal.store.VersionCheck;
import dev.iov.api.internal.store.WatchDispatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded, persistent {@link StateStore}: an append-only journal file in a directory, replayed into memory
 * when the store is opened.
 *
 * <p><b>Durability.</b> A {@link #put}, {@link #delete} or {@link #commit} returns only after its record is written
 * and forced to disk. Concurrent writers share one fsync (group commit, see {@code GroupCommitLog}), so throughput
 * grows with the number of writing threads. A change becomes visible to {@link #get}, {@link #list} and watchers
 * only once it is durable, so nobody acts on a change that a crash could take back.
 *
 * <p><b>Transactions.</b> {@link #commit} decides every step under the write lock that single writes take, then
 * appends the transaction's changes as one batch record with one CRC through the same group commit. The batch is
 * made visible to readers in one step and reaches watchers as one event per changed key, in order; after a crash
 * it is recovered whole or, torn at the tail, not at all.
 *
 * <p><b>Crashes.</b> When the store is opened after a crash, a record torn at the end of the journal (it was never
 * acknowledged) is discarded with a WARN log. Damage anywhere else fails the open with a {@link StoreException}
 * naming the file and the byte offset; acknowledged records are never dropped silently.
 *
 * <p><b>Compaction.</b> When the journal has grown past the threshold (and past the size of the last snapshot, so
 * that a large state is not rewritten after every few writes), the writer that crossed it writes a snapshot of the
 * live records and starts a fresh journal, holding the write lock meanwhile; reads go on. Each step is crash-safe;
 * see {@code JournalRecovery} for which files count after a crash.
 *
 * <p><b>Concurrency.</b> Thread-safe. One directory can be open in one store at a time, across processes: a second
 * open fails with a {@link StoreException}. Watch listeners run on the store's delivery thread,
 * {@code iov-store-watch-<directory>-N}, after the change is durable and visible, in commit order.
 */
public final class JournalStateStore implements StateStore {

    /** The default compaction threshold: 64 MiB of journal. */
    public static final long DEFAULT_COMPACTION_THRESHOLD_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(JournalStateStore.class);

    private final StoreDirectory directory;
    private final JournalChannelOpener opener;
    private final long compactionThresholdBytes;
    private final RecordIndex index;
    private final WatchDispatcher watches;

    /** Serializes writers' decisions and appends, and compaction. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * The version of every key as of the last appended record, durable or not; guarded by {@link #writeLock}.
     * Version checks read this rather than the index, which lags by the records still waiting for their fsync.
     */
    private final Map<String, Long> latestVersions = new HashMap<>();
    /** Replaced by compaction, under the write lock. */
    private volatile GroupCommitLog log;
    /** Guarded by {@link #writeLock}. */
    private long generation;
    /** The journal size at which compaction is due; written under {@link #writeLock}, read without it. */
    private volatile long compactAt;
    private volatile boolean closed;
    /** Set when compaction failed half-way: the old journal no longer counts, so it must not be written. */
    private volatile StoreException failure;

    private JournalStateStore(Builder builder, StoreDirectory directory, RecordIndex index,
            JournalRecovery.Recovered recovered) throws IOException {
        this.directory = directory;
        this.opener = builder.opener;
        this.compactionThresholdBytes = builder.compactionThresholdBytes;
        this.index = index;
        this.watches = new WatchDispatcher(directory.path().getFileName().toString());
        this.generation = recovered.generation();
        index.sharedSnapshot("").forEach((key, record) -> latestVersions.put(key, record.version()));
        this.log = openLog(recovered.generation(), recovered.journalEnd());
        this.compactAt = compactionPoint(recovered.snapshotBytes());
    }

    /**
     * Opens the store in {@code directory} with default settings, creating it if needed.
     *
     * @param directory the store's directory
     * @return the open store
     * @throws StoreException when the directory is in use, corrupt or unreadable
     */
    public static JournalStateStore open(Path directory) {
        return builder(directory).open();
    }

    /**
     * Starts configuring a store.
     *
     * @param directory the store's directory; created if needed
     * @return a builder
     */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** @return the store's directory */
    public Path directory() {
        return directory.path();
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
        GroupCommitLog target;
        long end;
        long version = ABSENT;
        VersionConflictException conflict = null;
        writeLock.lock();
        try {
            ensureWritable();
            target = log;
            try {
                version = VersionCheck.versionAfterPut(key, latestVersion(key), expectedVersion);
            } catch (VersionConflictException e) {
                conflict = e;
            }
            if (conflict == null) {
                end = target.append(new StoreEvent(key, StoreEvent.Type.PUT, version, copy));
                latestVersions.put(key, version);
            } else {
                end = target.size();
            }
        } finally {
            writeLock.unlock();
        }
        // A conflict also waits: the version that beat the caller may not be durable yet, and the caller's next
        // get() should see it rather than the stale one, or a retry loop would spin until the fsync.
        target.awaitDurable(end);
        if (conflict != null) {
            throw conflict;
        }
        compactIfDue();
        return version;
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        StoreKeys.requireValidKey(key);
        GroupCommitLog target;
        long end;
        boolean deletes = false;
        VersionConflictException conflict = null;
        writeLock.lock();
        try {
            ensureWritable();
            target = log;
            long current = latestVersion(key);
            try {
                deletes = VersionCheck.deletes(key, current, expectedVersion);
            } catch (VersionConflictException e) {
                conflict = e;
            }
            if (deletes) {
                end = target.append(new StoreEvent(key, StoreEvent.Type.DELETE, current, new byte[0]));
                latestVersions.remove(key);
            } else {
                end = target.size();
            }
        } finally {
            writeLock.unlock();
        }
        // Finding nothing to delete also waits: the absence may come from a delete that is not durable yet.
        target.awaitDurable(end);
        if (conflict != null) {
            throw conflict;
        }
        if (deletes) {
            compactIfDue();
        }
        return deletes;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The transaction's changes are one journal record (a batch; a single change is an ordinary record), written
     * and synced with the group commit every other write shares, and recovered after a crash entirely or not at all.
     * Their keys and values may take at most 64 MiB together.
     *
     * @param ops {@inheritDoc}
     * @return {@inheritDoc}
     * @throws IllegalArgumentException also when the changes would exceed 64 MiB
     */
    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        List<StoreOp> steps = StoreOp.requireValid(ops);
        List<byte[]> values = new ArrayList<>(steps.size());
        long size = JournalFormat.batchHeaderSize();
        for (StoreOp op : steps) {
            byte[] value = op instanceof StoreOp.Put put ? put.value().clone() : null;
            values.add(value);
            if (!(op instanceof StoreOp.Check)) {
                size += JournalFormat.changeSize(op.key(), value == null ? 0 : value.length);
            }
        }
        if (size > JournalFormat.MAX_BATCH_PAYLOAD) {
            throw new IllegalArgumentException("store transaction of " + steps.size() + " steps needs " + size
                    + " bytes of journal, more than the limit of " + JournalFormat.MAX_BATCH_PAYLOAD + " bytes");
        }
        GroupCommitLog target;
        long end;
        List<StoreEvent> changes = new ArrayList<>(steps.size());
        List<Long> versions = new ArrayList<>(steps.size());
        VersionConflictException conflict = null;
        writeLock.lock();
        try {
            ensureWritable();
            target = log;
            try {
                versions.addAll(VersionCheck.decideCommit(steps, this::latestVersion, values::get, changes));
            } catch (VersionConflictException e) {
                conflict = e;
                changes.clear();
            }
            if (changes.isEmpty()) {
                end = target.size();
            } else {
                end = changes.size() == 1 ? target.append(changes.get(0)) : target.appendBatch(changes);
                for (StoreEvent change : changes) {
                    if (change.type() == StoreEvent.Type.PUT) {
                        latestVersions.put(change.key(), change.version());
                    } else {
                        latestVersions.remove(change.key());
                    }
                }
            }
        } finally {
            writeLock.unlock();
        }
        // As for put: a conflict or a transaction of checks also waits, for the versions it was decided on.
        target.awaitDurable(end);
        if (conflict != null) {
            throw conflict;
        }
        if (!changes.isEmpty()) {
            compactIfDue();
        }
        return List.copyOf(versions);
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

    /**
     * Compacts now, whatever the journal's size: writes a snapshot of the live records and starts a new journal.
     * Blocks writers meanwhile.
     *
     * @throws StoreException when the store is closed or compaction fails
     */
    public void compact() {
        writeLock.lock();
        try {
            ensureWritable();
            compactLocked();
        } finally {
            writeLock.unlock();
        }
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
        try {
            log.close();
        } finally {
            watches.close();
            directory.close();
            LOG.info("closed journal store {}", directory.path());
        }
    }

    @Override
    public String toString() {
        return "JournalStateStore[" + directory.path() + "]";
    }

    private long latestVersion(String key) {
        Long version = latestVersions.get(key);
        return version == null ? ABSENT : version;
    }

    private void compactIfDue() {
        if (log.size() < compactAt) {
            return;
        }
        writeLock.lock();
        try {
            if (closed || failure != null || log.size() < compactAt) {
                return;
            }
            compactLocked();
        } catch (StoreException e) {
            // The write that got here is durable already; its caller must not see compaction's failure.
            LOG.error("journal store {}: compaction failed", directory.path(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Moves from generation G to G+1. Until {@code snapshot-(G+1)} is renamed into place, generation G is
     * authoritative and a failure only postpones compaction. From the rename on, recovery prefers G+1, so the
     * generation-G journal must not take another write: a failure then fails the store.
     */
    private void compactLocked() {
        GroupCommitLog current = log;
        current.awaitDurable(current.size());
        long next = generation + 1;
        long started = System.nanoTime();
        Path temporary;
        try {
            temporary = SnapshotFile.writeTemporary(directory, next, index.sharedSnapshot(""));
        } catch (IOException e) {
            directory.deleteQuietly(List.of(directory.temporary(directory.snapshot(next))));
            compactAt = current.size() + compactionThresholdBytes;
            throw new StoreException("cannot write snapshot " + directory.snapshot(next) + ": " + e
                    + "; the store goes on with journal " + current.file(), e);
        }
        long snapshotBytes;
        try {
            directory.publish(temporary, directory.snapshot(next));
            snapshotBytes = Files.size(directory.snapshot(next));
            directory.createJournal(next);
            log = openLog(next, JournalFormat.HEADER_SIZE);
        } catch (IOException | RuntimeException e) {
            failure = new StoreException("compaction of journal store " + directory.path() + " to generation " + next
                    + " failed after its snapshot was published (" + e + "); writes are refused until the store is"
                    + " reopened, which recovers every acknowledged record", e);
            throw failure;
        }
        generation = next;
        compactAt = compactionPoint(snapshotBytes);
        try {
            current.close();
        } catch (StoreException e) {
            LOG.warn("journal store {}: cannot close the old journal {}", directory.path(), current.file(), e);
        }
        directory.deleteQuietly(List.of(directory.journal(next - 1), directory.snapshot(next - 1)));
        LOG.info("journal store {}: compacted to generation {} ({} records, {} byte snapshot) in {} ms",
                directory.path(), next, index.size(), snapshotBytes, (System.nanoTime() - started) / 1_000_000);
    }

    /** Where the next compaction is due: the journal must outgrow both the threshold and the snapshot. */
    private long compactionPoint(long snapshotBytes) {
        return JournalFormat.HEADER_SIZE + Math.max(compactionThresholdBytes, snapshotBytes);
    }

    private GroupCommitLog openLog(long logGeneration, long end) throws IOException {
        Path file = directory.journal(logGeneration);
        return new GroupCommitLog(file, opener.open(file), end, this::onDurable);
    }

    /** Runs on the leading writer's thread once a batch is on disk: makes it visible, then tells the watchers. */
    private void onDurable(List<StoreEvent> changes) {
        index.applyAll(changes);
        watches.publish(changes);
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("journal store " + directory.path() + " is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        StoreException failed = failure;
        if (failed != null) {
            throw new StoreException(failed.getMessage(), failed);
        }
    }

    /** Configures and opens a {@link JournalStateStore}. */
    public static final class Builder {
        private final Path directory;
        private long compactionThresholdBytes = DEFAULT_COMPACTION_THRESHOLD_BYTES;
        private JournalChannelOpener opener = JournalChannelOpener.DEFAULT;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /**
         * Sets how large the journal may grow before it is compacted into a snapshot. It is compacted when it
         * exceeds both this and the size of the last snapshot.
         *
         * @param bytes the threshold in bytes, at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is less than 1
         */
        public Builder compactionThresholdBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("compaction threshold must be at least 1 byte, got " + bytes);
            }
            this.compactionThresholdBytes = bytes;
            return this;
        }

        /**
         * Replaces how journal files are opened; for tests.
         *
         * @param journalChannelOpener opens each journal for appending
         * @return this builder
         */
        Builder journalChannelOpener(JournalChannelOpener journalChannelOpener) {
            this.opener = Objects.requireNonNull(journalChannelOpener, "journalChannelOpener");
            return this;
        }

        /**
         * Opens the store: locks the directory, loads the newest snapshot, replays the journal after it and
         * discards a torn last record.
         *
         * @return the open store
         * @throws StoreException when the directory is in use by another store, is corrupt (the message names the
         *     file and byte offset) or cannot be read
         */
        public JournalStateStore open() {
            StoreDirectory locked = StoreDirectory.lock(directory);
            try {
                RecordIndex index = new RecordIndex();
                JournalRecovery.Recovered recovered = JournalRecovery.recover(locked, index);
                JournalStateStore store = new JournalStateStore(this, locked, index, recovered);
                LOG.info("opened journal store {}: generation {}, {} records, journal at {} bytes", locked.path(),
                        recovered.generation(), recovered.records(), recovered.journalEnd());
                return store;
            } catch (IOException e) {
                locked.close();
                throw new StoreException("cannot open journal store " + locked.path() + ": " + e, e);
            } catch (RuntimeException | Error e) {
                locked.close();
                throw e;
            }
        }
    }
}
