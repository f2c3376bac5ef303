package dev.iov.ethernet.switching;

import dev.iov.api.net.MacAddress;
import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable small set of 48-bit MAC addresses for port security, held as a sorted {@code long[]}: a vNIC has one
 * or a few addresses, so a binary search over a handful of words in one cache line beats any hash set, and
 * {@link #contains} neither boxes nor allocates.
 */
public final class MacSet {
    /** The most addresses a set may hold. */
    public static final int MAX_SIZE = 256;

    private static final MacSet EMPTY = new MacSet(new long[0]);

    private final long[] macs;

    private MacSet(long[] macs) {
        this.macs = macs;
    }

    /** @return the empty set */
    public static MacSet empty() {
        return EMPTY;
    }

    /**
     * @param macs the addresses
     * @return the set of them
     * @throws IllegalArgumentException when there are more than {@value #MAX_SIZE}
     */
    public static MacSet of(Collection<MacAddress> macs) {
        long[] v = new long[macs.size()];
        int i = 0;
        for (MacAddress m : macs) {
            v[i++] = m.toLong();
        }
        return ofLongs(v);
    }

    /**
     * @param macs the addresses
     * @return the set of them
     */
    public static MacSet of(MacAddress... macs) {
        return of(Arrays.asList(macs));
    }

    private static MacSet ofLongs(long[] v) {
        long[] sorted = Arrays.stream(v).sorted().distinct().toArray();
        if (sorted.length > MAX_SIZE) {
            throw new IllegalArgumentException(sorted.length + " MAC addresses exceed the limit of " + MAX_SIZE);
        }
        return sorted.length == 0 ? EMPTY : new MacSet(sorted);
    }

    /**
     * @param mac a 48-bit MAC as {@link MacAddress#toLong()}
     * @return true when the set holds it
     */
    public boolean contains(long mac) {
        return Arrays.binarySearch(macs, mac) >= 0;
    }

    /** @return how many addresses the set holds */
    public int size() {
        return macs.length;
    }

    /** @return true when the set holds no address */
    public boolean isEmpty() {
        return macs.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacSet && Arrays.equals(macs, ((MacSet) o).macs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(macs);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < macs.length; i++) {
            sb.append(i == 0 ? "" : ",").append(MacAddress.of(macs[i]));
        }
        return sb.append(']').toString();
    }
}
