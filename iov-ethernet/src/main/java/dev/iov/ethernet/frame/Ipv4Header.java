package dev.iov.ethernet.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable view of an IPv4 header (RFC 791) in a {@link ByteBuffer}, checked on {@link #wrap}: version 4, IHL at
 * least 5, options inside the buffer, total length at least the header length and no longer than the bytes
 * available. Trailing bytes beyond the total length (Ethernet padding of short packets) are not part of the packet.
 *
 * <p>Fragments: {@link #fragmentOffset()} and {@link #moreFragments()} come from the flags/offset word. Only the
 * first fragment (offset 0) carries the upper-layer header, so only there is {@link #payloadOffset()} the start
 * of a TCP/UDP/SCTP header; in later fragments it is where fragment data starts.
 *
 * <p>Accessors read the buffer directly and are meaningful only after {@link #wrap} returned
 * {@link FrameStatus#OK}. Zero allocation, not thread-safe; see {@link EthernetFrame} for why.
 */
public final class Ipv4Header {

    /** Length of a header without options. */
    public static final int MIN_LENGTH = 20;

    private static final int FLAG_MORE_FRAGMENTS = 0x2000;
    private static final int FLAG_DONT_FRAGMENT = 0x4000;
    private static final int OFFSET_MASK = 0x1FFF;

    private ByteBuffer buffer;
    private int offset;
    private int headerLength;
    private int totalLength;
    private int status = FrameStatus.TRUNCATED_L3;

    /** Creates an unwrapped flyweight. */
    public Ipv4Header() {
    }

    /**
     * Points this flyweight at an IPv4 header and validates it.
     *
     * @param buf the buffer; position, limit and byte order are irrelevant and unchanged
     * @param offset the index of the header's first byte
     * @param available how many bytes from {@code offset} belong to the frame (the IP packet plus any padding)
     * @return {@link FrameStatus#OK}, {@link FrameStatus#TRUNCATED_L3} (the bytes end inside the header or before
     *     the total length) or {@link FrameStatus#BAD_IP_HEADER} (version, IHL or total length inconsistent)
     * @throws IndexOutOfBoundsException when {@code [offset, offset + available)} is not within the buffer's limit
     */
    public int wrap(ByteBuffer buf, int offset, int available) {
        Objects.checkFromIndexSize(offset, available, buf.limit());
        this.buffer = buf;
        this.offset = offset;
        this.headerLength = 0;
        this.totalLength = 0;
        if (available < MIN_LENGTH) {
            return status = FrameStatus.TRUNCATED_L3;
        }
        int versionIhl = Wire.u8(buf, offset);
        if (versionIhl >>> 4 != 4) {
            return status = FrameStatus.BAD_IP_HEADER;
        }
        int hl = (versionIhl & 0x0F) * 4;
        if (hl < MIN_LENGTH) {
            return status = FrameStatus.BAD_IP_HEADER;
        }
        if (hl > available) {
            return status = FrameStatus.TRUNCATED_L3;
        }
        int total = Wire.u16(buf, offset + 2);
        if (total < hl) {
            return status = FrameStatus.BAD_IP_HEADER;
        }
        if (total > available) {
            return status = FrameStatus.TRUNCATED_L3;
        }
        headerLength = hl;
        totalLength = total;
        return status = FrameStatus.OK;
    }

    /** @return the result of the last {@link #wrap} */
    public int status() {
        return status;
    }

    /** @return true when the last {@link #wrap} returned {@link FrameStatus#OK} */
    public boolean isValid() {
        return status == FrameStatus.OK;
    }

    /** @return the index of the header's first byte */
    public int offset() {
        return offset;
    }

    /** @return the version field (4 for a valid header) */
    public int version() {
        return Wire.u8(buffer, offset) >>> 4;
    }

    /** @return the header length in bytes, IHL × 4: 20 to 60 */
    public int headerLength() {
        return headerLength;
    }

    /** @return the total length field: header plus payload, in bytes */
    public int totalLength() {
        return totalLength;
    }

    /** @return the DSCP and ECN byte (formerly type of service) */
    public int tos() {
        return Wire.u8(buffer, offset + 1);
    }

    /** @return the identification field shared by the fragments of one datagram */
    public int identification() {
        return Wire.u16(buffer, offset + 4);
    }

    /** @return true when the DF (don't fragment) flag is set */
    public boolean dontFragment() {
        return (Wire.u16(buffer, offset + 6) & FLAG_DONT_FRAGMENT) != 0;
    }

    /** @return true when the MF (more fragments) flag is set */
    public boolean moreFragments() {
        return (Wire.u16(buffer, offset + 6) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** @return the fragment offset in bytes (the field counts 8-byte units); 0 for the first fragment */
    public int fragmentOffset() {
        return (Wire.u16(buffer, offset + 6) & OFFSET_MASK) * 8;
    }

    /** @return true when this packet is a fragment: MF set or a non-zero offset */
    public boolean isFragment() {
        return (Wire.u16(buffer, offset + 6) & (FLAG_MORE_FRAGMENTS | OFFSET_MASK)) != 0;
    }

    /** @return the time to live */
    public int ttl() {
        return Wire.u8(buffer, offset + 8);
    }

    /** @return the protocol field: {@link IpProtocols#TCP}, {@link IpProtocols#UDP}, ... */
    public int protocol() {
        return Wire.u8(buffer, offset + 9);
    }

    /** @return the source address, first octet in the most significant byte */
    public int source() {
        return Wire.i32(buffer, offset + 12);
    }

    /** @return the destination address, first octet in the most significant byte */
    public int destination() {
        return Wire.i32(buffer, offset + 16);
    }

    /** @return the buffer index of the source address's 4 bytes (for hashing them in place) */
    public int sourceOffset() {
        return offset + 12;
    }

    /** @return the buffer index of the destination address's 4 bytes */
    public int destinationOffset() {
        return offset + 16;
    }

    /** @return the buffer index right after the header and its options */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /** @return the buffer index right after the packet (header plus payload, per the total length) */
    public int end() {
        return offset + totalLength;
    }

    /** @return the payload length, total length minus header length */
    public int payloadLength() {
        return totalLength - headerLength;
    }
}
