package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The virtio-net header codec (round trips, little-endian layout, shift) and the software checksum finish. */
class VirtioNetHeaderTest {

    @Property
    void fieldsRoundTrip(@ForAll @IntRange(max = 255) int flags, @ForAll @IntRange(max = 255) int gsoType,
            @ForAll @IntRange(max = 65535) int hdrLen, @ForAll @IntRange(max = 65535) int gsoSize,
            @ForAll @IntRange(max = 65535) int csumStart, @ForAll @IntRange(max = 65535) int csumOffset,
            @ForAll @IntRange(max = 6) int at) {
        ByteBuffer buf = ByteBuffer.allocate(16);
        VirtioNetHeader.put(buf, at, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
        assertThat(VirtioNetHeader.flags(buf, at)).isEqualTo(flags);
        assertThat(VirtioNetHeader.gsoType(buf, at)).isEqualTo(gsoType);
        assertThat(VirtioNetHeader.hdrLen(buf, at)).isEqualTo(hdrLen);
        assertThat(VirtioNetHeader.gsoSize(buf, at)).isEqualTo(gsoSize);
        assertThat(VirtioNetHeader.csumStart(buf, at)).isEqualTo(csumStart);
        assertThat(VirtioNetHeader.csumOffset(buf, at)).isEqualTo(csumOffset);
        assertThat(VirtioNetHeader.isOffloaded(buf, at))
                .isEqualTo((flags & 1) != 0 || (gsoType & ~VirtioNetHeader.GSO_ECN) != 0);
    }

    @Test
    void layoutIsLittleEndianAsTheKernelWritesIt() {
        ByteBuffer buf = ByteBuffer.allocate(10);
        VirtioNetHeader.put(buf, 0, 1, 1, 0x0036, 0x05a8, 0x0022, 0x0010);
        assertThat(buf.array()).containsExactly(1, 1, 0x36, 0, (byte) 0xa8, 5, 0x22, 0, 0x10, 0);
    }

    @Test
    void shiftMovesChecksumStartAndHeaderLengthOnly() {
        ByteBuffer buf = ByteBuffer.allocate(10);
        VirtioNetHeader.put(buf, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 66, 1448, 34, 16);
        VirtioNetHeader.shift(buf, 0, 4);
        assertThat(VirtioNetHeader.csumStart(buf, 0)).isEqualTo(38);
        assertThat(VirtioNetHeader.hdrLen(buf, 0)).isEqualTo(70);
        assertThat(VirtioNetHeader.csumOffset(buf, 0)).isEqualTo(16);
        assertThat(VirtioNetHeader.gsoSize(buf, 0)).isEqualTo(1448);
        VirtioNetHeader.put(buf, 0, 0, 0, 0, 0, 34, 16);
        VirtioNetHeader.shift(buf, 0, -4);
        assertThat(VirtioNetHeader.csumStart(buf, 0)).as("no partial checksum: left alone").isEqualTo(34);
        assertThat(VirtioNetHeader.hdrLen(buf, 0)).isZero();
    }

    /** A finished checksum makes the one's complement sum of the covered bytes (pseudo sum included) 0xffff. */
    @Property
    void finishedChecksumsVerify(@ForAll @Size(min = 8, max = 300) byte[] payload,
            @ForAll @IntRange(max = 65535) int pseudo, @ForAll @IntRange(max = 7) int offset) {
        ByteBuffer frame = ByteBuffer.allocateDirect(offset + 20 + payload.length);
        frame.put(offset + 20, payload);
        int length = 20 + payload.length;
        frame.putShort(offset + 20 + 6, (short) pseudo);
        assertThat(VirtioNetHeader.finishChecksum(frame, offset, length, 20, 6)).isTrue();
        long sum = 0;
        for (int i = 20; i < length; i += 2) {
            int hi = frame.get(offset + i) & 0xff;
            int lo = i + 1 < length ? frame.get(offset + i + 1) & 0xff : 0;
            sum += hi << 8 | lo;
        }
        // The field now holds ~(data + pseudo); adding the pseudo sum back must give all ones.
        sum += pseudo;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int field = frame.getShort(offset + 26) & 0xffff;
        assertThat(sum == 0xffff || field == 0xffff).as("sum 0x%04x, field 0x%04x", sum, field).isTrue();
    }

    @Test
    void checksumOutsideTheFrameIsRefusedAndLittleEndianBuffersToo() {
        ByteBuffer frame = ByteBuffer.allocateDirect(64);
        assertThat(VirtioNetHeader.finishChecksum(frame, 0, 40, 34, 6)).isFalse();
        assertThat(VirtioNetHeader.finishChecksum(frame, 0, 40, 40, 0)).isFalse();
        assertThatThrownBy(() -> VirtioNetHeader.finishChecksum(frame.duplicate().order(ByteOrder.LITTLE_ENDIAN),
                0, 64, 34, 6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LITTLE_ENDIAN");
    }
}
