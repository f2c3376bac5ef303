package dev.iov.ethernet.frame;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable view of an IPv6 header (RFC 8200) in a {@link ByteBuffer}. {@link #wrap} checks the fixed header and
 * walks the extension headers to the upper-layer protocol:
 *
 * <ul>
 *   <li>hop-by-hop (0), routing (43), destination options (60), mobility (135), HIP (139), Shim6 (140): length
 *       field in 8-byte units, not counting the first 8;</li>
 *   <li>AH (51): length field in 4-byte units, minus 2 (RFC 4302);</li>
 *   <li>fragment (44): fixed 8 bytes. A fragment with a non-zero offset does not carry the headers that follow
 *       the fragment header, so the walk stops there and reports the fragment header's next header;</li>
 *   <li>ESP (50), no next header (59) and anything else end the walk and are the upper-layer protocol.</li>
 * </ul>
 *
 * <p>The walk is bounded by the payload length, and every step advances at least 8 bytes, so a hostile chain
 * cannot loop. Bytes beyond 40 + payload length (Ethernet padding) are not part of the packet.
 *
 * <p>Accessors read the buffer directly and are meaningful only after {@link #wrap} returned
 * {@link FrameStatus#OK}. Zero allocation, not thread-safe; see {@link EthernetFrame} for why.
 */
public final class Ipv6Header {

    /** Length of the fixed header. */
    public static final int LENGTH = 40;

    private static final int EXTENSION_UNIT = 8;
    private static final int FRAGMENT_HEADER_LENGTH = 8;
    private static final int FRAGMENT_OFFSET_MASK = 0xFFF8;

    private ByteBuffer buffer;
    private int offset;
    private int payloadLength;
    private int upperLayerProtocol;
    private int upperLayerOffset;
    private boolean fragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private int status = FrameStatus.TRUNCATED_L3;

    /** Creates an unwrapped flyweight. */
    public Ipv6Header() {
    }

    /**
     * Points this flyweight at an IPv6 header, validates it and walks its extension headers.
     *
     * @param buf the buffer; position, limit and byte order are irrelevant and unchanged
     * @param offset the index of the header's first byte
     * @param available how many bytes from {@code offset} belong to the frame (the IP packet plus any padding)
     * @return {@link FrameStatus#OK}; {@link FrameStatus#TRUNCATED_L3} when the bytes end inside the fixed header
     *     or before the payload length; {@link FrameStatus#BAD_IP_HEADER} when the version is not 6;
     *     {@link FrameStatus#BAD_IPV6_EXTENSION} when an extension header runs past the payload
     * @throws IndexOutOfBoundsException when {@code [offset, offset + available)} is not within the buffer's limit
     */
    public int wrap(ByteBuffer buf, int offset, int available) {
        Objects.checkFromIndexSize(offset, available, buf.limit());
        this.buffer = buf;
        this.offset = offset;
        this.payloadLength = 0;
        this.upperLayerProtocol = EthernetFrame.NONE;
        this.upperLayerOffset = EthernetFrame.NONE;
        this.fragment = false;
        this.moreFragments = false;
        this.fragmentOffset = 0;
        if (available < LENGTH) {
            return status = FrameStatus.TRUNCATED_L3;
        }
        if (Wire.u8(buf, offset) >>> 4 != 6) {
            return status = FrameStatus.BAD_IP_HEADER;
        }
        int plen = Wire.u16(buf, offset + 4);
        if (LENGTH + plen > available) {
            return status = FrameStatus.TRUNCATED_L3;
        }
        payloadLength = plen;
        return status = walk(Wire.u8(buf, offset + 6), offset + LENGTH, offset + LENGTH + plen);
    }

    private int walk(int firstNextHeader, int firstAt, int end) {
        ByteBuffer buf = buffer;
        int next = firstNextHeader;
        int at = firstAt;
        while (true) {
            int length;
            switch (next) {
                case IpProtocols.HOP_BY_HOP:
                case IpProtocols.ROUTING:
                case IpProtocols.DESTINATION_OPTIONS:
                case IpProtocols.MOBILITY:
                case IpProtocols.HIP:
                case IpProtocols.SHIM6:
                    if (at + EXTENSION_UNIT > end) {
                        return FrameStatus.BAD_IPV6_EXTENSION;
                    }
                    length = (Wire.u8(buf, at + 1) + 1) * EXTENSION_UNIT;
                    break;
                case IpProtocols.AH:
                    if (at + EXTENSION_UNIT > end) {
                        return FrameStatus.BAD_IPV6_EXTENSION;
                    }
                    length = (Wire.u8(buf, at + 1) + 2) * 4;
                    break;
                case IpProtocols.FRAGMENT:
                    if (at + FRAGMENT_HEADER_LENGTH > end) {
                        return FrameStatus.BAD_IPV6_EXTENSION;
                    }
                    int word = Wire.u16(buf, at + 2);
                    fragment = true;
                    fragmentOffset = word & FRAGMENT_OFFSET_MASK;
                    moreFragments = (word & 1) != 0;
                    length = FRAGMENT_HEADER_LENGTH;
                    if (fragmentOffset != 0) {
                        // A later fragment: what follows is fragment data, not the next header.
                        upperLayerProtocol = Wire.u8(buf, at);
                        upperLayerOffset = at + length;
                        return FrameStatus.OK;
                    }
                    break;
                default:
                    upperLayerProtocol = next;
                    upperLayerOffset = at;
                    return FrameStatus.OK;
            }
            if (at + length > end) {
                return FrameStatus.BAD_IPV6_EXTENSION;
            }
            next = Wire.u8(buf, at);
            at += length;
        }
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

    /** @return the version field (6 for a valid header) */
    public int version() {
        return Wire.u8(buffer, offset) >>> 4;
    }

    /** @return the traffic class (DSCP and ECN) */
    public int trafficClass() {
        return (Wire.u16(buffer, offset) >>> 4) & 0xFF;
    }

    /** @return the 20-bit flow label */
    public int flowLabel() {
        return Wire.i32(buffer, offset) & 0xF_FFFF;
    }

    /** @return the payload length field: extension headers plus upper-layer data, in bytes */
    public int payloadLength() {
        return payloadLength;
    }

    /** @return the fixed header's next-header field (the first extension header, or the upper layer) */
    public int nextHeader() {
        return Wire.u8(buffer, offset + 6);
    }

    /** @return the hop limit */
    public int hopLimit() {
        return Wire.u8(buffer, offset + 7);
    }

    /** @return the first 8 bytes of the source address, big-endian */
    public long sourceHigh() {
        return Wire.i64(buffer, offset + 8);
    }

    /** @return the last 8 bytes of the source address, big-endian */
    public long sourceLow() {
        return Wire.i64(buffer, offset + 16);
    }

    /** @return the first 8 bytes of the destination address, big-endian */
    public long destinationHigh() {
        return Wire.i64(buffer, offset + 24);
    }

    /** @return the last 8 bytes of the destination address, big-endian */
    public long destinationLow() {
        return Wire.i64(buffer, offset + 32);
    }

    /** @return the buffer index of the source address's 16 bytes (for hashing them in place) */
    public int sourceOffset() {
        return offset + 8;
    }

    /** @return the buffer index of the destination address's 16 bytes */
    public int destinationOffset() {
        return offset + 24;
    }

    /**
     * @return the protocol after the extension headers ({@link IpProtocols#TCP}, {@link IpProtocols#ESP},
     *     {@link IpProtocols#NO_NEXT_HEADER}, ...); for a later fragment, the fragment header's next header
     */
    public int upperLayerProtocol() {
        return upperLayerProtocol;
    }

    /**
     * @return the buffer index where the upper-layer header starts; for a later fragment, where its fragment data
     *     starts
     */
    public int upperLayerOffset() {
        return upperLayerOffset;
    }

    /** @return the buffer index right after the packet (fixed header plus payload length) */
    public int end() {
        return offset + LENGTH + payloadLength;
    }

    /** @return true when a fragment header was found on the walk */
    public boolean isFragment() {
        return fragment;
    }

    /** @return the fragment offset in bytes, 0 when not a fragment or for the first fragment */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** @return true when the fragment header's M flag is set */
    public boolean moreFragments() {
        return moreFragments;
    }
}
