package dev.iov.api.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Durable, versioned key/value state shared by everything that manages a fabric.
 *
 * <p>Every record carries a version: 1 when it is created, incremented by each successful write. Writes are
 * compare-and-set on that version, which is how concurrent writers (threads, or management nodes on a shared
 * store) avoid lost updates: read a record, decide, write with the version you read, retry on
 * {@link VersionConflictException}.
 *
 * <p>A write that returns normally is <em>acknowledged</em>: it is durable (for a persistent store, on disk) and
 * visible to every later {@link #get} and {@link #list} on this store. Watchers are notified after acknowledgement,
 * in commit order per key.
 *
 * <p>Keys are non-empty strings of printable ASCII without whitespace, at most 1024 characters; {@code /}
 * separates levels by convention ({@code vnic/web-7-eth0}). Values are opaque bytes (at most 16 MiB).
 * {@link StoreKeys} holds these rules; an invalid key, prefix or value fails with
 * {@link IllegalArgumentException} naming the key, and a null one with {@link NullPointerException}.
 *
 * <p>Values are copied on the way in and out: mutating an array passed to {@link #put}, or one returned by
 * {@link #get}, {@link #list} or carried by a {@link StoreEvent}, never changes the store.
 *
 * <p>A {@link StoreOutcomeUnknownException} from a write means its outcome is unknown: the record may or may not be
 * there when it is read again (after a reconnect, or after the store is reopened). Any other {@link StoreException}
 * from a write means that nothing was written.
 *
 * <p>Implementations are thread-safe. After {@link #close} every method fails with {@link StoreException}.
 */
public interface StateStore extends AutoCloseable {

    /** Expected version meaning "the key must not exist": {@code put(key, value, ABSENT)} creates. */
    long ABSENT = 0;

    /** Expected version meaning "whatever is there": an unconditional write or delete. */
    long ANY_VERSION = -1;

    /**
     * Reads one record.
     *
     * @param key the key
     * @return the record, or empty when the key does not exist
     * @throws IllegalArgumentException when the key is invalid
     * @throws StoreException when the store is closed
     */
    Optional<VersionedValue> get(String key);

    /**
     * Writes {@code value} under {@code key} if the key's current version equals {@code expectedVersion}
     * ({@link #ABSENT} when it must not exist yet, {@link #ANY_VERSION} to skip the check).
     *
     * @param key the key
     * @param value the new value; the store keeps its own copy
     * @param expectedVersion the version the caller last saw
     * @return the new version of the record
     * @throws VersionConflictException when the current version is not the expected one; nothing was written
     * @throws IllegalArgumentException when the key or value is invalid, or {@code expectedVersion} is below
     *     {@link #ANY_VERSION}
     * @throws StoreException when the store cannot write (I/O failure, closed store)
     */
    long put(String key, byte[] value, long expectedVersion);

    /**
     * Deletes {@code key} if its current version equals {@code expectedVersion} (or {@link #ANY_VERSION}).
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw
     * @return true when a record was deleted, false when the key did not exist and {@code expectedVersion} was
     *     {@link #ANY_VERSION} (deleting what is absent is idempotent)
     * @throws VersionConflictException when the record exists with another version, or does not exist and a
     *     specific version was expected
     * @throws IllegalArgumentException when the key is invalid, or {@code expectedVersion} is {@link #ABSENT}
     *     (there is nothing to delete in a record that must not exist) or below {@link #ANY_VERSION}
     * @throws StoreException when the store cannot write
     */
    boolean delete(String key, long expectedVersion);

    /**
     * Applies several compare-and-set steps as one transaction: every check passes and every change is made, or
     * nothing is. A committed transaction is acknowledged like a single write, its changes reach watchers one event
     * per changed key, and a reader on another node never sees part of it.
     *
     * @param ops the steps; each key at most once
     * @return for each step, in order: the new version of a put, {@link #ABSENT} for a delete, the checked version
     *     of a check
     * @throws VersionConflictException for the first step whose key is not at the expected version; nothing was
     *     written
     * @throws IllegalArgumentException when the list is empty, names a key twice, or a step is invalid
     * @throws StoreOutcomeUnknownException when the transaction's outcome is unknown, as for a single write
     * @throws StoreException when the store cannot write; nothing was written
     */
    List<Long> commit(List<? extends StoreOp> ops);

    /**
     * A consistent snapshot of every record whose key starts with {@code prefix}, in key order.
     *
     * @param prefix the key prefix; empty for all records
     * @return an immutable sorted map of key to record; later writes do not change it
     * @throws IllegalArgumentException when the prefix is invalid
     * @throws StoreException when the store is closed
     */
    Map<String, VersionedValue> list(String prefix);

    /**
     * Registers a listener for acknowledged changes to keys starting with {@code prefix}. The listener runs on a
     * thread of the store's choosing and must not block; it is called once per change, in commit order per key.
     *
     * <p>The listener sees the changes acknowledged after this method returns. When it is called, the change is
     * already visible to {@link #get} and {@link #list}. A listener that throws is logged and skipped; the store
     * and the other listeners carry on.
     *
     * @param prefix the key prefix; empty for all keys
     * @param listener receives one {@link StoreEvent} per change
     * @return a handle whose {@code close()} stops the notifications
     * @throws IllegalArgumentException when the prefix is invalid
     * @throws StoreException when the store is closed
     */
    Watch watch(String prefix, Consumer<StoreEvent> listener);

    /**
     * Flushes and releases the store; later calls fail with {@link StoreException}. Idempotent. Writes that are
     * in flight when it is called complete first.
     *
     * @throws StoreException when the final flush fails
     */
    @Override
    void close();

    /** A registration made by {@link #watch}; closing it stops notifications. Idempotent. */
    interface Watch extends AutoCloseable {
        /**
         * Stops the notifications: once this returns the listener is not running and is not called again. A call
         * already running is waited for, unless {@code close()} is called from within the listener itself.
         */
        @Override
        void close();
    }
}
