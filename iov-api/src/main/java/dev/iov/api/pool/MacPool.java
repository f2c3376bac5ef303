package dev.iov.api.pool;

import dev.iov.api.net.MacAddress;
import java.util.List;

/**
 * A pool of locally administered unicast MAC addresses for vNICs.
 *
 * <p>Only such addresses may be invented by software: a universally administered address belongs to a vendor's OUI
 * and could clash with real hardware, and a multicast address cannot be a NIC's source address. Both bits live in the
 * first octet, and consecutive first octets alternate between allowed and forbidden ({@code 02} is fine, {@code 03}
 * is multicast), so a valid range is exactly one whose first and last address share a first octet with the
 * multicast bit clear and the locally-administered bit set.
 */
public final class MacPool extends MappedPool<MacAddress> {

    /** First address of {@link #defaultPool()}: {@code 02:69:6f:00:00:00}. */
    public static final MacAddress DEFAULT_FIRST = MacAddress.of(0x02_69_6f_00_00_00L);
    /** Last address of {@link #defaultPool()}: {@code 02:69:6f:ff:ff:ff}. */
    public static final MacAddress DEFAULT_LAST = MacAddress.of(0x02_69_6f_ff_ff_ffL);

    private MacPool(LongRangePool core) {
        super(core);
    }

    /**
     * Returns a new pool of {@code 02:69:6f:00:00:00} to {@code 02:69:6f:ff:ff:ff}: 2<sup>24</sup> addresses behind
     * the prefix {@code 02} (locally administered, unicast) + {@code 69:6f} ("io" in ASCII), which makes iov's
     * addresses easy to recognise in a capture or a switch's MAC table.
     *
     * @return a new default pool, all addresses free
     */
    public static MacPool defaultPool() {
        return ofRange(DEFAULT_FIRST, DEFAULT_LAST);
    }

    /**
     * Returns a pool of every address that starts with the given prefix, e.g. {@code 02:00:00:00:00:00/24} holds
     * {@code 02:00:00:00:00:00} to {@code 02:00:00:ff:ff:ff}.
     *
     * @param prefix the prefix, with every bit after the first {@code prefixBits} clear
     * @param prefixBits how many leading bits are fixed, 8 to 48
     * @return a new pool, all addresses free
     * @throws IllegalArgumentException when {@code prefixBits} is out of range, the prefix has bits set after the
     *     first {@code prefixBits}, or the addresses are not locally administered unicast
     */
    public static MacPool withPrefix(MacAddress prefix, int prefixBits) {
        String input = prefix + "/" + prefixBits;
        if (prefixBits < 8 || prefixBits > 48) {
            throw new IllegalArgumentException("invalid MAC prefix '" + input + "': prefix length must be 8-48, "
                    + "so that the first octet (multicast and locally-administered bits) is fixed");
        }
        long hostMask = (1L << (48 - prefixBits)) - 1;
        if ((prefix.toLong() & hostMask) != 0) {
            throw new IllegalArgumentException("invalid MAC prefix '" + input + "': bits are set after the first "
                    + prefixBits + " bits");
        }
        return create(input, prefix.toLong(), prefix.toLong() | hostMask);
    }

    /**
     * Returns a pool of the addresses from {@code first} to {@code last}.
     *
     * @param first the lowest address
     * @param last the highest address, not below {@code first}
     * @return a new pool, all addresses free
     * @throws IllegalArgumentException when {@code last} is below {@code first} or the range includes a multicast or
     *     universally administered address
     */
    public static MacPool ofRange(MacAddress first, MacAddress last) {
        String input = first + "-" + last;
        if (last.compareTo(first) < 0) {
            throw new IllegalArgumentException("invalid MAC pool range '" + input + "': last is below first");
        }
        return create(input, first.toLong(), last.toLong());
    }

    private static MacPool create(String input, long first, long last) {
        MacAddress bad = firstForbidden(first, last);
        if (bad != null) {
            String why = bad.isMulticast() ? "multicast" : "universally administered";
            throw new IllegalArgumentException("invalid MAC pool range '" + input + "': it includes " + bad + ", which"
                    + " is " + why + "; vNIC addresses must be locally administered unicast (first octet x2, x6, xa"
                    + " or xe)");
        }
        return new MacPool(LongRangePool.create("MAC pool", List.of(LongRange.of(first, last)),
                value -> MacAddress.of(value).toString()));
    }

    /** Returns the lowest address in the range that is multicast or universally administered, or null. */
    private static MacAddress firstForbidden(long first, long last) {
        MacAddress low = MacAddress.of(first);
        if (low.isMulticast() || !low.isLocallyAdministered()) {
            return low;
        }
        // low's first octet ends in binary 10, so the next first octet ends in 11: multicast.
        long nextOctet = ((first >>> 40) + 1) << 40;
        return last >= nextOctet ? MacAddress.of(nextOctet) : null;
    }

    @Override
    long key(MacAddress value) {
        return value.toLong();
    }

    @Override
    MacAddress value(long key) {
        return MacAddress.of(key);
    }
}
