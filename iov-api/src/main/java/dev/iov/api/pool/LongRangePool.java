package dev.iov.api.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.LongFunction;

/**
 * The allocator behind every typed pool: hands out primitive {@code long}s from one or more inclusive ranges.
 *
 * <p><b>Design.</b> Ranges may hold 2<sup>40</sup> values, so nothing here is sized by capacity; memory grows only
 * with the values actually touched. Three structures, all primitive (no boxing on any path):
 * <ul>
 *   <li>a <em>state map</em> ({@link LongByteHashMap}, open addressing) holding one byte per value ever allocated
 *       or reserved: allocated, free-and-stacked, or allocated-with-a-stale-stack-entry. Absent means untouched, so
 *       free;</li>
 *   <li>a <em>cursor</em> (range index + next value) that walks the ranges in order and hands out untouched values,
 *       skipping any value already in the map (reserved ahead of it, or reserved and released since);</li>
 *   <li>a LIFO <em>free stack</em> ({@code long[]}, doubling) of released values, reused before the cursor moves
 *       on, so a busy pool keeps cycling a small hot set instead of touching new values.</li>
 * </ul>
 * The third state exists because {@link #reserveLong} may take a value that sits in the free stack; instead of an
 * O(n) search the stack entry is left in place and dropped when popped. Only a release from plain "allocated"
 * pushes, so no value is ever in the stack twice and the stack never outgrows the map. Each stale entry dropped and
 * each value the cursor skips pays for one earlier reserve, so allocate and release are amortised O(1) (one or two
 * hash probes and an array push/pop), though one call may skip many entries after many reserves. Memory is 18-36
 * bytes per touched value in the map (9-byte slots, load 1/4 to 1/2) plus at most 16 in the stack, never anything
 * per value of capacity. A bitmap would be smaller for dense small pools but cannot serve 2<sup>40</sup>-value
 * ranges, and one design is easier to trust than two.
 *
 * <p><b>Threads.</b> Every operation that reads or changes allocation state holds one private monitor. Pools are
 * used at provisioning rate (one allocation per vNIC), not per packet, so a lock costs nothing measurable and keeps
 * the invariants obvious; the sections it guards are a few array accesses long.
 */
public final class LongRangePool {

    private static final byte ALLOCATED = 1;
    private static final byte FREE_STACKED = 2;
    private static final byte ALLOCATED_STACKED = 3;

    private final String name;
    private final LongFunction<String> format;
    private final long[] firsts;
    private final long[] lasts;
    private final long capacity;

    private final Object lock = new Object();
    private final LongByteHashMap states = new LongByteHashMap();
    private final LongStack freed = new LongStack();
    /** Index of the range the cursor is in; {@code firsts.length} once every value has been handed out once. */
    private int cursorRange;
    private long cursorNext;
    private long allocated;

    private LongRangePool(String name, LongFunction<String> format, long[] firsts, long[] lasts, long capacity) {
        this.name = name;
        this.format = format;
        this.firsts = firsts;
        this.lasts = lasts;
        this.capacity = capacity;
        this.cursorNext = firsts[0];
    }

    /**
     * Creates a pool whose values print as decimal numbers.
     *
     * @param kind what the pool holds, the start of its {@link #name()} (e.g. {@code "slot pool"})
     * @param ranges one or more ranges, in any order, not overlapping
     * @return the pool, all values free
     * @throws IllegalArgumentException when there are no ranges, two overlap, or they hold more than
     *     {@link Long#MAX_VALUE} values together
     */
    public static LongRangePool create(String kind, List<LongRange> ranges) {
        return create(kind, ranges, Long::toString);
    }

    /**
     * Creates a pool.
     *
     * @param kind what the pool holds, the start of its {@link #name()} (e.g. {@code "MAC pool"})
     * @param ranges one or more ranges, in any order, not overlapping
     * @param format turns a value into the text used in the name and in exception messages
     * @return the pool, all values free
     * @throws IllegalArgumentException when there are no ranges, two overlap, or they hold more than
     *     {@link Long#MAX_VALUE} values together
     */
    public static LongRangePool create(String kind, List<LongRange> ranges, LongFunction<String> format) {
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException(kind + " needs at least one range");
        }
        List<LongRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(LongRange::first));
        long[] firsts = new long[sorted.size()];
        long[] lasts = new long[sorted.size()];
        long capacity = 0;
        StringJoiner text = new StringJoiner(",", kind + " ", "");
        for (int i = 0; i < sorted.size(); i++) {
            LongRange range = sorted.get(i);
            if (i > 0 && range.first() <= lasts[i - 1]) {
                throw new IllegalArgumentException(kind + ": ranges " + describe(sorted.get(i - 1), format) + " and "
                        + describe(range, format) + " overlap");
            }
            firsts[i] = range.first();
            lasts[i] = range.last();
            // last - first wraps for spans of 2^63 or more; such a span is too big either way.
            long size = range.last() - range.first() + 1;
            if (size <= 0 || capacity > Long.MAX_VALUE - size) {
                throw new IllegalArgumentException(kind + ": ranges hold more than " + Long.MAX_VALUE + " values");
            }
            capacity += size;
            text.add(describe(range, format));
        }
        return new LongRangePool(text.toString(), format, firsts, lasts, capacity);
    }

    private static String describe(LongRange range, LongFunction<String> format) {
        return range.first() == range.last()
                ? format.apply(range.first())
                : format.apply(range.first()) + "-" + format.apply(range.last());
    }

    /**
     * Takes a free value: the most recently released one if any, else the next never-used one.
     *
     * @return a value that is now allocated
     * @throws PoolExhaustedException when every value is allocated
     */
    public long allocateLong() {
        synchronized (lock) {
            if (allocated == capacity) {
                throw new PoolExhaustedException(name, capacity);
            }
            while (!freed.isEmpty()) {
                long value = freed.pop();
                byte state = states.get(value);
                states.put(value, ALLOCATED);
                if (state == FREE_STACKED) {
                    allocated++;
                    return value;
                }
                // ALLOCATED_STACKED: reserved while it sat in the stack; the entry was stale and is now gone.
            }
            while (cursorRange < firsts.length) {
                long value = cursorNext;
                advanceCursor();
                if (states.get(value) == 0) {
                    states.put(value, ALLOCATED);
                    allocated++;
                    return value;
                }
                // Touched already (reserved ahead of the cursor): allocated, or free and waiting in the stack.
            }
            throw new IllegalStateException(name + ": " + allocated + " of " + capacity
                    + " allocated but no free value found");
        }
    }

    private void advanceCursor() {
        // Compared before incrementing so a range ending at Long.MAX_VALUE does not wrap.
        if (cursorNext == lasts[cursorRange]) {
            cursorRange++;
            if (cursorRange < firsts.length) {
                cursorNext = firsts[cursorRange];
            }
        } else {
            cursorNext++;
        }
    }

    /**
     * Takes a specific value.
     *
     * @param value the value wanted
     * @throws IllegalArgumentException when the value is outside the ranges (the message names the value and the
     *     ranges)
     * @throws AddressInUseException when the value is already allocated
     */
    public void reserveLong(long value) {
        if (rangeOf(value) < 0) {
            throw new IllegalArgumentException(format.apply(value) + " is outside " + name);
        }
        synchronized (lock) {
            byte state = states.get(value);
            if (state == 0) {
                states.put(value, ALLOCATED);
            } else if (state == FREE_STACKED) {
                states.put(value, ALLOCATED_STACKED);
            } else {
                throw new AddressInUseException(name, format.apply(value));
            }
            allocated++;
        }
    }

    /**
     * Gives a value back. Releasing a free value, or one outside the ranges, does nothing.
     *
     * @param value the value
     * @return true when the value was allocated and is now free
     */
    public boolean releaseLong(long value) {
        synchronized (lock) {
            // A value outside the ranges is never in the map, so it reads as free like any other free value.
            byte state = states.get(value);
            if (state == ALLOCATED) {
                states.put(value, FREE_STACKED);
                freed.push(value);
            } else if (state == ALLOCATED_STACKED) {
                states.put(value, FREE_STACKED);
            } else {
                return false;
            }
            allocated--;
            return true;
        }
    }

    /**
     * @param value a value
     * @return true when the value lies in one of the ranges
     */
    public boolean containsLong(long value) {
        return rangeOf(value) >= 0;
    }

    /**
     * @param value a value
     * @return true when the value is currently allocated
     */
    public boolean isAllocatedLong(long value) {
        synchronized (lock) {
            byte state = states.get(value);
            return state == ALLOCATED || state == ALLOCATED_STACKED;
        }
    }

    /** Returns the index of the range holding {@code value}, or -1. */
    private int rangeOf(long value) {
        int low = 0;
        int high = firsts.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (firsts[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return high >= 0 && value <= lasts[high] ? high : -1;
    }

    /** @return how many values the ranges hold together */
    public long capacity() {
        return capacity;
    }

    /** @return how many values are free now */
    public long available() {
        synchronized (lock) {
            return capacity - allocated;
        }
    }

    /** @return how many values are allocated now */
    public long allocatedCount() {
        synchronized (lock) {
            return allocated;
        }
    }

    /** @return the ranges, sorted by first value */
    public List<LongRange> ranges() {
        List<LongRange> ranges = new ArrayList<>(firsts.length);
        for (int i = 0; i < firsts.length; i++) {
            ranges.add(new LongRange(firsts[i], lasts[i]));
        }
        return List.copyOf(ranges);
    }

    /** @return the kind and the ranges, e.g. {@code slot pool 0-63} */
    public String name() {
        return name;
    }

    /** @return {@link #name()} */
    @Override
    public String toString() {
        return name;
    }
}
