package dev.iov.api.net;

import static dev.iov.api.net.ParseContract.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BandwidthTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "100M       | 100000000",
        "2.5G       | 2500000000",
        "10Gbit/s   | 10000000000",
        "100Mbit    | 100000000",
        "1000       | 1000",
        "500k       | 500000",
        "500K       | 500000",
        "1.5Mbps    | 1500000",
        "1.234kbit/s| 1234",
        "0.001k     | 1",
        "7bit       | 7",
        "7bps       | 7",
        "0          | 0",
        "0.0G       | 0",
        "2T         | 2000000000000",
        "1.5mbit    | 1500000",
        "9223372036854775807 | 9223372036854775807",
        "9223372036854775.807k | 9223372036854775807",
    })
    void parsesSiUnits(String text, long bits) {
        assertThat(Bandwidth.parse(text).bitsPerSecond()).isEqualTo(bits);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "-5M          | negative",
        "0.5          | not a whole number of bits per second",
        "1.0005k      | not a whole number of bits per second",
        "9223372036854775808 | more than 9223372036854775807bit/s",
        "9.3E18       | unknown unit 'E18'",
        "10000000T    | more than 9223372036854775807bit/s",
        "100MB        | unknown unit 'MB'",
        "100MBps      | unknown unit 'MBps'",
        "1 Gbit/s     | unknown unit ' Gbit/s'",
        "10Gb/s       | unknown unit 'Gb/s'",
        "\"\"         | empty",
        "M            | does not start with a number",
        ".5G          | does not start with a number",
        "5.G          | no digits after the decimal point",
        "1.2.3M       | unknown unit '.3M'",
    })
    void refusesBadText(String input, String reason) {
        assertRejected(() -> Bandwidth.parse(input), input, reason);
    }

    @Test
    void refusesVeryLongTextBeforeDoingArithmetic() {
        String input = "1" + "0".repeat(100);
        assertRejected(() -> Bandwidth.parse(input), input, "longer than 64 characters");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2500000000    | 2.5Gbit/s",
        "100000000     | 100Mbit/s",
        "0             | 0bit/s",
        "999           | 999bit/s",
        "1000          | 1kbit/s",
        "1234          | 1.234kbit/s",
        "1001000       | 1.001Mbit/s",
        "1000001       | 1000.001kbit/s",
        "1200000000000 | 1.2Tbit/s",
        "25000000000000000 | 25000Tbit/s",
        "9223372036854775807 | 9223372036854775.807kbit/s",
    })
    void printsTheLargestExactUnit(long bits, String text) {
        assertThat(Bandwidth.ofBitsPerSecond(bits)).hasToString(text);
    }

    @Test
    void convertsUnitsAndFloors() {
        assertThat(Bandwidth.ofKbps(3).bitsPerSecond()).isEqualTo(3_000);
        assertThat(Bandwidth.ofMbps(3).bitsPerSecond()).isEqualTo(3_000_000);
        assertThat(Bandwidth.ofGbps(3).bitsPerSecond()).isEqualTo(3_000_000_000L);
        assertThat(Bandwidth.ofBitsPerSecond(1_999_999).toKbps()).isEqualTo(1_999);
        assertThat(Bandwidth.ofBitsPerSecond(1_999_999).toMbps()).isEqualTo(1);
        assertThat(Bandwidth.ofBitsPerSecond(999).toKbps()).isZero();
    }

    @Test
    void refusesNegativeAndOverflowingFactories() {
        assertRejected(() -> Bandwidth.ofBitsPerSecond(-1), "-1bit/s", "negative");
        assertRejected(() -> Bandwidth.ofKbps(-1), "-1kbit/s", "negative");
        assertRejected(() -> Bandwidth.ofGbps(Long.MAX_VALUE), Long.MAX_VALUE + "Gbit/s", "more than");
        assertRejected(() -> Bandwidth.ofMbps(9_223_372_036_855L), "9223372036855Mbit/s", "more than");
        assertThat(Bandwidth.ofMbps(9_223_372_036_854L).bitsPerSecond()).isEqualTo(9_223_372_036_854_000_000L);
    }

    @Test
    void addsAndRefusesOverflow() {
        assertThat(Bandwidth.ofMbps(600).plus(Bandwidth.ofMbps(500))).isEqualTo(Bandwidth.parse("1.1G"));
        assertThat(Bandwidth.ZERO.plus(Bandwidth.ZERO)).isEqualTo(Bandwidth.ZERO);
        Bandwidth max = Bandwidth.ofBitsPerSecond(Long.MAX_VALUE);
        assertThatThrownBy(() -> max.plus(Bandwidth.ofBitsPerSecond(1))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void ordersByRate() {
        assertThat(Bandwidth.parse("999M")).isLessThan(Bandwidth.parse("1G"));
        assertThat(Bandwidth.parse("1000M")).isEqualTo(Bandwidth.parse("1G")).hasSameHashCodeAs(Bandwidth.ofGbps(1));
    }
}
