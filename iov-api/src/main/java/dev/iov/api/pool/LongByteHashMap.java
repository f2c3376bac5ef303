package dev.iov.api.pool;

/**
 * Open-addressing hash map from {@code long} to a non-zero {@code byte}, with linear probing and backward-shift
 * deletion (no tombstones, so probe chains never degrade after many removals).
 *
 * <p>Keys and values sit in two parallel primitive arrays; a value of 0 marks an empty slot, so every {@code long},
 * including 0, can be a key. Nothing is boxed. Load factor is at most 1/2, which keeps linear probes short even for
 * the sequential keys pools produce; Fibonacci hashing spreads those sequential keys over the table. Not thread-safe.
 */
final class LongByteHashMap {

    private static final int MIN_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 30;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private long[] keys;
    private byte[] values;
    private int mask;
    private int shift;
    private int size;

    LongByteHashMap() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new byte[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int home(long key) {
        return (int) ((key * GOLDEN) >>> shift);
    }

    /** Returns the value for {@code key}, or 0 when absent. */
    byte get(long key) {
        for (int i = home(key); values[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return 0;
    }

    /** Maps {@code key} to {@code value}, which must not be 0. */
    void put(long key, byte value) {
        if (value == 0) {
            throw new IllegalArgumentException("0 marks an empty slot and cannot be stored");
        }
        int i = home(key);
        while (values[i] != 0) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
        if (size > (mask + 1) >>> 1) {
            grow();
        }
    }

    /** Removes {@code key}; returns true when it was present. */
    boolean remove(long key) {
        int hole = home(key);
        while (values[hole] != 0 && keys[hole] != key) {
            hole = (hole + 1) & mask;
        }
        if (values[hole] == 0) {
            return false;
        }
        // Pull later entries of the probe chain back into the hole unless that would put one before its home slot.
        for (int j = (hole + 1) & mask; values[j] != 0; j = (j + 1) & mask) {
            int probeLength = (j - home(keys[j])) & mask;
            if (probeLength >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = 0;
        size--;
        return true;
    }

    int size() {
        return size;
    }

    private void grow() {
        if (keys.length == MAX_CAPACITY) {
            throw new IllegalStateException("hash map is full at " + size + " entries");
        }
        long[] oldKeys = keys;
        byte[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != 0) {
                int j = home(oldKeys[i]);
                while (values[j] != 0) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
            }
        }
    }
}
