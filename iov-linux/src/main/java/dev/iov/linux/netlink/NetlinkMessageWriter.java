package dev.iov.linux.netlink;

import dev.iov.api.net.MacAddress;
import java.net.InetAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one netlink message into a caller's buffer: the {@code nlmsghdr}, a zeroed fixed header such as
 * {@code ifinfomsg}, and attributes, nested to any depth.
 *
 * <pre>{@code
 * writer.begin(buffer, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
 * ifinfo.wrap(buffer, writer.reserve(IfInfoMsg.LENGTH)).index(3);
 * writer.putU32(IFLA_MTU, 1400);
 * int info = writer.beginNested(IFLA_LINKINFO);
 * writer.putString(IFLA_INFO_KIND, "veth");
 * writer.endNested(info);
 * writer.finish();          // buffer now spans exactly the message, ready to send
 * }</pre>
 *
 * <p>Every attribute is padded with zero bytes to 4-byte alignment right away, so the write position is always
 * aligned and a nest's length (set by {@link #endNested}) covers its padded contents, as both the kernel and
 * iproute2 do. Nothing is allocated, except for a string with non-ASCII characters and for an
 * {@link InetAddress} (Java hands out its bytes only as a new array). A write that would pass the
 * buffer's limit throws {@link BufferOverflowException} and leaves the message unfinished. Reusable; not
 * thread-safe.
 */
public final class NetlinkMessageWriter {

    private final NlMsgHdr header = new NlMsgHdr();
    private final IfInfoMsg ifInfoMsg = new IfInfoMsg();
    private final IfAddrMsg ifAddrMsg = new IfAddrMsg();
    private ByteBuffer buffer;
    private int start;
    private int position;

    /**
     * Starts a message at the buffer's position, writing its header with length 0 (set by {@link #finish}),
     * sequence 0 and port id 0.
     *
     * @param buffer the buffer; the message may use it up to its limit
     * @param type the message type, e.g. {@link NetlinkConstants#RTM_NEWLINK}
     * @param flags the {@code NLM_F_*} flags
     * @return this writer
     */
    public NetlinkMessageWriter begin(ByteBuffer buffer, int type, int flags) {
        this.buffer = buffer;
        this.start = buffer.position();
        this.position = start;
        zeros(NlMsgHdr.LENGTH);
        header.wrap(buffer, start).type(type).flags(flags);
        return this;
    }

    /** @return the header of the message being written (owned by this writer), e.g. to set the sequence */
    public NlMsgHdr header() {
        return header;
    }

    /** @return the buffer being written */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @return absolute index where the next byte will go (always 4-byte aligned relative to the message) */
    public int position() {
        return position;
    }

    /**
     * Reserves a zero-filled fixed header, e.g. {@link IfInfoMsg#LENGTH} bytes for an {@code ifinfomsg}.
     *
     * @param length its size in bytes
     * @return absolute index of the reserved bytes, to wrap a flyweight around
     */
    public int reserve(int length) {
        int at = position;
        zeros(NativeBytes.align(length));
        return at;
    }

    /**
     * Reserves a zero-filled {@code ifinfomsg}, the fixed header of link messages.
     *
     * @return a flyweight over it, owned by this writer and valid until the next call
     */
    public IfInfoMsg reserveIfInfoMsg() {
        return ifInfoMsg.wrap(buffer, reserve(IfInfoMsg.LENGTH));
    }

    /**
     * Reserves a zero-filled {@code ifaddrmsg}, the fixed header of address messages.
     *
     * @return a flyweight over it, owned by this writer and valid until the next call
     */
    public IfAddrMsg reserveIfAddrMsg() {
        return ifAddrMsg.wrap(buffer, reserve(IfAddrMsg.LENGTH));
    }

    /**
     * Adds an attribute with a one-byte payload.
     *
     * @param type the attribute type
     * @param value the value (low 8 bits)
     * @return this writer
     */
    public NetlinkMessageWriter putU8(int type, int value) {
        int at = beginAttribute(type);
        ensure(1);
        NativeBytes.putU8(buffer, position, value);
        position += 1;
        endAttribute(at);
        return this;
    }

    /**
     * Adds an attribute with a 16-bit host-order payload.
     *
     * @param type the attribute type
     * @param value the value (low 16 bits)
     * @return this writer
     */
    public NetlinkMessageWriter putU16(int type, int value) {
        int at = beginAttribute(type);
        ensure(2);
        NativeBytes.putU16(buffer, position, value);
        position += 2;
        endAttribute(at);
        return this;
    }

    /**
     * Adds an attribute with a 16-bit network-order payload, e.g. a UDP port.
     *
     * @param type the attribute type
     * @param value the value (low 16 bits)
     * @return this writer
     */
    public NetlinkMessageWriter putBe16(int type, int value) {
        int at = beginAttribute(type);
        ensure(2);
        NativeBytes.putBe16(buffer, position, value);
        position += 2;
        endAttribute(at);
        return this;
    }

    /**
     * Adds an attribute with a 32-bit host-order payload.
     *
     * @param type the attribute type
     * @param value the value
     * @return this writer
     */
    public NetlinkMessageWriter putU32(int type, int value) {
        int at = beginAttribute(type);
        appendU32(value);
        endAttribute(at);
        return this;
    }

    /**
     * Adds an attribute with a 64-bit host-order payload.
     *
     * @param type the attribute type
     * @param value the value
     * @return this writer
     */
    public NetlinkMessageWriter putU64(int type, long value) {
        int at = beginAttribute(type);
        appendU64(value);
        endAttribute(at);
        return this;
    }

    /**
     * Adds a string attribute with a terminating NUL, the usual form ({@code IFLA_IFNAME}).
     *
     * @param type the attribute type
     * @param value the string, encoded as UTF-8
     * @return this writer
     */
    public NetlinkMessageWriter putCString(int type, String value) {
        int at = beginAttribute(type);
        appendString(value);
        ensure(1);
        NativeBytes.putU8(buffer, position++, 0);
        endAttribute(at);
        return this;
    }

    /**
     * Adds a string attribute without a terminating NUL. iproute2 sends {@code IFLA_INFO_KIND} this way, and the
     * kernel accepts both forms.
     *
     * @param type the attribute type
     * @param value the string, encoded as UTF-8
     * @return this writer
     */
    public NetlinkMessageWriter putString(int type, String value) {
        int at = beginAttribute(type);
        appendString(value);
        endAttribute(at);
        return this;
    }

    /**
     * Adds an attribute whose payload is these bytes.
     *
     * @param type the attribute type
     * @param value the payload
     * @return this writer
     */
    public NetlinkMessageWriter putBytes(int type, byte[] value) {
        int at = beginAttribute(type);
        appendBytes(value, value.length);
        endAttribute(at);
        return this;
    }

    /**
     * Adds an attribute whose payload is a 6-byte MAC address.
     *
     * @param type the attribute type, e.g. {@link NetlinkConstants#IFLA_ADDRESS}
     * @param mac the address
     * @return this writer
     */
    public NetlinkMessageWriter putMac(int type, MacAddress mac) {
        int at = beginAttribute(type);
        appendMac(mac, 6);
        endAttribute(at);
        return this;
    }

    /**
     * Adds an attribute whose payload is an IPv4 or IPv6 address in network order.
     *
     * @param type the attribute type
     * @param address the address
     * @return this writer
     */
    public NetlinkMessageWriter putInetAddress(int type, InetAddress address) {
        byte[] bytes = address.getAddress();
        return putBytes(type, bytes);
    }

    /**
     * Opens a nested attribute without the {@code NLA_F_NESTED} flag, as iproute2's {@code addattr_nest} does.
     *
     * @param type the attribute type
     * @return a token for {@link #endNested}
     */
    public int beginNested(int type) {
        return beginAttribute(type);
    }

    /**
     * Opens a nested attribute.
     *
     * @param type the attribute type
     * @param nestedFlag whether to set {@code NLA_F_NESTED} in the type field (newer kernel policies require it on
     *     some nests; iproute2 sets it only there)
     * @return a token for {@link #endNested}
     */
    public int beginNested(int type, boolean nestedFlag) {
        return beginAttribute(nestedFlag ? type | NetlinkConstants.NLA_F_NESTED : type);
    }

    /**
     * Closes a nested attribute, setting its length to cover everything written since it was opened.
     *
     * @param token the value {@link #beginNested} returned
     * @return this writer
     */
    public NetlinkMessageWriter endNested(int token) {
        endAttribute(token);
        return this;
    }

    /**
     * Opens an attribute whose payload the caller appends field by field with the {@code append*} methods, e.g. a
     * {@code struct ifla_vf_mac}.
     *
     * @param type the attribute type (flags included, if any)
     * @return a token for {@link #endAttribute}
     */
    public int beginAttribute(int type) {
        int at = position;
        ensure(AttributeReader.HEADER_LENGTH);
        NativeBytes.putU16(buffer, at, 0);
        NativeBytes.putU16(buffer, at + 2, type);
        position += AttributeReader.HEADER_LENGTH;
        return at;
    }

    /**
     * Closes an attribute: sets its length to the bytes written since it was opened, then pads with zeros to
     * 4-byte alignment.
     *
     * @param token the value {@link #beginAttribute} returned
     * @return this writer
     * @throws IllegalStateException when the attribute grew beyond the 65535 bytes a length field can hold
     */
    public NetlinkMessageWriter endAttribute(int token) {
        int len = position - token;
        if (len > 0xffff) {
            throw new IllegalStateException("attribute of " + len + " bytes exceeds the 65535-byte nla_len");
        }
        NativeBytes.putU16(buffer, token, len);
        zeros(NativeBytes.align(position - start) - (position - start));
        return this;
    }

    /**
     * Appends a 32-bit host-order field to the open attribute.
     *
     * @param value the value
     * @return this writer
     */
    public NetlinkMessageWriter appendU32(int value) {
        ensure(4);
        NativeBytes.putS32(buffer, position, value);
        position += 4;
        return this;
    }

    /**
     * Appends a 64-bit host-order field to the open attribute.
     *
     * @param value the value
     * @return this writer
     */
    public NetlinkMessageWriter appendU64(long value) {
        ensure(8);
        NativeBytes.putU64(buffer, position, value);
        position += 8;
        return this;
    }

    /**
     * Appends a 16-bit network-order field to the open attribute.
     *
     * @param value the value
     * @return this writer
     */
    public NetlinkMessageWriter appendBe16(int value) {
        ensure(2);
        NativeBytes.putBe16(buffer, position, value);
        position += 2;
        return this;
    }

    /**
     * Appends a fixed-size byte array field, zero-filled after the given bytes (e.g. {@code u8 mac[32]}).
     *
     * @param value the bytes
     * @param fieldLength the size of the field, at least {@code value.length}
     * @return this writer
     */
    public NetlinkMessageWriter appendBytes(byte[] value, int fieldLength) {
        if (fieldLength < value.length) {
            throw new IllegalArgumentException("field of " + fieldLength + " bytes cannot hold " + value.length);
        }
        ensure(fieldLength);
        buffer.put(position, value);
        position += value.length;
        zeros(fieldLength - value.length);
        return this;
    }

    /**
     * Appends a MAC address as a fixed-size field, zero-filled after its 6 bytes (e.g. {@code u8 mac[32]}).
     *
     * @param mac the address
     * @param fieldLength the size of the field, at least 6
     * @return this writer
     */
    public NetlinkMessageWriter appendMac(MacAddress mac, int fieldLength) {
        if (fieldLength < 6) {
            throw new IllegalArgumentException("field of " + fieldLength + " bytes cannot hold a MAC address");
        }
        ensure(fieldLength);
        mac.writeTo(buffer, position);
        position += 6;
        zeros(fieldLength - 6);
        return this;
    }

    /**
     * Appends zero bytes, e.g. the padding inside a C structure.
     *
     * @param count how many
     * @return this writer
     */
    public NetlinkMessageWriter appendZeros(int count) {
        zeros(count);
        return this;
    }

    /**
     * Completes the message: sets {@code nlmsg_len} and sets the buffer's position to the message's start and its
     * limit to the message's end, so the buffer spans exactly the message.
     *
     * @return the message length in bytes
     */
    public int finish() {
        int length = position - start;
        header.length(length);
        buffer.limit(position).position(start);
        return length;
    }

    private void appendString(String value) {
        int n = value.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (!ascii) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            appendBytes(bytes, bytes.length);
            return;
        }
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer.put(position + i, (byte) value.charAt(i));
        }
        position += n;
    }

    private void zeros(int count) {
        ensure(count);
        for (int i = 0; i < count; i++) {
            buffer.put(position + i, (byte) 0);
        }
        position += count;
    }

    private void ensure(int bytes) {
        if (bytes > buffer.limit() - position) {
            throw new BufferOverflowException();
        }
    }
}
