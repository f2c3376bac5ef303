package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.VnicSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * An address given to an interface (a VF, a vNIC) is unicast and not all-zero; everything else is refused naming the
 * address. The I/G bit is the low bit of the first octet, so the boundaries are checked bit by bit, not by sample.
 */
class AssignableMacProperties {

    @Provide
    Arbitrary<Long> macs() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 0xffff_ffff_ffffL),
                // Around the boundaries: all-zero, broadcast, the group bit alone, 01:00:5e (IPv4 multicast), 33:33.
                Arbitraries.of(0L, 0xffff_ffff_ffffL, 1L << 40, 0x0100_5e00_0001L, 0x3333_0000_0001L,
                        0x0200_0000_0000L, 0x0000_0000_0001L, 0xfeff_ffff_ffffL));
    }

    @Property
    void onlyUnicastNonZeroAddressesAreAssignable(@ForAll("macs") long value) {
        MacAddress mac = MacAddress.of(value);
        boolean group = ((value >>> 40) & 1) == 1;
        if (group || value == 0) {
            String why = value == 0xffff_ffff_ffffL ? "is the broadcast address" : group ? "is multicast"
                    : "is the all-zero address";
            assertThatThrownBy(() -> mac.requireAssignable("a VF")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("MAC " + mac + " " + why + "; a VF needs a unicast address");
            assertThatThrownBy(() -> VnicSpec.builder("n1", "vm1", "net1").mac(mac).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("vNIC 'n1': MAC " + mac + " " + why + "; a vNIC needs a unicast address");
        } else {
            assertThat(mac.requireAssignable("a VF")).isSameAs(mac);
            assertThat(VnicSpec.builder("n1", "vm1", "net1").mac(mac).build().mac()).contains(mac);
        }
    }
}
