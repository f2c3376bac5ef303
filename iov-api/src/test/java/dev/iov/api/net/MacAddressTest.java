package dev.iov.api.net;

import static dev.iov.api.net.ParseContract.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MacAddressTest {

    @Test
    void parsesColonAndDashFormsInEitherCase() {
        MacAddress expected = MacAddress.of(0x02696f0000abL);
        assertThat(MacAddress.parse("02:69:6f:00:00:ab")).isEqualTo(expected);
        assertThat(MacAddress.parse("02-69-6F-00-00-AB")).isEqualTo(expected);
        assertThat(MacAddress.parse("02:69:6F:00:00:aB")).isEqualTo(expected);
    }

    @Test
    void canonicalTextIsLowercaseWithColons() {
        assertThat(MacAddress.parse("AA-BB-CC-DD-EE-0F")).hasToString("aa:bb:cc:dd:ee:0f");
        assertThat(MacAddress.ZERO).hasToString("00:00:00:00:00:00");
        assertThat(MacAddress.BROADCAST).hasToString("ff:ff:ff:ff:ff:ff");
    }

    @Test
    void bytesAreInWireOrder() {
        byte[] bytes = {0x02, 0x69, 0x6f, 0x01, (byte) 0x80, (byte) 0xff};
        MacAddress mac = MacAddress.of(bytes);
        assertThat(mac.toLong()).isEqualTo(0x02696f0180ffL);
        assertThat(mac.toBytes()).containsExactly(bytes);
        assertThat(mac.toBytes()).isNotSameAs(mac.toBytes());
    }

    @Test
    void refusesMoreThan48Bits() {
        assertRejected(() -> MacAddress.of(1L << 48), "0x1000000000000", "more than 48 bits");
        assertRejected(() -> MacAddress.of(-1L), "0xffffffffffffffff", "more than 48 bits");
        assertThat(MacAddress.of(0xffffffffffffL)).isEqualTo(MacAddress.BROADCAST);
    }

    @Test
    void refusesWrongByteCount() {
        assertRejected(() -> MacAddress.of(new byte[] {1, 2, 3, 4, 5}), "01:02:03:04:05", "expected 6 bytes, got 5");
        assertRejected(() -> MacAddress.of(new byte[7]), "00:00:00:00:00:00:00", "got 7");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "01:02:zz:04:05:06  | 'zz' is not two hex digits",
        "01:02:03:04:05     | expected six 2-digit hex groups",
        "01:02:03:04:05:06:07 | expected six 2-digit hex groups",
        "01:02-03:04:05:06  | expected ':' at position 5",
        "01.02.03.04.05.06  | expected ':' or '-' after the first group",
        "+1:02:03:04:05:06  | '+1' is not two hex digits",
        "01:02:03:04:05: 6  | ' 6' is not two hex digits",
        "0102:03:04:05:06:  | expected ':' or '-' after the first group",
    })
    void refusesMalformedText(String input, String reason) {
        assertRejected(() -> MacAddress.parse(input), input, reason);
    }

    @Test
    void refusesEmptyText() {
        assertRejected(() -> MacAddress.parse(""), "", "expected six 2-digit hex groups");
    }

    @Test
    void refusesNonAsciiDigits() {
        // Character.digit would read these fullwidth digits as 1 and 2.
        String input = "\uff11\uff12:00:00:00:00:00";
        assertRejected(() -> MacAddress.parse(input), input, "is not two hex digits");
    }

    @Test
    void classifiesAddresses() {
        assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
        assertThat(MacAddress.BROADCAST.isMulticast()).isTrue();

        MacAddress ipv4Multicast = MacAddress.parse("01:00:5e:00:00:01");
        assertThat(ipv4Multicast.isMulticast()).isTrue();
        assertThat(ipv4Multicast.isBroadcast()).isFalse();
        assertThat(ipv4Multicast.isUnicast()).isFalse();
        assertThat(ipv4Multicast.isLocallyAdministered()).isFalse();

        MacAddress local = MacAddress.parse("02:69:6f:00:00:01");
        assertThat(local.isUnicast()).isTrue();
        assertThat(local.isLocallyAdministered()).isTrue();

        MacAddress intel = MacAddress.parse("00:1b:21:3a:4b:5c");
        assertThat(intel.isUnicast()).isTrue();
        assertThat(intel.isLocallyAdministered()).isFalse();

        // The I/G and U/L bits live in the first octet only; the same bits in the last octet mean nothing.
        MacAddress lastOctetBits = MacAddress.parse("00:00:00:00:00:03");
        assertThat(lastOctetBits.isMulticast()).isFalse();
        assertThat(lastOctetBits.isLocallyAdministered()).isFalse();
    }

    @Test
    void writesSixBytesAtAnAbsoluteIndexIgnoringByteOrderAndPosition() {
        ByteBuffer buf = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(7);
        MacAddress.parse("02:69:6f:01:02:03").writeTo(buf, 2);
        assertThat(buf.array()).containsExactly(0, 0, 0x02, 0x69, 0x6f, 0x01, 0x02, 0x03, 0, 0);
        assertThat(buf.position()).isEqualTo(7);
    }

    @Test
    void writeThatDoesNotFitThrowsAndWritesNothing() {
        ByteBuffer buf = ByteBuffer.allocate(8);
        assertThatThrownBy(() -> MacAddress.BROADCAST.writeTo(buf, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> MacAddress.BROADCAST.writeTo(buf, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(buf.array()).containsOnly(0);

        buf.limit(7);
        assertThatThrownBy(() -> MacAddress.BROADCAST.writeTo(buf, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> MacAddress.BROADCAST.writeTo(ByteBuffer.allocate(6).asReadOnlyBuffer(), 0))
                .isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void ordersNumericallyAndHasValueEquality() {
        assertThat(MacAddress.parse("00:00:00:00:01:00")).isGreaterThan(MacAddress.parse("00:00:00:00:00:ff"));
        assertThat(MacAddress.BROADCAST).isGreaterThan(MacAddress.parse("fe:ff:ff:ff:ff:ff"));
        assertThat(MacAddress.parse("0a:00:00:00:00:01")).isEqualTo(MacAddress.of(0x0a0000000001L))
                .hasSameHashCodeAs(MacAddress.of(0x0a0000000001L));
        assertThat(MacAddress.of(1)).isNotEqualTo(MacAddress.of(2)).isNotEqualTo("00:00:00:00:00:01");
    }
}
