package dev.iov.api.store.journal;

import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreOutcomeUnknownException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Appends records to one journal file and makes them durable with group commit.
 *
 * <p>{@link #append} only queues a record in memory and returns the offset where it ends. {@link #awaitDurable}
 * then waits until a flush covering that offset is done. Whoever waits while no flush is running becomes the
 * leader: it takes every queued record, writes them with as few system calls as possible, forces the file once,
 * hands the batch to the {@code onDurable} callback and wakes the others. Writers that queue records while a flush
 * runs are covered by the next one, so N concurrent writers share one fsync instead of paying for N.
 *
 * <p>A leader first gathers: if fewer records are queued than the previous batch had, it waits a little (at most
 * half the last fsync's duration) for the writers just released by that batch to queue their next records. Without
 * this, a batch that held every writer is followed by a batch of one (the first writer back starts a flush alone
 * while the rest are still waking up), then one of all the others, and so on: half the fsyncs would be wasted.
 *
 * <p>A transaction's changes are one record ({@link #appendBatch}), so they are written, synced and handed on
 * together with the rest of the flush.
 *
 * <p>Batches reach {@code onDurable} one at a time, in append order, after they are on disk and before any of
 * their writers is released; that is where the store makes them visible.
 *
 * <p>A failed write or force poisons the log: after an fsync failure the kernel may have dropped the dirty pages,
 * so retrying could report success for data that is gone. Every waiter and every later append fails; the store
 * must be reopened, which re-reads what really reached the disk.
 */
final class GroupCommitLog {

    private static final int BUFFER_BYTES = 1 << 20;
    /** The longest a leader waits for more records, however slow the disk. */
    private static final long MAX_GATHER_NANOS = 2_000_000;

    private final Path file;
    private final FileChannel channel;
    private final Consumer<List<StoreEvent>> onDurable;
    /** Used only by the leader, which one thread at a time is. */
    private final ChannelWriter writer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushDone = lock.newCondition();
    private final Condition gathered = lock.newCondition();
    // Guarded by lock.
    private List<byte[]> queuedBytes = new ArrayList<>();
    private List<StoreEvent> queuedChanges = new ArrayList<>();
    private long appendedEnd;
    private long durableEnd;
    private boolean flushing;
    /** How many records the gathering leader waits for; 0 when no one gathers. */
    private int gatherTarget;
    // Written by the leader before it retakes the lock, read by the next leader under it.
    private int lastBatchRecords;
    private long lastForceNanos;
    private boolean closed;
    private Throwable failure;

    /**
     * Takes over an open journal.
     *
     * @param file the journal, for messages
     * @param channel the journal open for writing; owned by this log from now on
     * @param end the offset just past the last good record, where appending starts
     * @param onDurable receives each batch of changes once it is durable, in order
     */
    GroupCommitLog(Path file, FileChannel channel, long end, Consumer<List<StoreEvent>> onDurable) {
        this.file = file;
        this.channel = channel;
        this.onDurable = onDurable;
        this.writer = new ChannelWriter(channel, end, BUFFER_BYTES);
        this.appendedEnd = end;
        this.durableEnd = end;
    }

    /** @return the journal file */
    Path file() {
        return file;
    }

    /**
     * Queues a record. The caller serializes appends with its own decisions (a store's write lock), which fixes
     * the commit order.
     *
     * @param change the change to record
     * @return the offset where its record ends, to pass to {@link #awaitDurable}
     * @throws StoreException when the log is closed or failed
     */
    long append(StoreEvent change) {
        return append(JournalFormat.encode(change), List.of(change));
    }

    /**
     * Queues the changes of one transaction as a single batch record, so that they reach the disk, and after a
     * crash the recovered state, all together or not at all. They share the next fsync with everything else queued.
     *
     * @param changes one or more changes of distinct keys, in commit order
     * @return the offset where the batch record ends, to pass to {@link #awaitDurable}
     * @throws IllegalArgumentException when the batch is larger than the format allows
     * @throws StoreException when the log is closed or failed
     */
    long appendBatch(List<StoreEvent> changes) {
        return append(JournalFormat.encodeBatch(changes), changes);
    }

    private long append(byte[] record, List<StoreEvent> changes) {
        lock.lock();
        try {
            checkUsable();
            queuedBytes.add(record);
            queuedChanges.addAll(changes);
            appendedEnd += record.length;
            if (gatherTarget > 0 && queuedBytes.size() >= gatherTarget) {
                gathered.signal();
            }
            return appendedEnd;
        } finally {
            lock.unlock();
        }
    }

    /** @return the offset just past the last queued record: the journal's size once everything is flushed */
    long size() {
        lock.lock();
        try {
            return appendedEnd;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every record ending at or before {@code offset} is on disk and applied, flushing if no one else
     * is. Not interruptible: the record is committed either way, and the caller must learn the outcome.
     *
     * @param offset what {@link #append} returned
     * @throws StoreException when the flush failed; the records' fate is then unknown until the store is reopened
     */
    void awaitDurable(long offset) {
        lock.lock();
        try {
            while (durableEnd < offset) {
                if (failure != null) {
                    throw new StoreOutcomeUnknownException("journal " + file + " failed to write or sync (" + failure
                            + "); the write may or may not be durable, reopen the store to find out", failure);
                }
                if (flushing) {
                    flushDone.awaitUninterruptibly();
                } else {
                    lead();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Flushes everything queued so far; called and returns with the lock held, releases it during I/O. */
    private void lead() {
        flushing = true;
        gather();
        List<byte[]> bytes = queuedBytes;
        List<StoreEvent> changes = queuedChanges;
        long batchEnd = appendedEnd;
        queuedBytes = new ArrayList<>();
        queuedChanges = new ArrayList<>();
        Throwable error = null;
        lock.unlock();
        try {
            for (byte[] record : bytes) {
                writer.write(record);
            }
            writer.flush();
            long forceStart = System.nanoTime();
            channel.force(false);
            lastForceNanos = System.nanoTime() - forceStart;
            lastBatchRecords = bytes.size();
            onDurable.accept(changes);
        } catch (IOException | RuntimeException | Error e) {
            error = e;
        } finally {
            lock.lock();
            flushing = false;
            if (error == null) {
                durableEnd = batchEnd;
            } else if (failure == null) {
                failure = error;
            }
            flushDone.signalAll();
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
    }

    /** Waits, lock held, until as many records are queued as last time, or for at most half an fsync. */
    private void gather() {
        int target = lastBatchRecords;
        if (queuedBytes.size() >= target) {
            return;
        }
        long deadline = System.nanoTime() + Math.min(lastForceNanos / 2, MAX_GATHER_NANOS);
        gatherTarget = target;
        try {
            long left;
            while (queuedBytes.size() < target && (left = deadline - System.nanoTime()) > 0) {
                gathered.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // Stop gathering and flush; the writer's own wait is not interruptible, so keep the flag for later.
            Thread.currentThread().interrupt();
        } finally {
            gatherTarget = 0;
        }
    }

    /**
     * Flushes what is queued and closes the file. Idempotent. After a failure, which every writer concerned was
     * told about, it only closes the file.
     *
     * @throws StoreException when the final flush or the close fails
     */
    void close() {
        long end;
        boolean failed;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            end = appendedEnd;
            failed = failure != null;
        } finally {
            lock.unlock();
        }
        try {
            if (!failed) {
                awaitDurable(end);
            }
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                throw new StoreException("cannot close journal " + file + ": " + e, e);
            }
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new StoreException("journal " + file + " failed earlier (" + failure + "); reopen the store",
                    failure);
        }
        if (closed) {
            throw new StoreException("journal " + file + " is closed");
        }
    }
}
