package dev.iov.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Values the kernel must never see cannot get into a {@link VfConfig}: the builder refuses them, so no
 * {@link VfRequests#set} request is ever built for them. Values that can get in are written exactly, never truncated.
 */
class VfConfigProperties {

    private static final long U32 = 0xffff_ffffL;

    @Provide
    Arbitrary<Long> macs() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 0xffff_ffff_ffffL),
                Arbitraries.of(0L, 0xffff_ffff_ffffL, 0x0100_5e00_0001L, 0x0200_0000_0001L));
    }

    @Property
    void onlyUnicastNonZeroMacsGetIn(@ForAll("macs") long value) {
        MacAddress mac = MacAddress.of(value);
        if (mac.isMulticast() || value == 0) {
            assertThatThrownBy(() -> VfConfig.forVf(0).mac(mac)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MAC " + mac + " is ").hasMessageEndingWith("a VF needs a unicast address");
        } else {
            assertThat(VfConfig.forVf(0).mac(mac).build().mac()).contains(mac);
        }
    }

    @Property
    void theZeroMacIsWrittenOnlyOnPurpose(@ForAll @IntRange(min = 0, max = 1000) int vf) {
        assertThat(VfConfig.forVf(vf).clearMac().build().mac()).contains(MacAddress.ZERO);
    }

    @Property
    void aGuaranteedRateAboveTheLimitIsRefused(@ForAll @LongRange(min = 0, max = U32) long min,
                                                @ForAll @LongRange(min = 0, max = U32) long max) {
        VfConfig.Builder b = VfConfig.forVf(1).minTxRate(Bandwidth.ofMbps(min)).maxTxRate(Bandwidth.ofMbps(max));
        if (max != 0 && min > max) {
            assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("VF 1: min_tx_rate " + Bandwidth.ofMbps(min) + " is above max_tx_rate "
                            + Bandwidth.ofMbps(max) + " (0 means no limit)");
            // Completing a one-rate request with the VF's current rates is checked the same way.
            VfConfig onlyMin = VfConfig.forVf(1).minTxRate(Bandwidth.ofMbps(min)).build();
            assertThatThrownBy(() -> onlyMin.withCurrentRates(Bandwidth.ZERO, Bandwidth.ofMbps(max)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is above max_tx_rate");
        } else {
            VfConfig config = b.build();
            NetlinkMessageWriter w = new NetlinkMessageWriter();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.nativeOrder());
            VfRequests.set(w, buffer, LinkSelector.byIndex(7), config);
            // IFLA_VF_RATE {vf; min; max} is the last 12 bytes before the nests close: the values, exactly.
            int end = buffer.limit();
            assertThat(Integer.toUnsignedLong(buffer.getInt(end - 8))).isEqualTo(min);
            assertThat(Integer.toUnsignedLong(buffer.getInt(end - 4))).isEqualTo(max);
        }
    }

    @Property
    void ratesWiderThanTheKernelsU32AreRefused(@ForAll @LongRange(min = U32 + 1, max = Long.MAX_VALUE / 1_000_000)
                                               long mbps) {
        assertThatThrownBy(() -> VfConfig.forVf(0).maxTxRate(Bandwidth.ofMbps(mbps)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below 2^32");
        assertThatThrownBy(() -> VfConfig.forVf(0).minTxRate(Bandwidth.ofMbps(mbps)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below 2^32");
    }

    @Property
    void vlanPrioritiesOutside0To7AreRefused(@ForAll int qos) {
        VfConfig.Builder b = VfConfig.forVf(0);
        if (qos < 0 || qos > 7) {
            assertThatThrownBy(() -> b.vlan(VlanId.of(10), qos, VlanProtocol.IEEE_802_1Q))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + qos + "'");
        } else {
            assertThat(b.vlan(VlanId.of(10), qos, VlanProtocol.IEEE_802_1Q).build().qos()).isEqualTo(qos);
        }
    }

    @Property
    void negativeVfNumbersAreRefused(@ForAll @IntRange(min = Integer.MIN_VALUE, max = -1) int vf) {
        assertThatThrownBy(() -> VfConfig.forVf(vf)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + vf + "'");
    }
}
