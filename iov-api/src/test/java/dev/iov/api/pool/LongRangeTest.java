package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LongRangeTest {

    @Test
    void containsItsInclusiveBounds() {
        LongRange range = LongRange.of(10, 20);
        assertThat(range.contains(10)).isTrue();
        assertThat(range.contains(20)).isTrue();
        assertThat(range.contains(9)).isFalse();
        assertThat(range.contains(21)).isFalse();
        assertThat(LongRange.of(Long.MIN_VALUE, Long.MAX_VALUE).contains(0)).isTrue();
    }

    @Test
    void refusesLastBelowFirst() {
        assertThatThrownBy(() -> LongRange.of(5, 4)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'5-4'");
    }

    @Test
    void splitsOutOneValue() {
        assertThat(LongRange.of(0, 10).without(0)).containsExactly(LongRange.of(1, 10));
        assertThat(LongRange.of(0, 10).without(10)).containsExactly(LongRange.of(0, 9));
        assertThat(LongRange.of(0, 10).without(4)).containsExactly(LongRange.of(0, 3), LongRange.of(5, 10));
        assertThat(LongRange.of(0, 10).without(11)).containsExactly(LongRange.of(0, 10));
        assertThat(LongRange.of(7, 7).without(7)).isEmpty();
        assertThat(LongRange.of(Long.MIN_VALUE, Long.MAX_VALUE).without(Long.MIN_VALUE))
                .containsExactly(LongRange.of(Long.MIN_VALUE + 1, Long.MAX_VALUE));
    }
}
