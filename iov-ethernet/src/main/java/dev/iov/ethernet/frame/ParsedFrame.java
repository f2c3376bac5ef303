package dev.iov.ethernet.frame;

/**
 * What {@link FrameParser#parse} found in one frame, as primitive fields: layer 2 (MACs, up to two VLAN tags,
 * EtherType), layer 3 (IPv4 or IPv6 addresses) and layer 4 (protocol, ports, fragment state). One instance is
 * reused for every frame, so read what you need before the next parse.
 *
 * <p>Fields are filled layer by layer, and a layer's fields are only set when that layer parsed: after a layer-3
 * error, {@link #l3Kind()} is {@link #L3_NONE} and the layer-4 fields are absent, but the MACs and tags are there.
 * Absent values are {@link #NONE} (for MACs too, since a 48-bit MAC is never negative).
 *
 * <p>Offsets are absolute indexes into the buffer that was parsed, so RSS can hash address and port bytes in
 * place.
 */
public final class ParsedFrame {

    /** An absent value. */
    public static final int NONE = EthernetFrame.NONE;
    /** {@link #l3Kind()}: no (valid) IP header. */
    public static final int L3_NONE = 0;
    /** {@link #l3Kind()}: a valid IPv4 header. */
    public static final int L3_IPV4 = 4;
    /** {@link #l3Kind()}: a valid IPv6 header and extension-header chain. */
    public static final int L3_IPV6 = 6;

    // Written by FrameParser (same package); every field is reset by reset() before each parse.
    int status;
    int frameOffset;
    int frameLength;
    long destination;
    long source;
    int etherType;
    int tagCount;
    int outerTpid;
    int outerTci;
    int innerTpid;
    int innerTci;
    int payloadEtherType;
    int payloadOffset;
    int l3Kind;
    int l3Offset;
    int sourceAddressOffset;
    int destinationAddressOffset;
    int ipv4Source;
    int ipv4Destination;
    long ipv6SourceHigh;
    long ipv6SourceLow;
    long ipv6DestinationHigh;
    long ipv6DestinationLow;
    boolean fragment;
    boolean firstFragment;
    int l4Protocol;
    int l4Offset;
    int sourcePort;
    int destinationPort;

    /** Creates an empty result, as if a zero-length frame had been parsed. */
    public ParsedFrame() {
        reset(0, 0);
        status = FrameStatus.TOO_SHORT;
    }

    void reset(int offset, int length) {
        status = FrameStatus.OK;
        frameOffset = offset;
        frameLength = length;
        destination = NONE;
        source = NONE;
        etherType = NONE;
        tagCount = 0;
        outerTpid = NONE;
        outerTci = NONE;
        innerTpid = NONE;
        innerTci = NONE;
        payloadEtherType = NONE;
        payloadOffset = NONE;
        l3Kind = L3_NONE;
        l3Offset = NONE;
        sourceAddressOffset = NONE;
        destinationAddressOffset = NONE;
        ipv4Source = 0;
        ipv4Destination = 0;
        ipv6SourceHigh = 0;
        ipv6SourceLow = 0;
        ipv6DestinationHigh = 0;
        ipv6DestinationLow = 0;
        fragment = false;
        firstFragment = false;
        l4Protocol = NONE;
        l4Offset = NONE;
        sourcePort = NONE;
        destinationPort = NONE;
    }

    /** @return {@link FrameStatus#OK} or the first problem found, lowest layer first */
    public int status() {
        return status;
    }

    /** @return true when every layer present parsed without a problem */
    public boolean isValid() {
        return status == FrameStatus.OK;
    }

    /** @return true when the Ethernet header and tags are usable (the frame can be switched) */
    public boolean isL2Valid() {
        return !FrameStatus.isL2Error(status);
    }

    /** @return the index of the frame's first byte, as passed to the parser */
    public int frameOffset() {
        return frameOffset;
    }

    /** @return the frame's length, as passed to the parser */
    public int frameLength() {
        return frameLength;
    }

    /** @return the destination MAC as a 48-bit number, {@link #NONE} when the frame is too short */
    public long destination() {
        return destination;
    }

    /** @return the source MAC as a 48-bit number, {@link #NONE} when the frame is too short */
    public long source() {
        return source;
    }

    /** @return the EtherType field after the source MAC (the outer TPID when tagged), or {@link #NONE} */
    public int etherType() {
        return etherType;
    }

    /** @return how many complete VLAN tags were parsed: 0, 1 or 2 */
    public int tagCount() {
        return tagCount;
    }

    /** @return the outer tag's TPID, or {@link #NONE} when untagged */
    public int outerTpid() {
        return outerTpid;
    }

    /** @return the outer tag's VLAN ID, or {@link #NONE} when untagged */
    public int outerVid() {
        return outerTci == NONE ? NONE : outerTci & EthernetFrame.MAX_VID;
    }

    /** @return the outer tag's priority code point, or {@link #NONE} when untagged */
    public int outerPcp() {
        return outerTci == NONE ? NONE : outerTci >>> 13;
    }

    /** @return the outer tag's drop-eligible indicator, or {@link #NONE} when untagged */
    public int outerDei() {
        return outerTci == NONE ? NONE : (outerTci >>> 12) & 1;
    }

    /** @return the inner tag's TPID, or {@link #NONE} when there are fewer than two tags */
    public int innerTpid() {
        return innerTpid;
    }

    /** @return the inner tag's VLAN ID, or {@link #NONE} when there are fewer than two tags */
    public int innerVid() {
        return innerTci == NONE ? NONE : innerTci & EthernetFrame.MAX_VID;
    }

    /** @return the inner tag's priority code point, or {@link #NONE} when there are fewer than two tags */
    public int innerPcp() {
        return innerTci == NONE ? NONE : innerTci >>> 13;
    }

    /** @return the inner tag's drop-eligible indicator, or {@link #NONE} when there are fewer than two tags */
    public int innerDei() {
        return innerTci == NONE ? NONE : (innerTci >>> 12) & 1;
    }

    /** @return the EtherType after the tags, or {@link #NONE} after a layer-2 error */
    public int payloadEtherType() {
        return payloadEtherType;
    }

    /** @return the buffer index where the payload starts, or {@link #NONE} after a layer-2 error */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** @return {@link #L3_IPV4}, {@link #L3_IPV6}, or {@link #L3_NONE} when there is no valid IP header */
    public int l3Kind() {
        return l3Kind;
    }

    /** @return the buffer index of the IP header, or {@link #NONE} when {@link #l3Kind()} is none */
    public int l3Offset() {
        return l3Offset;
    }

    /** @return the buffer index of the source address (4 or 16 bytes by {@link #l3Kind()}), or {@link #NONE} */
    public int sourceAddressOffset() {
        return sourceAddressOffset;
    }

    /** @return the buffer index of the destination address, or {@link #NONE} */
    public int destinationAddressOffset() {
        return destinationAddressOffset;
    }

    /** @return the IPv4 source address (first octet most significant), 0 when not IPv4 */
    public int ipv4Source() {
        return ipv4Source;
    }

    /** @return the IPv4 destination address, 0 when not IPv4 */
    public int ipv4Destination() {
        return ipv4Destination;
    }

    /** @return the first 8 bytes of the IPv6 source address, big-endian; 0 when not IPv6 */
    public long ipv6SourceHigh() {
        return ipv6SourceHigh;
    }

    /** @return the last 8 bytes of the IPv6 source address; 0 when not IPv6 */
    public long ipv6SourceLow() {
        return ipv6SourceLow;
    }

    /** @return the first 8 bytes of the IPv6 destination address; 0 when not IPv6 */
    public long ipv6DestinationHigh() {
        return ipv6DestinationHigh;
    }

    /** @return the last 8 bytes of the IPv6 destination address; 0 when not IPv6 */
    public long ipv6DestinationLow() {
        return ipv6DestinationLow;
    }

    /** @return true when the IP packet is a fragment (IPv4 MF or offset; IPv6 fragment header) */
    public boolean isFragment() {
        return fragment;
    }

    /** @return true when the IP packet is the first fragment (offset 0) of a fragmented datagram */
    public boolean isFirstFragment() {
        return firstFragment;
    }

    /**
     * @return the upper-layer protocol (IPv4 protocol; IPv6 next header after the extension headers), or
     *     {@link #NONE} when there is no valid IP header
     */
    public int l4Protocol() {
        return l4Protocol;
    }

    /**
     * @return the buffer index where the upper-layer header starts, or {@link #NONE} when there is no valid IP
     *     header or this packet is a later fragment (which carries no upper-layer header)
     */
    public int l4Offset() {
        return l4Offset;
    }

    /** @return true when TCP, UDP or SCTP ports were read (status OK and not a later fragment) */
    public boolean hasPorts() {
        return sourcePort != NONE;
    }

    /** @return the TCP/UDP/SCTP source port, or {@link #NONE} without {@link #hasPorts()} */
    public int sourcePort() {
        return sourcePort;
    }

    /** @return the TCP/UDP/SCTP destination port, or {@link #NONE} without {@link #hasPorts()} */
    public int destinationPort() {
        return destinationPort;
    }

    /** @return a summary for test failures and logs (allocates; never on the per-frame path) */
    @Override
    public String toString() {
        return "ParsedFrame{status=" + FrameStatus.name(status) + ", tags=" + tagCount
                + ", outer=" + Integer.toHexString(outerTpid) + "/" + outerVid()
                + ", inner=" + Integer.toHexString(innerTpid) + "/" + innerVid()
                + ", payloadEtherType=0x" + Integer.toHexString(payloadEtherType) + ", l3=" + l3Kind
                + ", l4Protocol=" + l4Protocol + ", l4Offset=" + l4Offset
                + ", ports=" + sourcePort + "->" + destinationPort + ", fragment=" + fragment
                + ", firstFragment=" + firstFragment + "}";
    }
}
