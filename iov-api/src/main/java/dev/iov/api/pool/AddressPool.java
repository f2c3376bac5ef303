package dev.iov.api.pool;

import dev.iov.api.store.StoreOp;
import dev.iov.api.store.StoreOutcomeUnknownException;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A finite set of values (MAC addresses, GUIDs, VLAN IDs, P_Keys, VF slots) handed out one at a time.
 *
 * <p>Allocation and release are O(1). A value is never handed out twice while allocated, also under concurrent use.
 * Release is idempotent. Implementations are thread-safe.
 *
 * @param <T> the value type
 */
public interface AddressPool<T> {

    /**
     * Takes any free value.
     *
     * @return a value that is now allocated
     * @throws PoolExhaustedException when no value is free
     */
    T allocate();

    /**
     * Takes a specific value the caller asked for (a fixed MAC in a vNIC spec, a value recovered from the state
     * store).
     *
     * @param value the value wanted
     * @throws IllegalArgumentException when the value is outside this pool's ranges (the message names the value and
     *     the ranges)
     * @throws AddressInUseException when the value is already allocated
     */
    void reserve(T value);

    /**
     * Takes a value that a record in the state store already holds, as a fabric does when it loads its store.
     *
     * <p>A pool that lives in one process starts empty and must learn each stored value, so by default this is
     * {@link #reserve}: two records holding one value are caught here. A pool whose allocation state is itself kept
     * in a shared store (one pool used by several management nodes) already holds the value, because the node that
     * wrote the record allocated it there; such a pool accepts a value that is already allocated.
     *
     * @param value the value a stored record holds
     * @throws IllegalArgumentException when the value is outside this pool's ranges
     * @throws AddressInUseException when the pool cannot tell the value is held by the record (a process-local
     *     pool that handed it out already)
     */
    default void adopt(T value) {
        reserve(value);
    }

    /**
     * Gives a value back. Releasing a value that is free (or was never allocated) does nothing.
     *
     * @param value the value
     * @return true when the value was allocated and is now free
     */
    boolean release(T value);

    /**
     * @param value a value
     * @return true when the value is in this pool's ranges
     */
    boolean contains(T value);

    /**
     * @param value a value
     * @return true when the value is currently allocated
     */
    boolean isAllocated(T value);

    /** @return how many values the pool holds in all */
    long capacity();

    /** @return how many values are free now */
    long available();

    /** @return a short human name for messages ("MAC pool 02:00:00:00:00:00-02:00:00:ff:ff:ff") */
    String name();

    /**
     * Tells whether the pool's allocation state is shared by every management node of the fabric (kept in the
     * state store), so that a value another node took or gave back is already taken or free here. A fabric keeps a
     * pool that is not shared in step with what the other nodes record.
     *
     * @return true for a pool shared through the store; false (the default) for a pool in this process
     */
    default boolean isShared() {
        return false;
    }

    /**
     * Takes a free value and records it in the same state store transaction as the caller's own steps, so that a
     * pool kept in the store costs no round trip of its own. The pool chooses a value and the store steps that mark
     * it taken, and calls {@code transaction}, which must commit those steps together with its own (for example
     * with {@link dev.iov.api.store.StateStore#commit}): the value is taken if and only if that commit succeeds.
     * When the commit conflicts on one of the pool's steps (another node took a value meanwhile), the pool chooses
     * again and calls {@code transaction} again; any other failure is passed on with nothing taken.
     *
     * <p>The default, for pools that keep their state in this process, allocates first, passes no steps, and gives
     * the value back when {@code transaction} fails, except with a {@link StoreOutcomeUnknownException}: the
     * transaction may hold the value, which stays taken.
     *
     * @param transaction given the value and the pool's steps, commits them with its own and returns its result
     * @param <R> the transaction's result
     * @return what {@code transaction} returned
     * @throws PoolExhaustedException when no value is free
     */
    default <R> R allocateWith(BiFunction<T, List<StoreOp>, R> transaction) {
        T value = allocate();
        try {
            return transaction.apply(value, List.of());
        } catch (StoreOutcomeUnknownException e) {
            // The transaction may hold the value: it stays taken until the caller learns what was written.
            throw e;
        } catch (RuntimeException | Error e) {
            release(value);
            throw e;
        }
    }
}
