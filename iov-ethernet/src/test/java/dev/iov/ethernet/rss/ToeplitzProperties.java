package dev.iov.ethernet.rss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ToeplitzProperties {

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(ToeplitzHash.KEY_LENGTH);
    }

    @Property(tries = 300)
    void theTablesAgreeWithTheBitByBitDefinition(@ForAll("keys") byte[] key,
            @ForAll @Size(max = ToeplitzHash.MAX_INPUT_LENGTH) byte[] input) {
        int expected = ReferenceToeplitz.of(key).hash(input, 0, input.length);

        assertThat(ToeplitzHash.of(key).hash(input, 0, input.length)).isEqualTo(expected);
        assertThat(ToeplitzHash.of(key).hash(ByteBuffer.wrap(input), 0, input.length)).isEqualTo(expected);
    }

    @Property(tries = 300)
    void ipv4TuplesHashTheirWireBytes(@ForAll("keys") byte[] key, @ForAll int src, @ForAll int dst,
            @ForAll @IntRange(max = 65535) int sport, @ForAll @IntRange(max = 65535) int dport) {
        ToeplitzHash hash = ToeplitzHash.of(key);
        ReferenceToeplitz reference = ReferenceToeplitz.of(key);
        byte[] input = ByteBuffer.allocate(12).putInt(src).putInt(dst).putShort((short) sport)
                .putShort((short) dport).array();

        assertThat(hash.hashIpv4(src, dst)).isEqualTo(reference.hash(input, 0, 8));
        assertThat(hash.hashIpv4(src, dst, sport, dport)).isEqualTo(reference.hash(input, 0, 12));
        assertThat(reference.hashIpv4(src, dst, sport, dport)).isEqualTo(reference.hash(input, 0, 12));
    }

    @Property(tries = 300)
    void ipv6TuplesHashTheirWireBytes(@ForAll("keys") byte[] key, @ForAll long srcHi, @ForAll long srcLo,
            @ForAll long dstHi, @ForAll long dstLo, @ForAll @IntRange(max = 65535) int sport,
            @ForAll @IntRange(max = 65535) int dport) {
        ToeplitzHash hash = ToeplitzHash.of(key);
        ReferenceToeplitz reference = ReferenceToeplitz.of(key);
        byte[] input = ByteBuffer.allocate(36).putLong(srcHi).putLong(srcLo).putLong(dstHi).putLong(dstLo)
                .putShort((short) sport).putShort((short) dport).array();

        assertThat(hash.hashIpv6(srcHi, srcLo, dstHi, dstLo)).isEqualTo(reference.hash(input, 0, 32));
        assertThat(hash.hashIpv6(srcHi, srcLo, dstHi, dstLo, sport, dport)).isEqualTo(reference.hash(input, 0, 36));
    }

    @Property
    void theSymmetricKeyHashesBothDirectionsAlike(@ForAll int a, @ForAll int b, @ForAll long aHi, @ForAll long aLo,
            @ForAll long bHi, @ForAll long bLo, @ForAll @IntRange(max = 65535) int aPort,
            @ForAll @IntRange(max = 65535) int bPort) {
        ToeplitzHash symmetric = ToeplitzHash.symmetric();

        assertThat(symmetric.hashIpv4(a, b)).isEqualTo(symmetric.hashIpv4(b, a));
        assertThat(symmetric.hashIpv4(a, b, aPort, bPort)).isEqualTo(symmetric.hashIpv4(b, a, bPort, aPort));
        assertThat(symmetric.hashIpv6(aHi, aLo, bHi, bLo)).isEqualTo(symmetric.hashIpv6(bHi, bLo, aHi, aLo));
        assertThat(symmetric.hashIpv6(aHi, aLo, bHi, bLo, aPort, bPort))
                .isEqualTo(symmetric.hashIpv6(bHi, bLo, aHi, aLo, bPort, aPort));
    }

    @Property
    void theHashIsLinearInItsInput(@ForAll("keys") byte[] key, @ForAll @Size(value = 12) byte[] x,
            @ForAll @Size(value = 12) byte[] y) {
        // Toeplitz is a GF(2)-linear map: hash(x ^ y) == hash(x) ^ hash(y). The tables rely on exactly this.
        ToeplitzHash hash = ToeplitzHash.of(key);
        byte[] xor = new byte[12];
        for (int i = 0; i < 12; i++) {
            xor[i] = (byte) (x[i] ^ y[i]);
        }

        assertThat(hash.hash(xor, 0, 12)).isEqualTo(hash.hash(x, 0, 12) ^ hash.hash(y, 0, 12));
    }
}
