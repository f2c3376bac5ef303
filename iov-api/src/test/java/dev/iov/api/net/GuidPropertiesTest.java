package dev.iov.api.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GuidPropertiesTest {

    private static final Pattern SYSFS = Pattern.compile("[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{1,4}){3}");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]{1,16}");

    @Property
    void bothTextFormsRoundTrip(@ForAll long value) {
        Guid guid = Guid.of(value);
        assertThat(Guid.parse(guid.toString())).isEqualTo(guid);
        assertThat(Guid.parse(guid.toHexString())).isEqualTo(guid);
        assertThat(Guid.parse("0x" + Long.toHexString(value))).isEqualTo(guid);
        assertThat(guid.toLong()).isEqualTo(value);
        assertThat(guid.toString().replace(":", "")).isEqualTo(guid.toHexString().substring(2));
    }

    @Property
    void orderIsUnsigned(@ForAll long a, @ForAll long b) {
        assertThat(Integer.signum(Guid.of(a).compareTo(Guid.of(b))))
                .isEqualTo(Integer.signum(Long.compareUnsigned(a, b)));
    }

    @Property(tries = 3000)
    void anyTextParsesBackOrIsRejectedWithItsQuote(@ForAll("guidLike") String text) {
        Guid guid = ParseContract.parsesBackOrRejects(text, Guid::parse);
        boolean valid = SYSFS.matcher(text).matches() || HEX.matcher(text).matches();
        assertThat(guid != null).as("accepted '%s'", text).isEqualTo(valid);
    }

    @Provide
    Arbitrary<String> guidLike() {
        Arbitrary<String> valid = Arbitraries.longs().map(Guid::of)
                .flatMap(g -> Arbitraries.of(g.toString(), g.toHexString()));
        return ParseContract.near(valid, "0123456789abcdefABCDEFxXg:");
    }
}
