package dev.iov.ethernet.rss;

import static dev.iov.ethernet.rss.MicrosoftVectors.int32;
import static dev.iov.ethernet.rss.MicrosoftVectors.int64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.ethernet.rss.MicrosoftVectors.Vector;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ToeplitzHashTest {

    private static final String MICROSOFT_KEY =
            "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa";

    private static final ToeplitzHash RSS = ToeplitzHash.microsoft();
    private static final ReferenceToeplitz REFERENCE = ReferenceToeplitz.of(HexFormat.of().parseHex(MICROSOFT_KEY));

    static List<Vector> ipv4() {
        return MicrosoftVectors.ipv4();
    }

    static List<Vector> ipv6() {
        return MicrosoftVectors.ipv6();
    }

    static List<Vector> all() {
        return List.of(MicrosoftVectors.IPV4, MicrosoftVectors.IPV6).stream().flatMap(List::stream).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv4")
    void ipv4TuplesGiveMicrosoftsHashes(Vector v) {
        int src = int32(v.srcBytes(), 0);
        int dst = int32(v.dstBytes(), 0);

        assertThat(hex(RSS.hashIpv4(src, dst))).isEqualTo(hex(v.hash2()));
        assertThat(hex(RSS.hashIpv4(src, dst, v.sport(), v.dport()))).isEqualTo(hex(v.hash4()));
        assertThat(hex(REFERENCE.hashIpv4(src, dst, v.sport(), v.dport()))).isEqualTo(hex(v.hash4()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6")
    void ipv6TuplesGiveMicrosoftsHashes(Vector v) {
        byte[] s = v.srcBytes();
        byte[] d = v.dstBytes();

        assertThat(hex(RSS.hashIpv6(int64(s, 0), int64(s, 8), int64(d, 0), int64(d, 8)))).isEqualTo(hex(v.hash2()));
        assertThat(hex(RSS.hashIpv6(int64(s, 0), int64(s, 8), int64(d, 0), int64(d, 8), v.sport(), v.dport())))
                .isEqualTo(hex(v.hash4()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void byteInputsAndTheBitByBitReferenceGiveMicrosoftsHashes(Vector v) {
        for (boolean ports : new boolean[] {false, true}) {
            byte[] input = v.input(ports);
            int expected = ports ? v.hash4() : v.hash2();

            assertThat(hex(RSS.hash(input, 0, input.length))).as("table, array, ports=%s", ports)
                    .isEqualTo(hex(expected));
            assertThat(hex(RSS.hash(ByteBuffer.wrap(input), 0, input.length))).as("table, buffer, ports=%s", ports)
                    .isEqualTo(hex(expected));
            assertThat(hex(REFERENCE.hash(input, 0, input.length))).as("bit by bit, ports=%s", ports)
                    .isEqualTo(hex(expected));
        }
    }

    @Test
    void theSwappedDirectionIsADifferentHashWithTheDefaultKey() {
        Vector v = MicrosoftVectors.IPV4.get(0);
        int src = int32(v.srcBytes(), 0);
        int dst = int32(v.dstBytes(), 0);

        // Microsoft's table lists the destination first; hashing in that order would not match it.
        assertThat(RSS.hashIpv4(dst, src, v.dport(), v.sport())).isNotEqualTo(v.hash4());
    }

    @Test
    void theSymmetricKeyGivesBothDirectionsOfAFlowTheSameHash() {
        Vector v = MicrosoftVectors.IPV4.get(0);
        int src = int32(v.srcBytes(), 0);
        int dst = int32(v.dstBytes(), 0);
        ToeplitzHash symmetric = ToeplitzHash.symmetric();

        assertThat(symmetric.hashIpv4(src, dst, v.sport(), v.dport()))
                .isEqualTo(symmetric.hashIpv4(dst, src, v.dport(), v.sport()));
        assertThat(HexFormat.of().formatHex(symmetric.key())).isEqualTo("6d5a".repeat(20));
    }

    @Test
    void theDefaultKeyIsMicrosofts() {
        assertThat(HexFormat.of().formatHex(RSS.key())).isEqualTo(MICROSOFT_KEY);
        assertThat(ToeplitzHash.ofHex(MICROSOFT_KEY)).isEqualTo(RSS);
        assertThat(ToeplitzHash.of(HexFormat.of().parseHex(MICROSOFT_KEY)).hashIpv4(0x420995bb, 0xa18e6450, 2794, 1766))
                .isEqualTo(0x51ccc178);
    }

    @Test
    void keysAreCopied() {
        byte[] key = HexFormat.of().parseHex(MICROSOFT_KEY);
        ToeplitzHash hash = ToeplitzHash.of(key);
        key[0] = 0;
        hash.key()[1] = 0;

        assertThat(hash).isEqualTo(RSS);
    }

    @Test
    void aKeyMustBe40Bytes() {
        assertThatThrownBy(() -> ToeplitzHash.of(new byte[39])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("40 bytes").hasMessageContaining("39");
        assertThatThrownBy(() -> ToeplitzHash.of(new byte[52])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hexKeysAre80DigitsOrEthtoolsColonForm() {
        String colons = MICROSOFT_KEY.replaceAll("(..)(?!$)", "$1:");

        assertThat(ToeplitzHash.ofHex(colons)).isEqualTo(RSS);
        assertThat(ToeplitzHash.ofHex(MICROSOFT_KEY.toUpperCase())).isEqualTo(RSS);
        for (String bad : new String[] {"", MICROSOFT_KEY.substring(2), MICROSOFT_KEY + "00",
            MICROSOFT_KEY.replace('6', 'g'), "0x" + MICROSOFT_KEY.substring(2), colons.replaceFirst(":", "")}) {
            assertThatThrownBy(() -> ToeplitzHash.ofHex(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void bufferInputsAreReadAtTheirOffsetWithoutMovingTheBuffer() {
        byte[] input = MicrosoftVectors.IPV4.get(0).input(true);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64);
        buffer.put(20, input);
        buffer.position(7).limit(40);

        assertThat(RSS.hash(buffer, 20, input.length)).isEqualTo(0x51ccc178);
        assertThat(buffer.position()).isEqualTo(7);
        assertThat(buffer.limit()).isEqualTo(40);
    }

    @Test
    void inputRangesAreChecked() {
        ByteBuffer buffer = ByteBuffer.allocate(64);

        assertThatThrownBy(() -> RSS.hash(buffer, 0, 37)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("37");
        assertThatThrownBy(() -> RSS.hash(buffer.limit(30), 0, 36)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RSS.hash(new byte[8], 4, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> RSS.hash(new byte[8], -1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(RSS.hash(new byte[0], 0, 0)).isZero();
    }

    @Test
    void portsUseTheirLow16Bits() {
        assertThat(RSS.hashIpv4(0x420995bb, 0xa18e6450, 2794 | 0xabcd0000, 1766 | 0xffff0000)).isEqualTo(0x51ccc178);
    }

    @Test
    void hashesPrintAs0xAnd8LowerCaseDigits() {
        assertThat(ToeplitzHash.toHex(0x51ccc178)).isEqualTo("0x51ccc178");
        assertThat(ToeplitzHash.toHex(0x02d1feef)).isEqualTo("0x02d1feef");
        assertThat(ToeplitzHash.toHex(0xDEADBEEF)).isEqualTo("0xdeadbeef");
    }

    private static String hex(int hash) {
        return ToeplitzHash.toHex(hash);
    }
}
