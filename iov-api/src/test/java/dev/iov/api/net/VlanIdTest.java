package dev.iov.api.net;

import static dev.iov.api.net.ParseContract.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VlanIdTest {

    @Test
    void acceptsTheWholeRangeAndSharesInstances() {
        assertThat(VlanId.of(1).value()).isEqualTo(1);
        assertThat(VlanId.of(4094).value()).isEqualTo(4094);
        assertThat(VlanId.of(100)).isSameAs(VlanId.of(100)).isSameAs(VlanId.parse("100"));
        assertThat(VlanId.parse("0042")).isEqualTo(VlanId.of(42)).hasToString("42");
    }

    @Test
    void refusesPriorityTagAndReservedWithTheirReasons() {
        assertRejected(() -> VlanId.of(0), "0", "0 is the priority tag");
        assertRejected(() -> VlanId.of(4095), "4095", "4095 is reserved");
        assertRejected(() -> VlanId.parse("0"), "0", "priority tag");
        assertRejected(() -> VlanId.parse("4095"), "4095", "reserved");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "4096                 | out of range 1-4094",
        "99999999999999999999 | out of range 1-4094",
        "-1                   | not a decimal number",
        "+5                   | not a decimal number",
        "10a                  | not a decimal number",
        "0x10                 | not a decimal number",
        "\"\"                 | not a decimal number",
        "\" 10\"              | not a decimal number",
    })
    void refusesBadText(String input, String reason) {
        assertRejected(() -> VlanId.parse(input), input, reason);
    }

    @Test
    void refusesOutOfRangeInts() {
        assertRejected(() -> VlanId.of(-1), "-1", "out of range 1-4094");
        assertRejected(() -> VlanId.of(Integer.MAX_VALUE), "2147483647", "out of range");
    }

    @Test
    void refusesNonAsciiDigits() {
        // Arabic-Indic 1 and 0: Integer.parseInt would read them as 10.
        String input = "\u0661\u0660";
        assertRejected(() -> VlanId.parse(input), input, "not a decimal number");
    }

    @Test
    void ordersNumerically() {
        assertThat(VlanId.of(9)).isLessThan(VlanId.of(10));
        assertThat(VlanId.of(7)).isEqualTo(VlanId.parse("7")).hasSameHashCodeAs(VlanId.parse("7"));
    }
}
