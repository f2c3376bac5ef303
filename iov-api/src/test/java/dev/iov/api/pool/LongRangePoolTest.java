package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LongRangePoolTest {

    private static LongRangePool pool() {
        return LongRangePool.create("test pool", List.of(LongRange.of(20, 21), LongRange.of(10, 12)));
    }

    @Test
    void namesItselfWithSortedRanges() {
        LongRangePool pool = pool();
        assertThat(pool.name()).isEqualTo("test pool 10-12,20-21");
        assertThat(pool).hasToString("test pool 10-12,20-21");
        assertThat(pool.ranges()).containsExactly(LongRange.of(10, 12), LongRange.of(20, 21));
        assertThat(pool.capacity()).isEqualTo(5);
        assertThat(LongRangePool.create("one", List.of(LongRange.of(7, 7))).name()).isEqualTo("one 7");
    }

    @Test
    void handsOutNeverUsedValuesInOrderAcrossRanges() {
        LongRangePool pool = pool();
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(pool.allocateLong());
        }
        assertThat(got).containsExactly(10L, 11L, 12L, 20L, 21L);
        assertThat(pool.available()).isZero();
        assertThat(pool.allocatedCount()).isEqualTo(5);
    }

    @Test
    void reusesReleasedValuesLastInFirstOut() {
        LongRangePool pool = pool();
        pool.allocateLong();
        pool.allocateLong();
        pool.allocateLong();
        assertThat(pool.releaseLong(10)).isTrue();
        assertThat(pool.releaseLong(12)).isTrue();
        assertThat(pool.allocateLong()).isEqualTo(12);
        assertThat(pool.allocateLong()).isEqualTo(10);
        assertThat(pool.allocateLong()).isEqualTo(20);
    }

    @Test
    void cursorSkipsValuesReservedAheadOfIt() {
        LongRangePool pool = pool();
        pool.reserveLong(11);
        pool.reserveLong(20);
        assertThat(pool.allocateLong()).isEqualTo(10);
        assertThat(pool.allocateLong()).isEqualTo(12);
        assertThat(pool.allocateLong()).isEqualTo(21);
        assertThatThrownBy(pool::allocateLong).isExactlyInstanceOf(PoolExhaustedException.class);
    }

    @Test
    void reservingAValueWaitingInTheFreeStackTakesItOutOfCirculation() {
        LongRangePool pool = pool();
        assertThat(pool.allocateLong()).isEqualTo(10);
        assertThat(pool.allocateLong()).isEqualTo(11);
        pool.releaseLong(10);
        pool.reserveLong(10);
        assertThat(pool.allocateLong()).isEqualTo(12);
        assertThat(pool.isAllocatedLong(10)).isTrue();
        // Released again after the reserve: exactly one stack entry must serve it, not two.
        pool.releaseLong(10);
        assertThat(pool.allocateLong()).isEqualTo(10);
        assertThat(pool.allocateLong()).isEqualTo(20);
        assertThat(pool.allocateLong()).isEqualTo(21);
        assertThatThrownBy(pool::allocateLong).isExactlyInstanceOf(PoolExhaustedException.class);
    }

    @Test
    void refusesToReserveOutsideTheRangesNamingValueAndRanges() {
        assertThatThrownBy(() -> pool().reserveLong(15)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("15 is outside test pool 10-12,20-21");
    }

    @Test
    void refusesToReserveAnAllocatedValue() {
        LongRangePool pool = pool();
        pool.reserveLong(12);
        assertThatThrownBy(() -> pool.reserveLong(12)).isExactlyInstanceOf(AddressInUseException.class)
                .hasMessage("12 is already allocated in test pool 10-12,20-21");
        assertThat(pool.allocatedCount()).isEqualTo(1);
    }

    @Test
    void reportsExhaustionWithNameAndCapacity() {
        LongRangePool pool = LongRangePool.create("tiny", List.of(LongRange.of(1, 2)));
        pool.allocateLong();
        pool.allocateLong();
        assertThatThrownBy(pool::allocateLong).isExactlyInstanceOf(PoolExhaustedException.class)
                .hasMessage("tiny 1-2 is exhausted: all 2 values are allocated");
    }

    @Test
    void releaseIsIdempotentAndIgnoresForeignValues() {
        LongRangePool pool = pool();
        long value = pool.allocateLong();
        assertThat(pool.releaseLong(value)).isTrue();
        assertThat(pool.releaseLong(value)).isFalse();
        assertThat(pool.releaseLong(11)).isFalse();
        assertThat(pool.releaseLong(99)).isFalse();
        assertThat(pool.available()).isEqualTo(5);
    }

    @Test
    void refusesBadRangeSets() {
        assertThatThrownBy(() -> LongRangePool.create("p", List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one range");
        assertThatThrownBy(() -> LongRangePool.create("p", List.of(LongRange.of(5, 10), LongRange.of(10, 12))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ranges 5-10 and 10-12 overlap");
        assertThatThrownBy(() -> LongRangePool.create("p", List.of(LongRange.of(Long.MIN_VALUE, Long.MAX_VALUE))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> LongRangePool.create("p",
                List.of(LongRange.of(0, Long.MAX_VALUE - 1), LongRange.of(-2, -1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than");
        assertThat(LongRangePool.create("p", List.of(LongRange.of(0, Long.MAX_VALUE - 1))).capacity())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void hugeRangesCostNothingUntilUsed() {
        // 2^40 values: a bitmap would need 128 GiB; the pool must not even notice.
        LongRangePool pool = LongRangePool.create("huge", List.of(LongRange.of(1L << 40, (1L << 41) - 1)));
        assertThat(pool.capacity()).isEqualTo(1L << 40);
        pool.reserveLong((1L << 41) - 1);
        for (int i = 0; i < 100_000; i++) {
            assertThat(pool.allocateLong()).isEqualTo((1L << 40) + i);
        }
        assertThat(pool.available()).isEqualTo((1L << 40) - 100_001);
    }

    @Test
    void aRangeEndingAtLongMaxDoesNotWrap() {
        LongRangePool pool = LongRangePool.create("top", List.of(LongRange.of(Long.MAX_VALUE - 1, Long.MAX_VALUE)));
        assertThat(pool.allocateLong()).isEqualTo(Long.MAX_VALUE - 1);
        assertThat(pool.allocateLong()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(pool::allocateLong).isExactlyInstanceOf(PoolExhaustedException.class);
        assertThat(pool.containsLong(Long.MIN_VALUE)).isFalse();
    }
}
