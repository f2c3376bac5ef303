package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iov.ethernet.switching.VlanMode;
import dev.iov.ethernet.switching.VlanSet;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The {@code --port} parser of {@code iov switch run}: what a valid option says is what the port gets, and any text
 * either parses or is a {@link UserInputException} quoting it (never another exception).
 */
class SwitchPortOptionProperties {

    @Property
    void accessPortsCarryExactlyTheirVlan(@ForAll("names") String name, @ForAll @IntRange(min = 1, max = 4094) int vlan) {
        SwitchPortOption port = SwitchPortOption.parse(name + ":access=" + vlan);

        assertThat(port.name().value()).isEqualTo(name);
        assertThat(port.config().mode()).isEqualTo(VlanMode.ACCESS);
        assertThat(port.config().tag()).isEqualTo(vlan);
        assertThat(port.describe()).isEqualTo("access " + vlan);
    }

    @Property
    void trunkListsCarryTheListedVlans(@ForAll("names") String name,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 4094) Integer> vlans) {
        String list = vlans.stream().map(String::valueOf).collect(Collectors.joining(","));

        SwitchPortOption port = SwitchPortOption.parse(name + ":trunk=" + list);

        assertThat(port.config().mode()).isEqualTo(VlanMode.TRUNK);
        assertThat(port.config().trunks()).isEqualTo(VlanSet.of(vlans.stream().mapToInt(Integer::intValue)
                .toArray()));
        assertThat(port.config().carried().contains(0)).as("no untagged traffic on a listed trunk").isFalse();
    }

    @Property
    void aBareNameIsATrunkOfEverythingIncludingUntagged(@ForAll("names") String name) {
        SwitchPortOption bare = SwitchPortOption.parse(name);
        SwitchPortOption trunk = SwitchPortOption.parse(name + ":trunk");

        assertThat(bare.config().trunks()).isEqualTo(VlanSet.all());
        assertThat(bare.config().carried().contains(0)).isTrue();
        assertThat(trunk.config().carried()).isEqualTo(bare.config().carried());
        assertThat(bare.describe()).isEqualTo("trunk all");
    }

    @Property
    void anyTextParsesOrIsAnInputErrorQuotingIt(@ForAll("texts") String text) {
        Throwable thrown = catchThrowable(() -> SwitchPortOption.parse(text));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(UserInputException.class);
            assertThat(thrown.getMessage()).startsWith("--port '" + text + "'");
        }
    }

    @Property
    void rangesAreInclusiveAndEmptyOnesRefused(@ForAll @IntRange(min = 1, max = 4094) int a,
            @ForAll @IntRange(min = 1, max = 4094) int b) {
        String text = "p0:trunk=" + a + "-" + b;
        if (a <= b) {
            assertThat(SwitchPortOption.parse(text).config().trunks()).isEqualTo(VlanSet.range(a, b));
        } else {
            assertThat(catchThrowable(() -> SwitchPortOption.parse(text))).isInstanceOf(UserInputException.class)
                    .hasMessageContaining("'" + a + "-" + b + "' is empty");
        }
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('0', '1', '-', '_', '.').ofMinLength(1)
                .ofMaxLength(15).filter(s -> !s.equals(".") && !s.equals(".."));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> pieces = Arbitraries.of("veth0", ":", "access=", "trunk", "trunk=", "=", ",", "-", "10",
                "0", "4095", "4094", "x", " ", "/", "", "99999999999", "1-", "-1");
        return Arbitraries.oneOf(pieces.list().ofMaxSize(8).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(40));
    }
}
