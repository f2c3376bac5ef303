package dev.iov.linux.netlink;

import dev.iov.api.net.MacAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Walks a run of netlink attributes ({@code struct nlattr}: {@code u16 nla_len; u16 nla_type;} then the payload,
 * padded to 4 bytes), checking every length before reading behind it.
 *
 * <pre>{@code
 * AttributeReader attrs = new AttributeReader().wrap(buffer, firstAttribute, messageEnd);
 * while (attrs.next()) {
 *     switch (attrs.type()) {
 *         case IFLA_MTU -> mtu = attrs.u32();
 *         case IFLA_LINKINFO -> attrs.nested(linkInfo);   // another reader, reused
 *     }
 * }
 * }</pre>
 *
 * <p>The typed getters check that the payload is long enough for the type; a malformed input of any shape ends in
 * {@link NetlinkDecodeException} naming the offset, never in another exception. Reusable; not thread-safe; only
 * {@link #bytes()}, {@link #string()}, {@link #macAddress()} and {@link #inetAddress()} allocate.
 */
public final class AttributeReader {

    /** Size of an attribute header ({@code NLA_HDRLEN}). */
    public static final int HEADER_LENGTH = 4;

    private ByteBuffer buffer;
    private int next;
    private int end;
    private int offset = -1;
    private int length;
    private int rawType;

    /**
     * Points the reader at a run of attributes.
     *
     * @param buffer the buffer
     * @param start absolute index of the first attribute
     * @param end absolute index just past the run
     * @return this reader
     * @throws NetlinkDecodeException when the region lies outside the buffer's limit
     */
    public AttributeReader wrap(ByteBuffer buffer, int start, int end) {
        if (start < 0 || end < start || end > buffer.limit()) {
            throw new NetlinkDecodeException("attribute region [" + start + ", " + end
                    + ") outside the buffer's limit " + buffer.limit(), start);
        }
        this.buffer = buffer;
        this.next = start;
        this.end = end;
        this.offset = -1;
        return this;
    }

    /**
     * Advances to the next attribute.
     *
     * @return false when no attribute is left
     * @throws NetlinkDecodeException when 1 to 3 bytes are left, or the attribute's length is below 4 or runs past
     *     the end of the run
     */
    public boolean next() {
        if (next >= end) {
            offset = -1;
            return false;
        }
        int remaining = end - next;
        if (remaining < HEADER_LENGTH) {
            throw new NetlinkDecodeException("truncated attribute header (" + remaining + " bytes left)", next);
        }
        int len = NativeBytes.u16(buffer, next);
        if (len < HEADER_LENGTH) {
            throw new NetlinkDecodeException("attribute length " + len + " below 4", next);
        }
        if (len > remaining) {
            throw new NetlinkDecodeException("attribute length " + len + " runs past the end (" + remaining
                    + " bytes left)", next);
        }
        offset = next;
        length = len;
        rawType = NativeBytes.u16(buffer, next + 2);
        next = Math.min(next + NativeBytes.align(len), end);
        return true;
    }

    /** @return the attribute type without the {@code NLA_F_NESTED}/{@code NLA_F_NET_BYTEORDER} flags */
    public int type() {
        return rawType & NetlinkConstants.NLA_TYPE_MASK;
    }

    /** @return the type field as sent, flags included */
    public int rawType() {
        return rawType;
    }

    /** @return whether the sender marked the payload as nested ({@code NLA_F_NESTED}) */
    public boolean isNestedFlagSet() {
        return (rawType & NetlinkConstants.NLA_F_NESTED) != 0;
    }

    /** @return absolute index of the current attribute's header */
    public int offset() {
        return offset;
    }

    /** @return the current attribute's {@code nla_len} (header plus payload, without padding) */
    public int length() {
        return length;
    }

    /** @return absolute index of the current attribute's payload */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** @return the payload length in bytes */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /** @return the buffer being read */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Checks that the payload holds at least this many bytes.
     *
     * @param bytes the minimum payload length
     * @return absolute index of the payload
     * @throws NetlinkDecodeException when it is shorter
     */
    public int require(int bytes) {
        if (payloadLength() < bytes) {
            throw new NetlinkDecodeException("attribute type " + type() + " has " + payloadLength()
                    + " payload bytes, needs " + bytes, offset);
        }
        return payloadOffset();
    }

    /** @return the payload as an unsigned byte */
    public int u8() {
        return NativeBytes.u8(buffer, require(1));
    }

    /** @return the payload as an unsigned 16-bit host-order value */
    public int u16() {
        return NativeBytes.u16(buffer, require(2));
    }

    /** @return the payload as an unsigned 16-bit network-order value (e.g. a UDP port) */
    public int be16() {
        return NativeBytes.be16(buffer, require(2));
    }

    /** @return the payload as a 32-bit host-order value; read unsigned quantities with {@link #u32()} */
    public int s32() {
        return NativeBytes.s32(buffer, require(4));
    }

    /** @return the payload as an unsigned 32-bit host-order value */
    public long u32() {
        return NativeBytes.s32(buffer, require(4)) & 0xffff_ffffL;
    }

    /** @return the payload as a 64-bit host-order value */
    public long u64() {
        return NativeBytes.u64(buffer, require(8));
    }

    /**
     * Reads a 32-bit field of a structure payload.
     *
     * @param fieldOffset offset of the field inside the payload
     * @return the field, host order
     * @throws NetlinkDecodeException when the payload does not reach the end of the field
     */
    public int s32At(int fieldOffset) {
        return NativeBytes.s32(buffer, require(fieldOffset + 4) + fieldOffset);
    }

    /**
     * Reads a 64-bit field of a structure payload.
     *
     * @param fieldOffset offset of the field inside the payload
     * @return the field, host order
     * @throws NetlinkDecodeException when the payload does not reach the end of the field
     */
    public long u64At(int fieldOffset) {
        return NativeBytes.u64(buffer, require(fieldOffset + 8) + fieldOffset);
    }

    /**
     * Reads a big-endian 16-bit field of a structure payload.
     *
     * @param fieldOffset offset of the field inside the payload
     * @return the field
     * @throws NetlinkDecodeException when the payload does not reach the end of the field
     */
    public int be16At(int fieldOffset) {
        return NativeBytes.be16(buffer, require(fieldOffset + 2) + fieldOffset);
    }

    /** @return the payload up to its first NUL (or its end), decoded as UTF-8 */
    public String string() {
        int start = payloadOffset();
        int stop = start;
        int limit = offset + length;
        while (stop < limit && buffer.get(stop) != 0) {
            stop++;
        }
        byte[] bytes = new byte[stop - start];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return a copy of the payload */
    public byte[] bytes() {
        byte[] bytes = new byte[payloadLength()];
        buffer.get(payloadOffset(), bytes);
        return bytes;
    }

    /**
     * Reads a payload that is exactly a 6-byte MAC address.
     *
     * @return the address
     * @throws NetlinkDecodeException when the payload is not 6 bytes long
     */
    public MacAddress macAddress() {
        if (payloadLength() != 6) {
            throw new NetlinkDecodeException("attribute type " + type() + " has " + payloadLength()
                    + " bytes, a MAC address has 6", offset);
        }
        return MacAddress.of(bytes());
    }

    /**
     * Reads a payload that is an IPv4 (4 bytes) or IPv6 (16 bytes) address in network order.
     *
     * @return the address
     * @throws NetlinkDecodeException when the payload has another length
     */
    public InetAddress inetAddress() {
        int len = payloadLength();
        if (len != 4 && len != 16) {
            throw new NetlinkDecodeException("attribute type " + type() + " has " + len
                    + " bytes, an IP address has 4 or 16", offset);
        }
        try {
            return InetAddress.getByAddress(bytes());
        } catch (UnknownHostException impossible) {
            throw new AssertionError("4 and 16 bytes are valid address lengths", impossible);
        }
    }

    /**
     * Points another reader at the attributes nested in the current attribute's payload. The
     * {@code NLA_F_NESTED} flag is not required: the kernel and iproute2 leave it off many nests.
     *
     * @param into the reader to point (reused by the caller to avoid allocation)
     * @return {@code into}
     */
    public AttributeReader nested(AttributeReader into) {
        return into.wrap(buffer, payloadOffset(), offset + length);
    }
}
