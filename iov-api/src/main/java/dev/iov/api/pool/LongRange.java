package dev.iov.api.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * An inclusive range {@code [first, last]} of {@code long}s in signed order.
 *
 * @param first the lowest value in the range
 * @param last the highest value in the range, not below {@code first}
 */
public record LongRange(long first, long last) {

    /**
     * Validates the range.
     *
     * @param first the lowest value in the range
     * @param last the highest value in the range
     * @throws IllegalArgumentException when {@code last} is below {@code first}
     */
    public LongRange {
        if (last < first) {
            throw new IllegalArgumentException("invalid range '" + first + "-" + last + "': last is below first");
        }
    }

    /**
     * Returns the range.
     *
     * @param first the lowest value
     * @param last the highest value, not below {@code first}
     * @return the range
     * @throws IllegalArgumentException when {@code last} is below {@code first}
     */
    public static LongRange of(long first, long last) {
        return new LongRange(first, last);
    }

    /**
     * @param value a value
     * @return true when {@code first <= value <= last}
     */
    public boolean contains(long value) {
        return first <= value && value <= last;
    }

    /**
     * Splits out one value, e.g. the zero GUID or the default partition.
     *
     * @param value the value to leave out
     * @return this range when it does not contain {@code value}; otherwise the zero, one or two ranges of what is left
     */
    public List<LongRange> without(long value) {
        if (!contains(value)) {
            return List.of(this);
        }
        List<LongRange> left = new ArrayList<>(2);
        if (value > first) {
            left.add(new LongRange(first, value - 1));
        }
        if (value < last) {
            left.add(new LongRange(value + 1, last));
        }
        return List.copyOf(left);
    }
}
