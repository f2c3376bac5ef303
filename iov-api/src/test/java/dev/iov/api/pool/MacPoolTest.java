package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import org.junit.jupiter.api.Test;

class MacPoolTest {

    private static MacAddress mac(String text) {
        return MacAddress.parse(text);
    }

    @Test
    void defaultPoolIsTheIoPrefix() {
        MacPool pool = MacPool.defaultPool();
        assertThat(pool.name()).isEqualTo("MAC pool 02:69:6f:00:00:00-02:69:6f:ff:ff:ff");
        assertThat(pool.capacity()).isEqualTo(1 << 24);
        assertThat(pool.allocate()).isEqualTo(mac("02:69:6f:00:00:00"));
        assertThat(pool.allocate()).isEqualTo(mac("02:69:6f:00:00:01"));
        assertThat(pool.available()).isEqualTo((1 << 24) - 2);
        assertThat(pool.contains(mac("02:69:6f:ff:ff:ff"))).isTrue();
        assertThat(pool.contains(mac("02:69:70:00:00:00"))).isFalse();
    }

    @Test
    void allocatedAddressesAreLocallyAdministeredUnicast() {
        MacPool pool = MacPool.withPrefix(mac("fe:00:00:00:00:00"), 8);
        pool.reserve(mac("fe:00:00:00:00:01"));
        for (int i = 0; i < 1000; i++) {
            MacAddress address = pool.allocate();
            assertThat(address.isUnicast()).isTrue();
            assertThat(address.isLocallyAdministered()).isTrue();
        }
    }

    @Test
    void prefixCoversEveryAddressBehindIt() {
        MacPool pool = MacPool.withPrefix(mac("02:00:00:00:00:00"), 24);
        assertThat(pool.name()).isEqualTo("MAC pool 02:00:00:00:00:00-02:00:00:ff:ff:ff");
        assertThat(pool.capacity()).isEqualTo(1 << 24);
        assertThat(MacPool.withPrefix(mac("0a:bc:00:00:00:00"), 16).capacity()).isEqualTo(1L << 32);
        MacPool single = MacPool.withPrefix(mac("02:00:00:00:00:07"), 48);
        assertThat(single.capacity()).isEqualTo(1);
        assertThat(single.allocate()).isEqualTo(mac("02:00:00:00:00:07"));
        assertThatThrownBy(single::allocate).isExactlyInstanceOf(PoolExhaustedException.class);
    }

    @Test
    void refusesBadPrefixes() {
        assertThatThrownBy(() -> MacPool.withPrefix(mac("02:00:00:00:00:00"), 7))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'02:00:00:00:00:00/7'").hasMessageContaining("must be 8-48");
        assertThatThrownBy(() -> MacPool.withPrefix(mac("02:00:00:00:00:00"), 49))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be 8-48");
        assertThatThrownBy(() -> MacPool.withPrefix(mac("02:00:00:00:01:00"), 24))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'02:00:00:00:01:00/24'").hasMessageContaining("bits are set after the first 24");
    }

    @Test
    void refusesUniversalAndMulticastAddresses() {
        assertThatThrownBy(() -> MacPool.withPrefix(mac("00:1b:21:00:00:00"), 24))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'00:1b:21:00:00:00/24'")
                .hasMessageContaining("00:1b:21:00:00:00, which is universally administered");
        assertThatThrownBy(() -> MacPool.withPrefix(mac("03:00:00:00:00:00"), 24))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("which is multicast");
        assertThatThrownBy(() -> MacPool.ofRange(mac("02:ff:ff:ff:ff:00"), mac("06:00:00:00:00:00")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'02:ff:ff:ff:ff:00-06:00:00:00:00:00'")
                .hasMessageContaining("03:00:00:00:00:00, which is multicast");
        assertThatThrownBy(() -> MacPool.ofRange(mac("fe:00:00:00:00:00"), MacAddress.BROADCAST))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ff:00:00:00:00:00, which is multicast");
        assertThat(MacPool.ofRange(mac("fe:00:00:00:00:00"), mac("fe:ff:ff:ff:ff:ff")).capacity()).isEqualTo(1L << 40);
    }

    @Test
    void refusesInvertedRange() {
        assertThatThrownBy(() -> MacPool.ofRange(mac("02:00:00:00:00:05"), mac("02:00:00:00:00:01")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'02:00:00:00:00:05-02:00:00:00:00:01'").hasMessageContaining("last is below");
    }

    @Test
    void reserveAndReleaseSpeakInMacAddresses() {
        MacPool pool = MacPool.ofRange(mac("02:00:00:00:00:01"), mac("02:00:00:00:00:03"));
        pool.reserve(mac("02:00:00:00:00:02"));
        assertThat(pool.isAllocated(mac("02:00:00:00:00:02"))).isTrue();
        assertThatThrownBy(() -> pool.reserve(mac("02:00:00:00:00:02")))
                .isExactlyInstanceOf(AddressInUseException.class)
                .hasMessage("02:00:00:00:00:02 is already allocated in MAC pool 02:00:00:00:00:01-02:00:00:00:00:03");
        assertThatThrownBy(() -> pool.reserve(mac("00:11:22:33:44:55")))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("00:11:22:33:44:55 is outside MAC pool 02:00:00:00:00:01-02:00:00:00:00:03");
        assertThat(pool.allocate()).isEqualTo(mac("02:00:00:00:00:01"));
        assertThat(pool.allocate()).isEqualTo(mac("02:00:00:00:00:03"));
        assertThatThrownBy(pool::allocate).isExactlyInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("MAC pool 02:00:00:00:00:01-02:00:00:00:00:03 is exhausted: all 3 values");
        assertThat(pool.release(mac("02:00:00:00:00:02"))).isTrue();
        assertThat(pool.release(mac("02:00:00:00:00:02"))).isFalse();
        assertThat(pool.release(MacAddress.BROADCAST)).isFalse();
        assertThat(pool.available()).isEqualTo(1);
    }
}
