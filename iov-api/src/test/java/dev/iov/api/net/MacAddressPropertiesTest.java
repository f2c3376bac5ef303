package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class MacAddressPropertiesTest {

    /** An independent statement of the accepted syntax: one separator used throughout. */
    private static final Pattern SYNTAX =
            Pattern.compile("[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\\1[0-9a-fA-F]{2}){4}");

    @Property
    void textRoundTrips(@ForAll @LongRange(min = 0, max = 0xffffffffffffL) long value) {
        MacAddress mac = MacAddress.of(value);
        assertThat(MacAddress.parse(mac.toString())).isEqualTo(mac);
        assertThat(MacAddress.parse(mac.toString().replace(':', '-').toUpperCase(Locale.ROOT))).isEqualTo(mac);
        assertThat(mac.toString()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    }

    @Property
    void bytesRoundTripAndMatchWriteTo(@ForAll @LongRange(min = 0, max = 0xffffffffffffL) long value) {
        MacAddress mac = MacAddress.of(value);
        assertThat(MacAddress.of(mac.toBytes())).isEqualTo(mac);
        ByteBuffer buf = ByteBuffer.allocate(8);
        mac.writeTo(buf, 1);
        assertThat(buf.array()).startsWith((byte) 0).endsWith((byte) 0);
        assertThat(buf.getLong(0) >>> 8 & 0xffffffffffffL).isEqualTo(value);
        byte[] written = new byte[6];
        buf.get(1, written);
        assertThat(written).containsExactly(mac.toBytes());
    }

    @Property
    void orderMatchesCanonicalTextOrder(
            @ForAll @LongRange(min = 0, max = 0xffffffffffffL) long a,
            @ForAll @LongRange(min = 0, max = 0xffffffffffffL) long b) {
        MacAddress x = MacAddress.of(a);
        MacAddress y = MacAddress.of(b);
        assertThat(Integer.signum(x.compareTo(y))).isEqualTo(Integer.signum(x.toString().compareTo(y.toString())));
    }

    @Property(tries = 3000)
    void anyTextParsesBackOrIsRejectedWithItsQuote(@ForAll("macLike") String text) {
        MacAddress mac = ParseContract.parsesBackOrRejects(text, MacAddress::parse);
        assertThat(mac != null).as("accepted '%s'", text).isEqualTo(SYNTAX.matcher(text).matches());
    }

    @Provide
    Arbitrary<String> macLike() {
        Arbitrary<String> valid = Arbitraries.longs().between(0, 0xffffffffffffL)
                .map(v -> MacAddress.of(v).toString());
        return ParseContract.near(valid, "0123456789abcdefABCDEFgG:-.+ \u0660");
    }
}
