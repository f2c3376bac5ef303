package dev.iov.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 10-byte {@code struct virtio_net_hdr} (linux/virtio_net.h) that a packet socket with
 * {@code PACKET_VNET_HDR} (or a TAP with {@code IFF_VNET_HDR}) puts in front of every frame: how the frame's
 * checksum and segmentation were left to "the NIC". Read and written in place in a buffer, so nothing is allocated.
 *
 * <p>Layout, little-endian on every platform this project runs on (the legacy virtio header is in host order, and
 * the JVM's {@link ByteBuffer} is told so explicitly here): {@code u8 flags, u8 gso_type, u16 hdr_len, u16 gso_size,
 * u16 csum_start, u16 csum_offset}. {@code csum_start} counts from the first byte of the Ethernet frame.
 *
 * <ul>
 *   <li>{@link #F_NEEDS_CSUM}: the checksum at {@code csum_start + csum_offset} holds only the pseudo-header sum;
 *       the one's complement sum of {@code [csum_start, end)} must be folded in before the frame reaches a reader
 *       that checks it. A receiving kernel does that itself (CHECKSUM_PARTIAL).</li>
 *   <li>{@code gso_type} other than {@link #GSO_NONE}: the frame is a super-frame of up to 64 KiB that the kernel
 *       cuts into {@code gso_size}-byte segments where needed.</li>
 * </ul>
 */
public final class VirtioNetHeader {

    /** The bytes of the header. */
    public static final int LENGTH = 10;
    /** Flag: checksum left partial (see above). */
    public static final int F_NEEDS_CSUM = 1;
    /** Flag: the checksum was verified (received frames only; ignored on send). */
    public static final int F_DATA_VALID = 2;
    /** No segmentation offload. */
    public static final int GSO_NONE = 0;
    /** TCP over IPv4 segmentation. */
    public static final int GSO_TCPV4 = 1;
    /** UDP fragmentation offload. */
    public static final int GSO_UDP = 3;
    /** TCP over IPv6 segmentation. */
    public static final int GSO_TCPV6 = 4;
    /** UDP segmentation (USO). */
    public static final int GSO_UDP_L4 = 5;
    /** Bit or'ed into the GSO type when the segments carry ECN CWR. */
    public static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;

    private VirtioNetHeader() {
    }

    /** @return the flags byte of the header at {@code at} */
    public static int flags(ByteBuffer buf, int at) {
        return buf.get(at + FLAGS) & 0xff;
    }

    /** @return the GSO type byte (with {@link #GSO_ECN}) of the header at {@code at} */
    public static int gsoType(ByteBuffer buf, int at) {
        return buf.get(at + GSO_TYPE) & 0xff;
    }

    /** @return the header length hint (bytes of headers before the payload) of the header at {@code at} */
    public static int hdrLen(ByteBuffer buf, int at) {
        return u16(buf, at + HDR_LEN);
    }

    /** @return the segment payload size of the header at {@code at} */
    public static int gsoSize(ByteBuffer buf, int at) {
        return u16(buf, at + GSO_SIZE);
    }

    /** @return where checksumming starts, from the frame's first byte, in the header at {@code at} */
    public static int csumStart(ByteBuffer buf, int at) {
        return u16(buf, at + CSUM_START);
    }

    /** @return where the checksum is stored, from {@code csum_start}, in the header at {@code at} */
    public static int csumOffset(ByteBuffer buf, int at) {
        return u16(buf, at + CSUM_OFFSET);
    }

    /**
     * @return whether the header at {@code at} asks for any offload work (a partial checksum or segmentation); a
     *     header without is equivalent to all zeroes
     */
    public static boolean isOffloaded(ByteBuffer buf, int at) {
        return (flags(buf, at) & F_NEEDS_CSUM) != 0 || (gsoType(buf, at) & ~GSO_ECN) != GSO_NONE;
    }

    /** Writes a header at {@code at}; every value is taken modulo its field's width. */
    public static void put(ByteBuffer buf, int at, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        buf.put(at + FLAGS, (byte) flags);
        buf.put(at + GSO_TYPE, (byte) gsoType);
        putU16(buf, at + HDR_LEN, hdrLen);
        putU16(buf, at + GSO_SIZE, gsoSize);
        putU16(buf, at + CSUM_START, csumStart);
        putU16(buf, at + CSUM_OFFSET, csumOffset);
    }

    /** Sets the header length hint of the header at {@code at} (modulo 2^16). */
    public static void hdrLen(ByteBuffer buf, int at, int value) {
        putU16(buf, at + HDR_LEN, value);
    }

    /** Writes an all-zero header (no offload) at {@code at}. */
    public static void clear(ByteBuffer buf, int at) {
        buf.putLong(at, 0);
        buf.putShort(at + 8, (short) 0);
    }

    /**
     * Moves the header at {@code at} to a frame whose layer-2 header grew by {@code delta} bytes (negative: shrank),
     * as a VLAN tag push or pop does: {@code csum_start} and a non-zero {@code hdr_len} shift with it, so the
     * partial checksum and segmentation still point at the same layer-3/4 bytes.
     */
    public static void shift(ByteBuffer buf, int at, int delta) {
        if ((flags(buf, at) & F_NEEDS_CSUM) != 0) {
            putU16(buf, at + CSUM_START, csumStart(buf, at) + delta);
        }
        int hdrLen = hdrLen(buf, at);
        if (hdrLen != 0) {
            putU16(buf, at + HDR_LEN, hdrLen + delta);
        }
    }

    /**
     * Finishes a partial checksum in place, what a NIC does for {@link #F_NEEDS_CSUM}: folds the one's complement
     * sum of the frame's bytes {@code [csumStart, length)} (the field holds the pseudo-header sum) and stores it.
     *
     * @param frame the buffer
     * @param offset the frame's first byte
     * @param length the frame's length
     * @param csumStart from the vnet header
     * @param csumOffset from the vnet header
     * @return false (nothing written) when the checksum field does not lie inside the frame
     * @throws IllegalArgumentException if the buffer is not big-endian (frames are read in network order)
     */
    public static boolean finishChecksum(ByteBuffer frame, int offset, int length, int csumStart, int csumOffset) {
        if (frame.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("finishChecksum needs a big-endian buffer, got " + frame.order());
        }
        int field = csumStart + csumOffset;
        if (csumStart >= length || field + 2 > length) {
            return false;
        }
        long sum = 0;
        int i = offset + csumStart;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long w = frame.getLong(i);
            sum += (w >>> 48) + ((w >>> 32) & 0xffff) + ((w >>> 16) & 0xffff) + (w & 0xffff);
        }
        for (; i + 2 <= end; i += 2) {
            sum += frame.getShort(i) & 0xffff;
        }
        if (i < end) {
            sum += (frame.get(i) & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        int checksum = ~(int) sum & 0xffff;
        // UDP sends 0 as "no checksum", so a computed 0 goes out as 0xffff (RFC 768); for TCP both mean the same.
        frame.putShort(offset + field, (short) (checksum == 0 ? 0xffff : checksum));
        return true;
    }

    private static int u16(ByteBuffer buf, int at) {
        return (buf.get(at) & 0xff) | (buf.get(at + 1) & 0xff) << 8;
    }

    private static void putU16(ByteBuffer buf, int at, int value) {
        buf.put(at, (byte) value);
        buf.put(at + 1, (byte) (value >>> 8));
    }
}
