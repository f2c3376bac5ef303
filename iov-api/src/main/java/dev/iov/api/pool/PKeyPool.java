package dev.iov.api.pool;

import dev.iov.api.net.PKey;
import java.util.List;

/**
 * A pool of InfiniBand partitions for tenant networks.
 *
 * <p>The pool's values are partition numbers (the low 15 bits of a P_Key): {@link #allocate()} hands out the
 * full-membership key of a free partition, and the other methods ignore the membership bit, so reserving
 * {@code 0x0012} or {@code 0x8012} takes the same partition. The default partition {@code 0x7fff} is never handed out,
 * since every port is already a member of it. Names and messages show partition numbers as {@code 0x%04x}.
 */
public final class PKeyPool extends MappedPool<PKey> {

    private static final int DEFAULT_PARTITION = 0x7fff;
    private static final int FULL_BIT = 0x8000;

    private PKeyPool(LongRangePool core) {
        super(core);
    }

    /**
     * Returns a new pool of partitions {@code 0x0001} to {@code 0x7ffe}.
     *
     * @return a new pool, all partitions free
     */
    public static PKeyPool defaultPool() {
        return ofPartitions(1, DEFAULT_PARTITION - 1);
    }

    /**
     * Returns a new pool of the partitions from {@code first} to {@code last}, without the default partition
     * {@code 0x7fff}.
     *
     * @param first the lowest partition number, 1 to 0x7fff
     * @param last the highest partition number, {@code first} to 0x7fff
     * @return a new pool, all partitions free
     * @throws IllegalArgumentException when a bound is out of range, {@code last} is below {@code first}, or the range
     *     holds only the default partition
     */
    public static PKeyPool ofPartitions(int first, int last) {
        String input = String.format("0x%04x-0x%04x", first, last);
        if (first < 1 || last > DEFAULT_PARTITION || last < first) {
            throw new IllegalArgumentException("invalid P_Key pool range '" + input
                    + "': partitions must satisfy 0x0001 <= first <= last <= 0x7fff");
        }
        List<LongRange> ranges = LongRange.of(first, last).without(DEFAULT_PARTITION);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("invalid P_Key pool range '" + input
                    + "': it holds only the default partition 0x7fff, which is never handed out");
        }
        return new PKeyPool(LongRangePool.create("P_Key pool", ranges, key -> String.format("0x%04x", key)));
    }

    /**
     * Takes a free partition.
     *
     * @return the full-membership P_Key of a partition that is now allocated
     * @throws PoolExhaustedException when no partition is free
     */
    @Override
    public PKey allocate() {
        return super.allocate();
    }

    @Override
    long key(PKey value) {
        return value.partition();
    }

    @Override
    PKey value(long key) {
        return PKey.of((int) key | FULL_BIT);
    }
}
