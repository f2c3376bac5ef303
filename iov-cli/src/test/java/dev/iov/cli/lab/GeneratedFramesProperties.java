package dev.iov.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.MacAddress;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The in-process lab's frames are well formed: headers where they belong, and every checksum verifies. */
class GeneratedFramesProperties {

    @Property
    void echoFramesCarryTheirAddressesAndValidChecksums(@ForAll @LongRange(min = 0, max = 0xfeffffffffffL) long src,
            @ForAll @LongRange(min = 0, max = 0xfeffffffffffL) long dst, @ForAll @IntRange(min = 1, max = 254) int a,
            @ForAll @IntRange(min = 1, max = 254) int b, @ForAll @IntRange(min = 0, max = 0xffff) int seq,
            @ForAll boolean reply) {
        MacAddress from = MacAddress.of(src & ~0x010000000000L);
        MacAddress to = MacAddress.of(dst & ~0x010000000000L);
        byte[] frame = GeneratedFrames.echo(from, to, "198.18.1." + a, "198.19.0." + b, seq, reply);
        ByteBuffer buf = ByteBuffer.wrap(frame);

        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(frame, 0, 6))).isEqualTo(to);
        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(frame, 6, 12))).isEqualTo(from);
        assertThat(buf.getShort(12)).isEqualTo((short) 0x0800);
        assertThat(GeneratedFrames.checksum(frame, 14, 20, 0)).as("IPv4 header checksum").isZero();
        assertThat(frame[14 + 9]).isEqualTo((byte) 1);
        assertThat(frame[34]).isEqualTo((byte) (reply ? 0 : 8));
        assertThat(buf.getShort(34 + 6) & 0xffff).isEqualTo(seq);
        assertThat(GeneratedFrames.checksum(frame, 34, frame.length - 34, 0)).as("ICMP checksum").isZero();
    }

    @Property
    void tcpSegmentsHaveAValidChecksumOverThePseudoHeader(@ForAll @IntRange(min = 0, max = 1460) int payload,
            @ForAll @LongRange(min = 0, max = 0xffffffffL) long sequence) {
        byte[] frame = GeneratedFrames.tcpData(MacAddress.parse("02:00:00:00:00:01"),
                MacAddress.parse("02:00:00:00:00:02"), "198.18.1.1", "198.18.1.2", sequence, payload);
        int l4 = frame.length - 34;
        long pseudo = (198 << 8 | 18) + (1 << 8 | 1) + (198 << 8 | 18) + (1 << 8 | 2) + 6 + l4;

        assertThat(l4).isEqualTo(20 + payload);
        assertThat(GeneratedFrames.checksum(frame, 14, 20, 0)).isZero();
        assertThat(GeneratedFrames.checksum(frame, 34, l4, pseudo)).as("TCP checksum").isZero();
        assertThat(ByteBuffer.wrap(frame).getInt(34 + 4) & 0xffffffffL).isEqualTo(sequence);
    }

    @Property
    void gratuitousArpIsABroadcastNamingTheSameAddressTwice(@ForAll @IntRange(min = 1, max = 254) int host) {
        byte[] frame = GeneratedFrames.gratuitousArp(MacAddress.parse("02:00:00:00:00:07"), "198.18.1." + host);

        assertThat(frame).hasSize(GeneratedFrames.MIN_FRAME);
        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(frame, 0, 6))).isEqualTo(MacAddress.BROADCAST);
        assertThat(ByteBuffer.wrap(frame).getShort(12)).isEqualTo((short) 0x0806);
        assertThat(java.util.Arrays.copyOfRange(frame, 28, 32)).isEqualTo(java.util.Arrays.copyOfRange(frame, 38,
                42)).containsExactly((byte) 198, (byte) 18, (byte) 1, (byte) host);
    }
}
