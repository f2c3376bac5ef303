package dev.iov.api.store;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a {@link StateStore#commit transaction}: a compare-and-set put, a compare-and-set delete, or a version
 * check that writes nothing. Each step is checked as the single-key call of the same name would check it.
 */
public sealed interface StoreOp {

    /** @return the key the step concerns */
    String key();

    /** @return the version the key must have for the transaction to go through */
    long expectedVersion();

    /**
     * A compare-and-set write, as {@link StateStore#put}.
     *
     * @param key the key
     * @param value the new value; the store keeps its own copy
     * @param expectedVersion the version the caller last saw, {@link StateStore#ABSENT} or
     *     {@link StateStore#ANY_VERSION}
     */
    record Put(String key, byte[] value, long expectedVersion) implements StoreOp {
        /**
         * Checks the key and value.
         *
         * @param key the key
         * @param value the new value
         * @param expectedVersion the version the caller last saw
         * @throws IllegalArgumentException when the key or value is invalid, or the expected version is below
         *     {@link StateStore#ANY_VERSION}
         */
        public Put {
            StoreKeys.requireValidKey(key);
            StoreKeys.requireValidValue(key, value);
            if (expectedVersion < StateStore.ANY_VERSION) {
                throw new IllegalArgumentException("invalid expected version " + expectedVersion + " for put of '"
                        + key + "': use a record version, ABSENT (0) or ANY_VERSION (-1)");
            }
        }
    }

    /**
     * A compare-and-set delete, as {@link StateStore#delete}; with {@link StateStore#ANY_VERSION} deleting an absent
     * key is no step at all.
     *
     * @param key the key
     * @param expectedVersion the version the caller last saw, or {@link StateStore#ANY_VERSION}
     */
    record Delete(String key, long expectedVersion) implements StoreOp {
        /**
         * Checks the key.
         *
         * @param key the key
         * @param expectedVersion the version the caller last saw
         * @throws IllegalArgumentException when the key is invalid, or the expected version is
         *     {@link StateStore#ABSENT} or below {@link StateStore#ANY_VERSION}
         */
        public Delete {
            StoreKeys.requireValidKey(key);
            if (expectedVersion == StateStore.ABSENT || expectedVersion < StateStore.ANY_VERSION) {
                throw new IllegalArgumentException("invalid expected version " + expectedVersion + " for delete of '"
                        + key + "': use a record version or ANY_VERSION (-1)");
            }
        }
    }

    /**
     * Requires a key to be at a version without writing it: the transaction fails if another writer changed it.
     *
     * @param key the key
     * @param expectedVersion the version the key must have; {@link StateStore#ABSENT} when it must not exist
     */
    record Check(String key, long expectedVersion) implements StoreOp {
        /**
         * Checks the key.
         *
         * @param key the key
         * @param expectedVersion the version the key must have
         * @throws IllegalArgumentException when the key is invalid or the expected version negative
         */
        public Check {
            StoreKeys.requireValidKey(key);
            if (expectedVersion < StateStore.ABSENT) {
                throw new IllegalArgumentException("invalid expected version " + expectedVersion + " for check of '"
                        + key + "': use a record version or ABSENT (0)");
            }
        }
    }

    /**
     * Checks a transaction as {@link StateStore#commit} takes it.
     *
     * @param ops the steps
     * @return an immutable copy
     * @throws IllegalArgumentException when it is empty or two steps name the same key
     */
    static List<StoreOp> requireValid(List<? extends StoreOp> ops) {
        Objects.requireNonNull(ops, "ops");
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("a store transaction needs at least one step");
        }
        Set<String> keys = new HashSet<>();
        for (StoreOp op : ops) {
            Objects.requireNonNull(op, "store transaction step");
            if (!keys.add(op.key())) {
                throw new IllegalArgumentException("store transaction names key '" + op.key() + "' twice; give each "
                        + "key one step");
            }
        }
        return List.copyOf(ops);
    }
}
