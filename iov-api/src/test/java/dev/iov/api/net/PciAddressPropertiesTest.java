package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PciAddressPropertiesTest {

    /** An independent statement of the accepted syntax; range checks on device and function come after. */
    private static final Pattern SYNTAX = Pattern.compile(
            "(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-9a-fA-F])");

    @Property
    void textRoundTrips(@ForAll("addresses") PciAddress address) {
        assertThat(PciAddress.parse(address.toString())).isEqualTo(address);
        PciAddress rebuilt = PciAddress.of(address.domain(), address.bus(), address.device(), address.function());
        assertThat(rebuilt).isEqualTo(address).hasSameHashCodeAs(address);
        assertThat(address.toString()).matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    }

    @Property
    void orderMatchesCanonicalTextOrder(@ForAll("addresses") PciAddress a, @ForAll("addresses") PciAddress b) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
    }

    @Property(tries = 3000)
    void anyTextParsesBackOrIsRejectedWithItsQuote(@ForAll("pciLike") String text) {
        PciAddress address = ParseContract.parsesBackOrRejects(text, PciAddress::parse);
        Matcher m = SYNTAX.matcher(text);
        boolean valid = m.matches()
                && Integer.parseInt(m.group(3), 16) <= 0x1f && Integer.parseInt(m.group(4), 16) <= 7;
        assertThat(address != null).as("accepted '%s'", text).isEqualTo(valid);
        if (valid) {
            int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
            assertThat(address).isEqualTo(PciAddress.of(domain, Integer.parseInt(m.group(2), 16),
                    Integer.parseInt(m.group(3), 16), Integer.parseInt(m.group(4), 16)));
        }
    }

    @Provide
    Arbitrary<PciAddress> addresses() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 0xff),
                Arbitraries.integers().between(0, 0x1f),
                Arbitraries.integers().between(0, 7)).as(PciAddress::of);
    }

    @Provide
    Arbitrary<String> pciLike() {
        Arbitrary<String> valid = addresses().flatMap(a -> Arbitraries.of(a.toString(), a.toString().substring(5)));
        return ParseContract.near(valid, "0123456789abcdefABCDEFg:. x");
    }
}
