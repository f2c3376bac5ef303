package dev.iov.linux.netlink;

import java.nio.ByteBuffer;

/**
 * Walks the netlink messages in a received datagram, checking each {@code nlmsg_len} before anything is read
 * behind it.
 *
 * <pre>{@code
 * MessageReader messages = new MessageReader().wrap(buffer, 0, received);
 * while (messages.next()) {
 *     switch (messages.type()) { ... messages.payloadOffset() ... }
 * }
 * }</pre>
 *
 * <p>Reusable and allocation-free; not thread-safe.
 */
public final class MessageReader {

    private final NlMsgHdr header = new NlMsgHdr();
    private ByteBuffer buffer;
    private int next;
    private int end;
    private int offset = -1;
    private int length;

    /**
     * Points the reader at a region holding zero or more messages.
     *
     * @param buffer the buffer
     * @param start absolute index of the first message
     * @param end absolute index just past the last byte
     * @return this reader
     * @throws NetlinkDecodeException when the region lies outside the buffer's limit
     */
    public MessageReader wrap(ByteBuffer buffer, int start, int end) {
        if (start < 0 || end < start || end > buffer.limit()) {
            throw new NetlinkDecodeException("region [" + start + ", " + end + ") outside the buffer's limit "
                    + buffer.limit(), start);
        }
        this.buffer = buffer;
        this.next = start;
        this.end = end;
        this.offset = -1;
        this.length = 0;
        return this;
    }

    /**
     * Advances to the next message.
     *
     * @return false when the region holds no further message
     * @throws NetlinkDecodeException when fewer than 16 bytes remain but some do, or the message's length is below
     *     16 or runs past the end of the region
     */
    public boolean next() {
        if (next >= end) {
            offset = -1;
            return false;
        }
        int remaining = end - next;
        if (remaining < NlMsgHdr.LENGTH) {
            throw new NetlinkDecodeException("truncated netlink header (" + remaining + " bytes left)", next);
        }
        header.wrap(buffer, next);
        int len = header.length();
        if (len < NlMsgHdr.LENGTH) {
            throw new NetlinkDecodeException("nlmsg_len " + Integer.toUnsignedString(len) + " below 16", next);
        }
        if (len > remaining) {
            throw new NetlinkDecodeException("nlmsg_len " + len + " runs past the end (" + remaining
                    + " bytes left)", next);
        }
        offset = next;
        length = len;
        // The last message of a datagram need not be padded to 4 bytes.
        next = (int) Math.min((long) NativeBytes.align(len) + next, end);
        return true;
    }

    /** @return the buffer being read */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** @return the current message's header flyweight (owned by this reader) */
    public NlMsgHdr header() {
        return header;
    }

    /** @return absolute index of the current message */
    public int offset() {
        return offset;
    }

    /** @return the current message's {@code nlmsg_len} */
    public int length() {
        return length;
    }

    /** @return the current message's {@code nlmsg_type} */
    public int type() {
        return header.type();
    }

    /** @return the current message's {@code nlmsg_flags} */
    public int flags() {
        return header.flags();
    }

    /** @return the current message's {@code nlmsg_seq} */
    public int sequence() {
        return header.sequence();
    }

    /** @return absolute index of the current message's payload (just after its header) */
    public int payloadOffset() {
        return offset + NlMsgHdr.LENGTH;
    }

    /** @return absolute index just past the current message's last byte */
    public int payloadEnd() {
        return offset + length;
    }

    /** @return the number of payload bytes of the current message */
    public int payloadLength() {
        return length - NlMsgHdr.LENGTH;
    }

    /**
     * Checks that the current message's payload holds at least a fixed header of this size.
     *
     * @param fixedLength the size of the fixed header, e.g. {@link IfInfoMsg#LENGTH}
     * @return absolute index of the first attribute after the fixed header
     * @throws NetlinkDecodeException when the payload is shorter
     */
    public int requirePayload(int fixedLength) {
        if (payloadLength() < fixedLength) {
            throw new NetlinkDecodeException("message type " + type() + " has " + payloadLength()
                    + " payload bytes, needs " + fixedLength, offset);
        }
        return Math.min(payloadOffset() + NativeBytes.align(fixedLength), payloadEnd());
    }
}
