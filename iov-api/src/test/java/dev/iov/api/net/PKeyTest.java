package dev.iov.api.net;

import static dev.iov.api.net.ParseContract.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PKeyTest {

    @Test
    void splitsMembershipAndPartition() {
        PKey full = PKey.parse("0x8012");
        assertThat(full.value()).isEqualTo(0x8012);
        assertThat(full.partition()).isEqualTo(0x12);
        assertThat(full.isFullMember()).isTrue();
        assertThat(full.asLimited()).isEqualTo(PKey.of(0x0012));
        assertThat(full.asLimited().isFullMember()).isFalse();
        assertThat(full.asLimited().asFull()).isEqualTo(full);
        assertThat(full.asFull()).isSameAs(full);
    }

    @Test
    void parsesHexAndDecimalAndPrintsFourHexDigits() {
        assertThat(PKey.parse("32769")).isEqualTo(PKey.of(0x8001)).hasToString("0x8001");
        assertThat(PKey.parse("0X7FFF")).hasToString("0x7fff");
        assertThat(PKey.parse("0x1")).hasToString("0x0001");
        assertThat(PKey.parse("0x0000ffff")).isEqualTo(PKey.DEFAULT);
        assertThat(PKey.DEFAULT.value()).isEqualTo(0xffff);
        assertThat(PKey.DEFAULT.partition()).isEqualTo(0x7fff);
    }

    @Test
    void refusesPartitionZero() {
        assertRejected(() -> PKey.of(0), "0x0000", "partition 0 is invalid");
        assertRejected(() -> PKey.of(0x8000), "0x8000", "partition 0 is invalid");
        assertRejected(() -> PKey.parse("0x8000"), "0x8000", "partition 0 is invalid");
        assertRejected(() -> PKey.parse("0"), "0", "partition 0 is invalid");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0x10000               | out of range",
        "65536                 | out of range",
        "99999999999999999999  | out of range",
        "0x                    | expected hex digits after 0x",
        "0xfffg                | expected hex digits after 0x",
        "-1                    | expected 0x and hex digits, or a decimal number",
        "ffff                  | expected 0x and hex digits, or a decimal number",
        "\"\"                  | expected 0x and hex digits, or a decimal number",
    })
    void refusesBadText(String input, String reason) {
        assertRejected(() -> PKey.parse(input), input, reason);
    }

    @Test
    void refusesOutOfRangeInts() {
        assertRejected(() -> PKey.of(0x10000), "0x10000", "out of range");
        assertRejected(() -> PKey.of(-1), "-1", "out of range");
    }

    @Test
    void membersOfOnePartitionTalkUnlessBothAreLimited() {
        PKey full = PKey.of(0x8005);
        PKey limited = PKey.of(0x0005);
        assertThat(full.canCommunicateWith(full)).isTrue();
        assertThat(full.canCommunicateWith(limited)).isTrue();
        assertThat(limited.canCommunicateWith(full)).isTrue();
        assertThat(limited.canCommunicateWith(limited)).isFalse();
        assertThat(full.canCommunicateWith(PKey.of(0x8006))).isFalse();
        assertThat(full.canCommunicateWith(PKey.DEFAULT)).isFalse();
    }
}
