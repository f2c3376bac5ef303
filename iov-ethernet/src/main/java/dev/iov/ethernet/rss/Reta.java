package dev.iov.ethernet.rss;

import java.util.Arrays;

/**
 * An RSS redirection table (RETA): maps the low bits of a {@link ToeplitzHash} to a receive queue, as a NIC does.
 * {@code queue(hash) = entries[hash & (size - 1)]}. NICs have 128 (most 1/10 GbE NICs and VFs) or 512 (e.g. Intel
 * 700-series PFs) entries; any power of two up to {@value #MAX_SIZE} is accepted. A new table is filled
 * {@code entries[i] = i % queues}, the default of Linux drivers and DPDK; {@link #set} changes single entries (to
 * weight or drain a queue).
 *
 * <p>Not thread-safe: a multi-queue port reads it on its data-plane thread; change it there too, or build a new
 * table and publish it safely.
 */
public final class Reta {

    /** The usual RETA size, and the default. */
    public static final int DEFAULT_SIZE = 128;

    /** The largest accepted size. */
    public static final int MAX_SIZE = 65536;

    private final int[] entries;
    private final int mask;
    private final int queues;

    private Reta(int size, int queues) {
        if (size < 1 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException(
                    "RETA size " + size + " must be a power of two from 1 to " + MAX_SIZE + " (NICs use 128 or 512)");
        }
        if (queues < 1 || queues > size) {
            throw new IllegalArgumentException("RETA queue count " + queues + " must be from 1 to the size " + size);
        }
        this.entries = new int[size];
        this.mask = size - 1;
        this.queues = queues;
        for (int i = 0; i < size; i++) {
            entries[i] = i % queues;
        }
    }

    /**
     * A table filled {@code i % queues}.
     *
     * @param size number of entries, a power of two (128 or 512 on NICs)
     * @param queues number of receive queues, from 1 to {@code size}
     * @return the table
     * @throws IllegalArgumentException naming the size or queue count when it is out of range
     */
    public static Reta of(int size, int queues) {
        return new Reta(size, queues);
    }

    /**
     * A table of {@value #DEFAULT_SIZE} entries filled {@code i % queues}.
     *
     * @param queues number of receive queues, from 1 to {@value #DEFAULT_SIZE}
     * @return the table
     * @throws IllegalArgumentException naming the queue count when it is out of range
     */
    public static Reta of(int queues) {
        return new Reta(DEFAULT_SIZE, queues);
    }

    /**
     * The queue for a hash; the per-frame path, one AND and one load.
     *
     * @param hash a Toeplitz hash
     * @return the queue of entry {@code hash & (size - 1)}
     */
    public int queue(int hash) {
        return entries[hash & mask];
    }

    /**
     * The entry a hash selects.
     *
     * @param hash a Toeplitz hash
     * @return {@code hash & (size - 1)}
     */
    public int index(int hash) {
        return hash & mask;
    }

    /**
     * Points one entry at a queue.
     *
     * @param index the entry, from 0 to {@code size - 1}
     * @param queue the queue, from 0 to {@code queues - 1}
     * @throws IllegalArgumentException naming the index or queue when it is out of range
     */
    public void set(int index, int queue) {
        if (index < 0 || index >= entries.length) {
            throw new IllegalArgumentException("RETA index " + index + " is outside 0.." + mask);
        }
        if (queue < 0 || queue >= queues) {
            throw new IllegalArgumentException("RETA queue " + queue + " is outside 0.." + (queues - 1));
        }
        entries[index] = queue;
    }

    /**
     * One entry.
     *
     * @param index the entry, from 0 to {@code size - 1}
     * @return its queue
     * @throws IndexOutOfBoundsException when {@code index} is out of range
     */
    public int entry(int index) {
        return entries[index];
    }

    /**
     * The number of entries.
     *
     * @return a power of two
     */
    public int size() {
        return entries.length;
    }

    /**
     * The number of receive queues the entries may name.
     *
     * @return at least 1
     */
    public int queues() {
        return queues;
    }

    /** @return the size, queue count and entries, e.g. {@code Reta[size=128, queues=4, 0 1 2 3 0 …]} */
    @Override
    public String toString() {
        return "Reta[size=" + entries.length + ", queues=" + queues + ", " + Arrays.toString(entries) + "]";
    }
}
