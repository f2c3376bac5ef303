package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.PKey;
import org.junit.jupiter.api.Test;

class PKeyPoolTest {

    @Test
    void defaultPoolHandsOutFullMembershipKeys() {
        PKeyPool pool = PKeyPool.defaultPool();
        assertThat(pool.name()).isEqualTo("P_Key pool 0x0001-0x7ffe");
        assertThat(pool.capacity()).isEqualTo(0x7ffe);
        PKey first = pool.allocate();
        assertThat(first).isEqualTo(PKey.of(0x8001));
        assertThat(first.isFullMember()).isTrue();
        assertThat(pool.contains(PKey.DEFAULT)).isFalse();
        assertThat(pool.contains(PKey.DEFAULT.asLimited())).isFalse();
    }

    @Test
    void membershipBitIsIgnoredOnInput() {
        PKeyPool pool = PKeyPool.ofPartitions(1, 4);
        pool.reserve(PKey.of(0x0002));
        assertThat(pool.isAllocated(PKey.of(0x8002))).isTrue();
        assertThatThrownBy(() -> pool.reserve(PKey.of(0x8002))).isExactlyInstanceOf(AddressInUseException.class)
                .hasMessage("0x0002 is already allocated in P_Key pool 0x0001-0x0004");
        assertThat(pool.allocate()).isEqualTo(PKey.of(0x8001));
        assertThat(pool.allocate()).isEqualTo(PKey.of(0x8003));
        assertThat(pool.release(PKey.of(0x8002))).isTrue();
        assertThat(pool.release(PKey.of(0x0002))).isFalse();
        assertThat(pool.allocate()).isEqualTo(PKey.of(0x8002));
    }

    @Test
    void excludesTheDefaultPartition() {
        PKeyPool pool = PKeyPool.ofPartitions(0x7ffd, 0x7fff);
        assertThat(pool.name()).isEqualTo("P_Key pool 0x7ffd-0x7ffe");
        assertThat(pool.capacity()).isEqualTo(2);
        assertThat(pool.allocate()).isEqualTo(PKey.of(0xfffd));
        assertThat(pool.allocate()).isEqualTo(PKey.of(0xfffe));
        assertThatThrownBy(pool::allocate).isExactlyInstanceOf(PoolExhaustedException.class);
        assertThatThrownBy(() -> pool.reserve(PKey.DEFAULT)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("0x7fff is outside P_Key pool 0x7ffd-0x7ffe");
    }

    @Test
    void refusesBadPartitionRanges() {
        assertThatThrownBy(() -> PKeyPool.ofPartitions(0x7fff, 0x7fff))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0x7fff-0x7fff'").hasMessageContaining("only the default partition");
        assertThatThrownBy(() -> PKeyPool.ofPartitions(0, 5)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0x0000-0x0005'");
        assertThatThrownBy(() -> PKeyPool.ofPartitions(1, 0x8000)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0x0001-0x8000'");
        assertThatThrownBy(() -> PKeyPool.ofPartitions(6, 5)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0x0006-0x0005'");
    }
}
