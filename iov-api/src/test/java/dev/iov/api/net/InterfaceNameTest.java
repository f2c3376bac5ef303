package dev.iov.api.net;

import static dev.iov.api.net.ParseContract.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InterfaceNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"eth0", "ens1f0v3", "br-tenant42", "a", "123456789012345", "veth.100", "...", ".a", "tap@x",
        "\u00e9th0", "\u4e2d\u6587"})
    void acceptsWhatTheKernelAccepts(String name) {
        assertThat(InterfaceName.of(name).value()).isEqualTo(name);
        assertThat(InterfaceName.of(name)).hasToString(name).isEqualTo(InterfaceName.of(name));
    }

    @Test
    void refusesEachKernelRuleWithItsReason() {
        assertRejected(() -> InterfaceName.of(""), "", "empty");
        assertRejected(() -> InterfaceName.of("1234567890123456"), "1234567890123456",
                "16 bytes in UTF-8, more than 15");
        assertRejected(() -> InterfaceName.of("."), ".", "'.' and '..' are not allowed");
        assertRejected(() -> InterfaceName.of(".."), "..", "'.' and '..' are not allowed");
        assertRejected(() -> InterfaceName.of("eth0/1"), "eth0/1", "contains '/'");
        assertRejected(() -> InterfaceName.of("eth0:1"), "eth0:1", "contains ':'");
        assertRejected(() -> InterfaceName.of("eth 0"), "eth 0", "contains whitespace");
        assertRejected(() -> InterfaceName.of("eth\t0"), "eth\t0", "contains whitespace");
        assertRejected(() -> InterfaceName.of("eth0\n"), "eth0\n", "contains whitespace");
        assertRejected(() -> InterfaceName.of("eth\u000b0"), "eth\u000b0", "contains whitespace");
        assertRejected(() -> InterfaceName.of("eth\u00000"), "eth\u00000", "NUL");
    }

    @Test
    void countsBytesNotCharacters() {
        // 'é' is two bytes in UTF-8: 7 of them are 14 bytes, 8 are 16.
        assertThat(InterfaceName.of("\u00e9".repeat(7)).value()).hasSize(7);
        String tooLong = "\u00e9".repeat(8);
        assertRejected(() -> InterfaceName.of(tooLong), tooLong, "16 bytes in UTF-8");
        String emoji = "\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"; // 4 x 4 bytes
        assertRejected(() -> InterfaceName.of(emoji), emoji, "16 bytes in UTF-8");
        assertThat(InterfaceName.of("\ud83d\ude00\ud83d\ude00\ud83d\ude00").value()).hasSize(6);
    }

    @Test
    void refusesByteA0LikeTheKernelsIsspace() {
        // U+00A0 is C2 A0 and U+00E0 ('à') is C3 A0 in UTF-8; the kernel's ctype table marks 0xa0 as space.
        assertRejected(() -> InterfaceName.of("eth\u00a00"), "eth\u00a00", "byte 0xa0");
        assertRejected(() -> InterfaceName.of("voil\u00e0"), "voil\u00e0", "byte 0xa0");
        // U+2028 (line separator) is whitespace to Java but E2 80 A8 in UTF-8: no byte the kernel objects to.
        assertThat(InterfaceName.of("a\u2028b").value()).isEqualTo("a\u2028b");
    }

    @Test
    void refusesUnpairedSurrogates() {
        assertRejected(() -> InterfaceName.of("eth\ud800"), "eth\ud800", "unpaired surrogate");
        assertRejected(() -> InterfaceName.of("\udc00eth"), "\udc00eth", "unpaired surrogate");
    }

    @Test
    void ordersByString() {
        assertThat(InterfaceName.of("eth0")).isLessThan(InterfaceName.of("eth1"));
        assertThat(InterfaceName.of("eth10")).isLessThan(InterfaceName.of("eth2"));
    }
}
