package dev.iov.sriov;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PciClassProperties {

    @Property
    void theKernelsFormatParsesBack(@ForAll @IntRange(min = 0, max = 0xffffff) int classCode) {
        assertThat(PciClass.parse(String.format("0x%06x\n", classCode))).isEqualTo(classCode);
    }

    @Property
    void networkAndInfiniBandFollowBaseClassAndSubclass(@ForAll @IntRange(min = 0, max = 0xffffff) int classCode) {
        assertThat(PciClass.isNetwork(classCode)).isEqualTo(classCode >>> 16 == 0x02);
        assertThat(PciClass.isInfiniBand(classCode)).isEqualTo(classCode >>> 8 == 0x0207);
    }

    @Property
    void anyTextParsesOrIsRefusedQuotingIt(@ForAll String text) {
        try {
            assertThat(PciClass.parse(text)).isBetween(0, 0xffffff);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageContaining("'" + text + "'");
        }
    }

    @Property
    void signsAndNonHexDigitsAreRefused(@ForAll("signedOrJunk") String digits) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PciClass.parse("0x" + digits))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0x" + digits + "'");
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> signedOrJunk() {
        return net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(5)
                        .map(s -> (s.length() % 2 == 0 ? "-" : "+") + s),
                net.jqwik.api.Arbitraries.strings().withChars("ghxz \u0660").ofMinLength(1).ofMaxLength(6));
    }

    @Property
    void knownClasses() {
        assertThat(PciClass.isNetwork(0x020000)).isTrue();
        assertThat(PciClass.isInfiniBand(0x020700)).isTrue();
        assertThat(PciClass.isNetwork(0x020700)).isTrue();
        assertThat(PciClass.isNetwork(0x010802)).isFalse();
        assertThat(PciClass.isInfiniBand(0x020000)).isFalse();
    }
}
