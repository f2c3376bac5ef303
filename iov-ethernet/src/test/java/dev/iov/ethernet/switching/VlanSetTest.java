package dev.iov.ethernet.switching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.VlanId;
import org.junit.jupiter.api.Test;

class VlanSetTest {
    @Test
    void membershipAndRanges() {
        VlanSet s = VlanSet.of(0, 10, 4094);
        assertThat(s.contains(0)).isTrue();
        assertThat(s.contains(10)).isTrue();
        assertThat(s.contains(4094)).isTrue();
        assertThat(s.contains(11)).isFalse();
        assertThat(s.contains(4095)).isFalse();
        assertThat(s.contains(-1)).isFalse();
        assertThat(s.contains(1 << 20)).isFalse();
        assertThat(s.size()).isEqualTo(3);
        assertThat(VlanSet.all().size()).isEqualTo(4095);
        assertThat(VlanSet.none().isEmpty()).isTrue();
        assertThat(VlanSet.range(20, 22).with(10).toString()).isEqualTo("[10,20-22]");
        assertThat(VlanSet.of(VlanId.of(5)).union(VlanSet.of(6))).isEqualTo(VlanSet.range(5, 6));
    }

    @Test
    void refusesReservedVlan() {
        assertThatThrownBy(() -> VlanSet.of(4095)).hasMessageContaining("4095");
        assertThatThrownBy(() -> VlanSet.range(-1, 3)).hasMessageContaining("-1");
        assertThatThrownBy(() -> VlanSet.range(5, 3)).hasMessageContaining("empty");
    }
}
