package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.VlanId;
import org.junit.jupiter.api.Test;

class VlanPoolTest {

    @Test
    void allHoldsEveryVlan() {
        VlanPool pool = VlanPool.all();
        assertThat(pool.name()).isEqualTo("VLAN pool 1-4094");
        assertThat(pool.capacity()).isEqualTo(4094);
        assertThat(pool.allocate()).isEqualTo(VlanId.of(1));
        assertThat(pool.contains(VlanId.of(4094))).isTrue();
    }

    @Test
    void combinesRangesAndSingleVlansInOrder() {
        VlanPool pool = VlanPool.builder().add(VlanId.of(200)).addRange(VlanId.of(100), VlanId.of(102)).build();
        assertThat(pool.name()).isEqualTo("VLAN pool 100-102,200");
        assertThat(pool.capacity()).isEqualTo(4);
        assertThat(pool.allocate()).isEqualTo(VlanId.of(100));
        assertThat(pool.allocate()).isEqualTo(VlanId.of(101));
        assertThat(pool.allocate()).isEqualTo(VlanId.of(102));
        assertThat(pool.allocate()).isEqualTo(VlanId.of(200));
        assertThatThrownBy(pool::allocate).isExactlyInstanceOf(PoolExhaustedException.class)
                .hasMessage("VLAN pool 100-102,200 is exhausted: all 4 values are allocated");
        assertThatThrownBy(() -> pool.reserve(VlanId.of(5))).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("5 is outside VLAN pool 100-102,200");
    }

    @Test
    void refusesBadRanges() {
        assertThatThrownBy(() -> VlanPool.builder().addRange(VlanId.of(100), VlanId.of(200))
                .addRange(VlanId.of(150), VlanId.of(160)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100-200 and 150-160 overlap");
        assertThatThrownBy(() -> VlanPool.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one range");
        assertThatThrownBy(() -> VlanPool.ofRange(VlanId.of(10), VlanId.of(9)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("'10-9'");
    }
}
