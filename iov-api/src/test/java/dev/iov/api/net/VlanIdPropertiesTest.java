package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class VlanIdPropertiesTest {

    @Property
    void textRoundTrips(@ForAll @IntRange(min = 1, max = 4094) int value) {
        VlanId vlan = VlanId.of(value);
        assertThat(VlanId.parse(vlan.toString())).isSameAs(vlan);
        assertThat(vlan.value()).isEqualTo(value);
    }

    @Property
    void ofAcceptsExactlyOneToFourThousandNinetyFour(@ForAll int value) {
        boolean valid = value >= 1 && value <= 4094;
        try {
            assertThat(VlanId.of(value).value()).isEqualTo(value);
            assertThat(valid).as("accepted %d", value).isTrue();
        } catch (IllegalArgumentException e) {
            assertThat(valid).as("refused %d", value).isFalse();
            assertThat(e).hasMessageContaining("'" + value + "'");
        }
    }

    @Property(tries = 3000)
    void anyTextParsesBackOrIsRejectedWithItsQuote(@ForAll("vlanLike") String text) {
        VlanId vlan = ParseContract.parsesBackOrRejects(text, VlanId::parse);
        boolean digitsOnly = !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
        boolean valid = digitsOnly && text.length() < 12 && Long.parseLong(text) >= 1 && Long.parseLong(text) <= 4094;
        assertThat(vlan != null).as("accepted '%s'", text).isEqualTo(valid);
    }

    @Provide
    Arbitrary<String> vlanLike() {
        return ParseContract.near(Arbitraries.integers().between(0, 4200).map(String::valueOf), "0123456789-+ x\u0661");
    }
}
