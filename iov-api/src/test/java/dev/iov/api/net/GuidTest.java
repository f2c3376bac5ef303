package dev.iov.api.net;

import static dev.iov.api.net.ParseContract.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuidTest {

    @Test
    void parsesSysfsAndHexForms() {
        Guid expected = Guid.of(0x0002c90300456b21L);
        assertThat(Guid.parse("0002:c903:0045:6b21")).isEqualTo(expected);
        assertThat(Guid.parse("2:C903:45:6b21")).isEqualTo(expected);
        assertThat(Guid.parse("0x0002c90300456b21")).isEqualTo(expected);
        assertThat(Guid.parse("0X2C90300456B21")).isEqualTo(expected);
        assertThat(expected).hasToString("0002:c903:0045:6b21");
        assertThat(expected.toHexString()).isEqualTo("0x0002c90300456b21");
        assertThat(expected.toLong()).isEqualTo(0x0002c90300456b21L);
    }

    @Test
    void handlesTheTopBitAndZero() {
        Guid top = Guid.parse("0xffffffffffffffff");
        assertThat(top.toLong()).isEqualTo(-1L);
        assertThat(top).hasToString("ffff:ffff:ffff:ffff");
        assertThat(Guid.parse("0x0")).isEqualTo(Guid.ZERO).hasToString("0000:0000:0000:0000");
        assertThat(Guid.ZERO.isZero()).isTrue();
        assertThat(Guid.of(1).isZero()).isFalse();
        assertThat(Guid.ZERO.toHexString()).isEqualTo("0x0000000000000000");
    }

    @Test
    void ordersUnsigned() {
        assertThat(Guid.of(0x8000000000000000L)).isGreaterThan(Guid.of(0x7fffffffffffffffL));
        assertThat(Guid.of(-1)).isGreaterThan(Guid.of(1));
        assertThat(Guid.ZERO).isLessThan(Guid.of(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0x                     | expected 0x followed by 1-16 hex digits",
        "0x10000000000000000    | expected 0x followed by 1-16 hex digits",
        "0xg                    | expected 0x followed by 1-16 hex digits",
        "0x-1                   | expected 0x followed by 1-16 hex digits",
        "0002:c903:0045         | expected xxxx:xxxx:xxxx:xxxx",
        "0002:c903:0045:6b21:1  | expected xxxx:xxxx:xxxx:xxxx",
        "0002:c903:00455:6b21   | group '00455' is not 1-4 hex digits",
        "0002::0045:6b21        | group '' is not 1-4 hex digits",
        "0002:c9o3:0045:6b21    | group 'c9o3' is not 1-4 hex digits",
        "1234                   | expected xxxx:xxxx:xxxx:xxxx",
        "\"\"                   | expected xxxx:xxxx:xxxx:xxxx",
    })
    void refusesBadText(String input, String reason) {
        assertRejected(() -> Guid.parse(input), input, reason);
    }
}
