package dev.iov.ethernet.frame;

import dev.iov.ethernet.EtherTypes;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable view of one Ethernet II frame in a {@link ByteBuffer}: destination and source MAC, up to two VLAN tags
 * (802.1ad S-tag {@code 0x88a8} and/or 802.1Q C-tag {@code 0x8100}, in either order, including two stacked
 * {@code 0x8100} tags), the EtherType of the payload, and in-place tag push, pop and VID rewrite.
 *
 * <h2>Why flyweights (the rationale for this whole package)</h2>
 *
 * <p>The switch forwards tens of millions of frames per second per core, so the per-frame budget is a few dozen
 * nanoseconds. Allocating even one small object per frame costs more than the parse itself and, at that rate,
 * turns into continuous young-generation collections whose pauses show up as latency spikes and drops. So, in the
 * style of Agrona and Netty:
 *
 * <ul>
 *   <li>A flyweight holds no frame data, only a buffer reference and an offset. {@link #wrap} points it at the next
 *       frame; one instance per forwarding thread serves every frame.</li>
 *   <li>Fields are read with absolute {@code get}/{@code put} at computed indexes: the buffer's position and limit
 *       are never touched (no {@code slice()}/{@code duplicate()}, which allocate), the bytes are read where the NIC
 *       or TAP device put them, and two threads reading one buffer cannot disturb each other's cursor.</li>
 *   <li>Values are primitives: a MAC is a {@code long} (the encoding of {@link dev.iov.api.net.MacAddress#toLong}),
 *       an IPv4 address an {@code int}, an absent value {@link #NONE}. No boxing, no {@code Optional}.</li>
 *   <li>A malformed frame is data, not a bug: parsing returns a {@link FrameStatus} code that the caller counts.
 *       Exceptions are reserved for programming errors (bounds outside the buffer, a VID above 4095), because
 *       building a stack trace per bad frame would let any sender slow the switch down.</li>
 *   <li>Wide fields are read with one {@code getShort}/{@code getInt}/{@code getLong} each, not byte by byte, and
 *       the small fixed header is parsed eagerly in {@link #wrap} so that accessors are field reads.</li>
 * </ul>
 *
 * <h2>Layout and parsing</h2>
 *
 * <p>{@link #wrap} needs 14 bytes ({@link FrameStatus#TOO_SHORT} otherwise). While the EtherType is a VLAN TPID
 * ({@link EtherTypes#isVlanTag}) and fewer than {@link #MAX_TAGS} tags were read, it reads a tag; a tag whose TCI
 * or following EtherType lies past the end of the frame makes the frame {@link FrameStatus#TRUNCATED_TAG}. A third
 * tag is not parsed: it is the payload, with {@link #payloadEtherType()} equal to its TPID.
 *
 * <h2>Editing tags: headroom, not payload moves</h2>
 *
 * <p>{@link #pushTag} makes room for a 4-byte tag by moving the 12 MAC bytes 4 bytes <em>left</em>, into headroom
 * before the frame, exactly as Linux's {@code skb_vlan_push} and DPDK's {@code rte_vlan_insert} do: moving 12 bytes
 * costs the same for every frame, whereas moving the payload right would cost up to a full MTU and need tailroom.
 * The frame therefore <em>starts 4 bytes earlier</em> after a push: read {@link #offset()} and {@link #length()}
 * again. Receive paths should leave headroom before each frame (Linux reserves {@code NET_SKB_PAD}, DPDK 128
 * bytes); with fewer than {@link #TAG_LENGTH} bytes between the buffer's index 0 and the frame, the push is refused
 * with {@link FrameStatus#NO_HEADROOM} and nothing changes. {@link #popTag} does the reverse: the MAC bytes move 4
 * bytes right over the outer tag and the frame starts 4 bytes later, which gives the headroom back. Push then pop
 * restores the frame's bytes and bounds exactly. No edit ever writes past the frame's end.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class EthernetFrame {

    /** Length of the untagged header: destination MAC, source MAC, EtherType. */
    public static final int HEADER_LENGTH = 14;
    /** Length of one VLAN tag: TPID and TCI. */
    public static final int TAG_LENGTH = 4;
    /** How many stacked tags {@link #wrap} parses. */
    public static final int MAX_TAGS = 2;
    /** Returned by accessors for a value the frame does not have (a tag it lacks, a field of a short frame). */
    public static final int NONE = -1;
    /** The largest VLAN ID a tag can carry. */
    public static final int MAX_VID = 4095;
    /** The largest priority code point. */
    public static final int MAX_PCP = 7;

    private static final int MAC_BYTES = 12;
    private static final int ETHER_TYPE_AT = 12;
    private static final int OUTER_TCI_AT = 14;
    private static final int INNER_TPID_AT = 16;
    private static final int INNER_TCI_AT = 18;

    private ByteBuffer buffer;
    private int offset;
    private int length;
    private int status = FrameStatus.TOO_SHORT;
    private int tagCount;
    private int payloadEtherType = NONE;
    private int payloadOffset = NONE;
    private long destination = NONE;
    private long source = NONE;
    private int outerTci = NONE;

    /** Creates an unwrapped flyweight; {@link #status()} is {@link FrameStatus#TOO_SHORT} until {@link #wrap}. */
    public EthernetFrame() {
    }

    /**
     * Points this flyweight at a frame and parses its header and tags. Allocates nothing.
     *
     * @param buf the buffer holding the frame; its position, limit and byte order are irrelevant and unchanged
     * @param offset the index of the frame's first byte (the destination MAC)
     * @param length the frame's length in bytes, without FCS
     * @return {@link FrameStatus#OK}, {@link FrameStatus#TOO_SHORT} or {@link FrameStatus#TRUNCATED_TAG}, also
     *     available from {@link #status()}
     * @throws IndexOutOfBoundsException when {@code [offset, offset + length)} is not within {@code [0, limit)}; a
     *     programming error, not a property of the frame
     */
    public int wrap(ByteBuffer buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.limit());
        if (this.buffer != buf) {
            // Frames of a batch usually share one receive buffer; skipping the unchanged store skips its GC write
            // barrier too.
            this.buffer = buf;
        }
        this.offset = offset;
        this.length = length;
        return parse();
    }

    private int parse() {
        tagCount = 0;
        payloadEtherType = NONE;
        payloadOffset = NONE;
        outerTci = NONE;
        if (length < HEADER_LENGTH) {
            destination = NONE;
            source = NONE;
            return status = FrameStatus.TOO_SHORT;
        }
        // Two overlapping 8-byte loads cover the 14-byte header: bytes 0-7 hold the destination, bytes 6-13 the
        // source and the EtherType. Both stay inside a minimal frame.
        long head = Wire.i64(buffer, offset);
        long mid = Wire.i64(buffer, offset + 6);
        destination = head >>> 16;
        source = mid >>> 16;
        int type = (int) mid & 0xFFFF;
        if (!EtherTypes.isVlanTag(type)) {
            payloadEtherType = type;
            payloadOffset = offset + HEADER_LENGTH;
            return status = FrameStatus.OK;
        }
        int end = offset + length;
        int typeAt = offset + ETHER_TYPE_AT;
        int tags = 0;
        while (tags < MAX_TAGS && EtherTypes.isVlanTag(type)) {
            // The tag's TCI and the EtherType after it must both be inside the frame.
            if (typeAt + TAG_LENGTH + 2 > end) {
                tagCount = tags;
                return status = FrameStatus.TRUNCATED_TAG;
            }
            int tciAndType = Wire.i32(buffer, typeAt + 2);
            if (tags == 0) {
                outerTci = tciAndType >>> 16;
            }
            tags++;
            typeAt += TAG_LENGTH;
            type = tciAndType & 0xFFFF;
        }
        tagCount = tags;
        payloadEtherType = type;
        payloadOffset = typeAt + 2;
        return status = FrameStatus.OK;
    }

    /** @return the buffer last passed to {@link #wrap}, or null before the first wrap */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @return the index of the frame's first byte; moves by 4 on {@link #pushTag} and {@link #popTag} */
    public int offset() {
        return offset;
    }

    /** @return the frame's length in bytes; grows by 4 on {@link #pushTag}, shrinks by 4 on {@link #popTag} */
    public int length() {
        return length;
    }

    /** @return the result of the last parse: {@link FrameStatus#OK} or a layer-2 error code */
    public int status() {
        return status;
    }

    /** @return true when the header and every announced tag (up to two) are complete */
    public boolean isValid() {
        return status == FrameStatus.OK;
    }

    /** @return the destination MAC as a 48-bit number, or {@link #NONE} when the frame is too short */
    public long destination() {
        return destination;
    }

    /** @return the source MAC as a 48-bit number, or {@link #NONE} when the frame is too short */
    public long source() {
        return source;
    }

    /**
     * @return the EtherType field right after the source MAC (the outer TPID of a tagged frame), or {@link #NONE}
     *     when the frame is too short
     */
    public int etherType() {
        return status == FrameStatus.TOO_SHORT ? NONE : Wire.u16(buffer, offset + ETHER_TYPE_AT);
    }

    /** @return how many complete VLAN tags were parsed: 0, 1 or 2 */
    public int tagCount() {
        return tagCount;
    }

    /** @return the outer tag's TPID ({@code 0x8100} or {@code 0x88a8}), or {@link #NONE} when untagged */
    public int outerTpid() {
        return tagCount > 0 ? Wire.u16(buffer, offset + ETHER_TYPE_AT) : NONE;
    }

    /** @return the outer tag's whole TCI (PCP, DEI, VID), or {@link #NONE} when untagged */
    public int outerTci() {
        return tagCount > 0 ? outerTci : NONE;
    }

    /** @return the outer tag's VLAN ID, 0 to 4095 (0 is a priority tag), or {@link #NONE} when untagged */
    public int outerVid() {
        return tagCount > 0 ? outerTci & MAX_VID : NONE;
    }

    /** @return the outer tag's priority code point, 0 to 7, or {@link #NONE} when untagged */
    public int outerPcp() {
        return tagCount > 0 ? outerTci >>> 13 : NONE;
    }

    /** @return the outer tag's drop-eligible indicator, 0 or 1, or {@link #NONE} when untagged */
    public int outerDei() {
        return tagCount > 0 ? (outerTci >>> 12) & 1 : NONE;
    }

    /** @return the inner (second) tag's TPID, or {@link #NONE} when the frame has fewer than two tags */
    public int innerTpid() {
        return tagCount > 1 ? Wire.u16(buffer, offset + INNER_TPID_AT) : NONE;
    }

    /** @return the inner tag's whole TCI, or {@link #NONE} when the frame has fewer than two tags */
    public int innerTci() {
        return tagCount > 1 ? Wire.u16(buffer, offset + INNER_TCI_AT) : NONE;
    }

    /** @return the inner tag's VLAN ID, or {@link #NONE} when the frame has fewer than two tags */
    public int innerVid() {
        return tagCount > 1 ? Wire.u16(buffer, offset + INNER_TCI_AT) & MAX_VID : NONE;
    }

    /** @return the inner tag's priority code point, or {@link #NONE} when the frame has fewer than two tags */
    public int innerPcp() {
        return tagCount > 1 ? Wire.u16(buffer, offset + INNER_TCI_AT) >>> 13 : NONE;
    }

    /** @return the inner tag's drop-eligible indicator, or {@link #NONE} when the frame has fewer than two tags */
    public int innerDei() {
        return tagCount > 1 ? (Wire.u16(buffer, offset + INNER_TCI_AT) >>> 12) & 1 : NONE;
    }

    /**
     * @return the EtherType after the parsed tags (IPv4, IPv6, ARP, or a third tag's TPID), or {@link #NONE} when
     *     the frame is not valid
     */
    public int payloadEtherType() {
        return payloadEtherType;
    }

    /** @return the buffer index where the payload (for IP, the IP header) starts, or {@link #NONE} when invalid */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** @return the payload's length in bytes (Ethernet padding included), or {@link #NONE} when invalid */
    public int payloadLength() {
        return payloadOffset == NONE ? NONE : offset + length - payloadOffset;
    }

    /**
     * Inserts a VLAN tag in front of the existing ones (it becomes the outer tag), using 4 bytes of headroom: the
     * MAC addresses move 4 bytes left and the frame then starts at {@code offset() - 4}, {@code length() + 4} bytes
     * long, and is parsed again. DEI is 0. Pushing onto a frame that already has two tags is allowed; the third
     * tag is then parsed as payload.
     *
     * @param tpid {@link EtherTypes#VLAN_8021Q} or {@link EtherTypes#QINQ_8021AD}
     * @param vid the VLAN ID, 0 to 4095
     * @param pcp the priority code point, 0 to 7
     * @return {@link FrameStatus#OK}; {@link FrameStatus#NO_HEADROOM} when the frame starts less than 4 bytes into
     *     the buffer; the frame's layer-2 error when it is not valid. Nothing changes unless the result is OK.
     * @throws IllegalArgumentException when the TPID, VID or PCP is out of range (a configuration error)
     * @throws java.nio.ReadOnlyBufferException when the buffer is read-only; nothing is changed then
     */
    public int pushTag(int tpid, int vid, int pcp) {
        if (!EtherTypes.isVlanTag(tpid) || (vid & ~MAX_VID) != 0 || (pcp & ~MAX_PCP) != 0) {
            throw badTag(tpid, vid, pcp);
        }
        if (status != FrameStatus.OK) {
            return status;
        }
        if (offset < TAG_LENGTH) {
            return FrameStatus.NO_HEADROOM;
        }
        ByteBuffer buf = buffer;
        int from = offset;
        int to = from - TAG_LENGTH;
        // Read all 12 bytes before writing: source and destination overlap. Same order in and out, so the
        // buffer's byte order does not matter for a plain move.
        long head = buf.getLong(from);
        int tail = buf.getInt(from + 8);
        buf.putLong(to, head);
        buf.putInt(to + 8, tail);
        Wire.putU16(buf, to + MAC_BYTES, tpid);
        Wire.putU16(buf, to + MAC_BYTES + 2, (pcp << 13) | vid);
        offset = to;
        length += TAG_LENGTH;
        return parse();
    }

    /**
     * Removes the outer VLAN tag: the MAC addresses move 4 bytes right over it, and the frame then starts at
     * {@code offset() + 4}, {@code length() - 4} bytes long, and is parsed again (the bytes before the new offset
     * are headroom again). The inner tag, if any, becomes the outer one.
     *
     * @return {@link FrameStatus#OK} when a tag was removed (check {@link #status()} for the re-parse of what
     *     remains); {@link FrameStatus#NO_TAG} when untagged; the frame's layer-2 error when it is not valid.
     *     Nothing changes unless the result is OK.
     * @throws java.nio.ReadOnlyBufferException when the buffer is read-only; nothing is changed then
     */
    public int popTag() {
        if (status != FrameStatus.OK) {
            return status;
        }
        if (tagCount == 0) {
            return FrameStatus.NO_TAG;
        }
        ByteBuffer buf = buffer;
        int from = offset;
        int to = from + TAG_LENGTH;
        long head = buf.getLong(from);
        int tail = buf.getInt(from + 8);
        buf.putLong(to, head);
        buf.putInt(to + 8, tail);
        offset = to;
        length -= TAG_LENGTH;
        parse();
        return FrameStatus.OK;
    }

    /**
     * Replaces the outer tag's VLAN ID, keeping its TPID, PCP and DEI.
     *
     * @param vid the new VLAN ID, 0 to 4095
     * @return {@link FrameStatus#OK}; {@link FrameStatus#NO_TAG} when untagged; the frame's layer-2 error when it
     *     is not valid
     * @throws IllegalArgumentException when the VID is out of range
     * @throws java.nio.ReadOnlyBufferException when the buffer is read-only
     */
    public int rewriteOuterVid(int vid) {
        if ((vid & ~MAX_VID) != 0) {
            throw new IllegalArgumentException("VLAN ID " + vid + " is outside 0..4095");
        }
        if (status != FrameStatus.OK) {
            return status;
        }
        if (tagCount == 0) {
            return FrameStatus.NO_TAG;
        }
        int tci = (outerTci & ~MAX_VID) | vid;
        Wire.putU16(buffer, offset + OUTER_TCI_AT, tci);
        outerTci = tci;
        return FrameStatus.OK;
    }

    private static IllegalArgumentException badTag(int tpid, int vid, int pcp) {
        return new IllegalArgumentException("cannot push a VLAN tag with TPID 0x" + Integer.toHexString(tpid)
                + ", VID " + vid + ", PCP " + pcp + ": expected TPID 0x8100 or 0x88a8, VID 0..4095, PCP 0..7");
    }
}
