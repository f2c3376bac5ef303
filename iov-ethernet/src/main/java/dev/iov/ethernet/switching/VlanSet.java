package dev.iov.ethernet.switching;

import dev.iov.api.net.VlanId;
import java.util.Arrays;

/**
 * An immutable set of VLAN IDs 0 to 4094 as a 4096-bit bitmap ({@code long[64]}), so membership is one shift and one
 * mask. VID 0 is allowed because an OVS trunk carries untagged traffic as VLAN 0; 4095 is reserved and refused.
 */
public final class VlanSet {
    /** The number of bits: one per 12-bit VID. */
    public static final int BITS = 4096;
    /** The number of {@code long} words in the bitmap. */
    public static final int WORDS = BITS / 64;
    /** The highest VID a set may hold (4095 is reserved). */
    public static final int MAX_VID = 4094;

    private static final VlanSet EMPTY = new VlanSet(new long[WORDS]);
    private static final VlanSet ALL = range(0, MAX_VID);

    private final long[] words;

    private VlanSet(long[] words) {
        this.words = words;
    }

    /** @return the empty set */
    public static VlanSet none() {
        return EMPTY;
    }

    /** @return every VID 0 to 4094 (what an OVS trunk with an empty {@code trunks} column carries) */
    public static VlanSet all() {
        return ALL;
    }

    /**
     * @param vids VIDs 0 to 4094
     * @return the set of them
     * @throws IllegalArgumentException naming the first VID out of range
     */
    public static VlanSet of(int... vids) {
        long[] w = new long[WORDS];
        for (int vid : vids) {
            set(w, check(vid));
        }
        return new VlanSet(w);
    }

    /**
     * @param ids VLAN IDs
     * @return the set of them
     */
    public static VlanSet of(VlanId... ids) {
        long[] w = new long[WORDS];
        for (VlanId id : ids) {
            set(w, id.value());
        }
        return new VlanSet(w);
    }

    /**
     * @param from the first VID, 0 to 4094
     * @param to the last VID, inclusive, {@code from} to 4094
     * @return the set of VIDs from {@code from} to {@code to}
     * @throws IllegalArgumentException when a bound is out of range or {@code to < from}
     */
    public static VlanSet range(int from, int to) {
        check(from);
        check(to);
        if (to < from) {
            throw new IllegalArgumentException("VLAN range " + from + "-" + to + " is empty");
        }
        long[] w = new long[WORDS];
        for (int v = from; v <= to; v++) {
            set(w, v);
        }
        return new VlanSet(w);
    }

    /**
     * @param vid a VID 0 to 4094
     * @return this set with {@code vid} added
     */
    public VlanSet with(int vid) {
        long[] w = words.clone();
        set(w, check(vid));
        return new VlanSet(w);
    }

    /**
     * @param vid a VID 0 to 4094
     * @return this set without {@code vid}
     */
    public VlanSet without(int vid) {
        long[] w = words.clone();
        w[check(vid) >>> 6] &= ~(1L << vid);
        return new VlanSet(w);
    }

    /**
     * @param other another set
     * @return the union of both
     */
    public VlanSet union(VlanSet other) {
        long[] w = words.clone();
        for (int i = 0; i < WORDS; i++) {
            w[i] |= other.words[i];
        }
        return new VlanSet(w);
    }

    /**
     * @param vid any int; values outside 0 to 4095 are never members
     * @return true when the set holds {@code vid}
     */
    public boolean contains(int vid) {
        return (vid & ~0xfff) == 0 && (words[vid >>> 6] & (1L << vid)) != 0;
    }

    /** @return how many VIDs the set holds */
    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** @return true when the set holds no VID */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Copies the bitmap into a switch's flat per-port table.
     *
     * @param dst the destination array
     * @param at where word 0 goes
     */
    void copyTo(long[] dst, int at) {
        System.arraycopy(words, 0, dst, at, WORDS);
    }

    private static int check(int vid) {
        if (vid < 0 || vid > MAX_VID) {
            throw new IllegalArgumentException("VLAN ID " + vid + " is out of range 0-" + MAX_VID);
        }
        return vid;
    }

    private static void set(long[] w, int vid) {
        w[vid >>> 6] |= 1L << vid;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VlanSet && Arrays.equals(words, ((VlanSet) o).words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    /** @return the VIDs as ranges, e.g. {@code [0-4094]} or {@code [10,20-22]} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        int v = 0;
        while (v <= MAX_VID) {
            if (!contains(v)) {
                v++;
                continue;
            }
            int end = v;
            while (end + 1 <= MAX_VID && contains(end + 1)) {
                end++;
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(v);
            if (end > v) {
                sb.append('-').append(end);
            }
            v = end + 1;
        }
        return sb.append(']').toString();
    }
}
