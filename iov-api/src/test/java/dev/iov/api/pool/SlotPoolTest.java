package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SlotPoolTest {

    @Test
    void handsOutSlotsFromZero() {
        SlotPool pool = SlotPool.ofSize(3);
        assertThat(pool.name()).isEqualTo("slot pool 0-2");
        assertThat(pool.allocateSlot()).isZero();
        assertThat(pool.allocate()).isEqualTo(1);
        assertThat(pool.allocateSlot()).isEqualTo(2);
        assertThatThrownBy(pool::allocateSlot).isExactlyInstanceOf(PoolExhaustedException.class)
                .hasMessage("slot pool 0-2 is exhausted: all 3 values are allocated");
        assertThat(pool.releaseSlot(1)).isTrue();
        assertThat(pool.releaseSlot(1)).isFalse();
        assertThat(pool.isSlotAllocated(1)).isFalse();
        assertThat(pool.isAllocated(2)).isTrue();
        assertThat(pool.allocateSlot()).isEqualTo(1);
    }

    @Test
    void namesItselfAfterWhatTheSlotsAre() {
        SlotPool pool = SlotPool.ofSize("VFs of 0000:3b:00.0", 64);
        assertThat(pool.name()).isEqualTo("VFs of 0000:3b:00.0 0-63");
        assertThat(pool.capacity()).isEqualTo(64);
        pool.reserveSlot(63);
        assertThatThrownBy(() -> pool.reserveSlot(63)).isExactlyInstanceOf(AddressInUseException.class)
                .hasMessage("63 is already allocated in VFs of 0000:3b:00.0 0-63");
        assertThatThrownBy(() -> pool.reserveSlot(64)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("64 is outside VFs of 0000:3b:00.0 0-63");
        assertThatThrownBy(() -> pool.reserve(-1)).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesEmptyPools() {
        assertThatThrownBy(() -> SlotPool.ofSize(0)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0'").hasMessageContaining("at least 1");
        assertThat(SlotPool.ofSize(Integer.MAX_VALUE).capacity()).isEqualTo(Integer.MAX_VALUE);
    }
}
