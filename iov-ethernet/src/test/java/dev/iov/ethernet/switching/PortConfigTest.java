package dev.iov.ethernet.switching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import org.junit.jupiter.api.Test;

class PortConfigTest {
    @Test
    void accessCarriesOnlyItsTagAndEgressesItUntagged() {
        PortConfig c = PortConfig.access(10);
        assertThat(c.carried()).isEqualTo(VlanSet.of(10));
        assertThat(c.untaggedVlan()).isEqualTo(10);
    }

    @Test
    void trunkDefaultsToAllVlansIncludingZero() {
        PortConfig c = PortConfig.builder(VlanMode.TRUNK).build();
        assertThat(c.carried()).isEqualTo(VlanSet.all());
        assertThat(c.untaggedVlan()).isZero();
        assertThat(c.tag()).isEqualTo(PortConfig.NO_TAG);
    }

    @Test
    void nativeModesAlwaysCarryTheNativeVlan() {
        PortConfig t = PortConfig.builder(VlanMode.NATIVE_TAGGED).tag(5).trunks(VlanSet.of(7)).build();
        assertThat(t.carried()).isEqualTo(VlanSet.of(5, 7));
        assertThat(t.untaggedVlan()).isEqualTo(PortConfig.NO_TAG);
        PortConfig all = PortConfig.builder(VlanMode.NATIVE_TAGGED).tag(5).build();
        assertThat(all.carried()).isEqualTo(VlanSet.range(1, 4094));
        PortConfig u = PortConfig.builder(VlanMode.NATIVE_UNTAGGED).tag(5).trunks(VlanSet.of(7)).build();
        assertThat(u.untaggedVlan()).isEqualTo(5);
    }

    @Test
    void tunnelCarriesItsServiceVlan() {
        PortConfig c = PortConfig.builder(VlanMode.DOT1Q_TUNNEL).tag(100).build();
        assertThat(c.carried()).isEqualTo(VlanSet.of(100));
        assertThat(c.untaggedVlan()).isEqualTo(100);
    }

    @Test
    void validation() {
        assertThatThrownBy(() -> PortConfig.builder(VlanMode.ACCESS).build()).hasMessageContaining("needs a tag");
        assertThatThrownBy(() -> PortConfig.builder(VlanMode.NATIVE_TAGGED).build())
                .hasMessageContaining("needs a tag");
        assertThatThrownBy(() -> PortConfig.builder(VlanMode.TRUNK).tag(3).build())
                .hasMessageContaining("cannot have a tag");
        assertThatThrownBy(() -> PortConfig.builder(VlanMode.ACCESS).tag(3).trunks(VlanSet.of(4)).build())
                .hasMessageContaining("trunk set");
        assertThatThrownBy(() -> PortConfig.access(0)).hasMessageContaining("0");
        assertThatThrownBy(() -> PortConfig.access(4095)).hasMessageContaining("4095");
        assertThatThrownBy(() -> PortConfig.builder(VlanMode.ACCESS).tag(1).policing(-1, 0).build())
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> PortConfig.builder(VlanMode.ACCESS).tag(1).policing(1, -1).build())
                .hasMessageContaining("burst");
    }

    @Test
    void securityAndPolicingSettings() {
        PortConfig c = PortConfig.builder(VlanMode.ACCESS).tag(1)
                .allowSource(MacAddress.of(2)).allowSource(MacAddress.of(1)).allowSource(MacAddress.of(2))
                .policing(1000, 0).build();
        assertThat(c.allowedSources().size()).isEqualTo(2);
        assertThat(c.allowedSources().contains(1)).isTrue();
        assertThat(c.allowedSources().contains(3)).isFalse();
        assertThat(c.policingBurstKbit()).isEqualTo(PortConfig.DEFAULT_BURST_KBIT);
        assertThat(PortConfig.access(1).policingBurstKbit()).isZero();
    }
}
