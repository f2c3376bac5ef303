package dev.iov.api.pool;

import dev.iov.api.net.Guid;
import java.util.List;

/**
 * A pool of InfiniBand port/node GUIDs, e.g. for SR-IOV virtual functions.
 *
 * <p>The zero GUID is never handed out, even when a range includes it: to the HCA and the subnet manager zero means
 * "no GUID assigned", and a VF given it would silently keep whatever GUID the firmware chose. Ranges are in unsigned
 * order ({@code 0x8000...} is above {@code 0x7fff...}), like {@link Guid#compareTo}. A pool holds at most
 * {@link Long#MAX_VALUE} GUIDs.
 */
public final class GuidPool extends MappedPool<Guid> {

    /** First GUID of {@link #defaultPool()}: {@code 0269:6f00:0000:0000}. */
    public static final Guid DEFAULT_FIRST = Guid.of(0x0269_6f00_0000_0000L);
    /** Last GUID of {@link #defaultPool()}: {@code 0269:6fff:ffff:ffff}. */
    public static final Guid DEFAULT_LAST = Guid.of(0x0269_6fff_ffff_ffffL);

    private GuidPool(LongRangePool core) {
        super(core);
    }

    /**
     * Returns a new pool of {@code 0269:6f00:0000:0000} to {@code 0269:6fff:ffff:ffff} (2<sup>40</sup> GUIDs): the
     * same {@code 02} (locally administered in EUI-64 terms) + "io" prefix as {@link MacPool#defaultPool()}, so iov's
     * GUIDs stand out in {@code ibstat} and OpenSM logs.
     *
     * @return a new default pool, all GUIDs free
     */
    public static GuidPool defaultPool() {
        return ofRange(DEFAULT_FIRST, DEFAULT_LAST);
    }

    /**
     * Returns a pool of the GUIDs from {@code first} to {@code last} in unsigned order, without the zero GUID.
     *
     * @param first the lowest GUID
     * @param last the highest GUID, not below {@code first}
     * @return a new pool, all GUIDs free
     * @throws IllegalArgumentException when {@code last} is below {@code first}, the range holds only the zero GUID,
     *     or it holds more than {@link Long#MAX_VALUE} GUIDs
     */
    public static GuidPool ofRange(Guid first, Guid last) {
        String input = first + "-" + last;
        if (last.compareTo(first) < 0) {
            throw new IllegalArgumentException("invalid GUID pool range '" + input + "': last is below first");
        }
        List<LongRange> ranges = LongRange.of(toKey(first), toKey(last)).without(toKey(Guid.ZERO));
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("invalid GUID pool range '" + input
                    + "': it holds only the zero GUID, which is never handed out");
        }
        return new GuidPool(LongRangePool.create("GUID pool", ranges, key -> fromKey(key).toString()));
    }

    /** Flips the sign bit so that signed order of keys is unsigned order of GUIDs. */
    private static long toKey(Guid guid) {
        return guid.toLong() ^ Long.MIN_VALUE;
    }

    private static Guid fromKey(long key) {
        return Guid.of(key ^ Long.MIN_VALUE);
    }

    @Override
    long key(Guid value) {
        return toKey(value);
    }

    @Override
    Guid value(long key) {
        return fromKey(key);
    }
}
