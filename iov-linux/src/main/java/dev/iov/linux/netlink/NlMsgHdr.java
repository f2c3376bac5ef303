package dev.iov.linux.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over a {@code struct nlmsghdr} (linux/netlink.h): {@code u32 nlmsg_len; u16 nlmsg_type;
 * u16 nlmsg_flags; u32 nlmsg_seq; u32 nlmsg_pid;}, host byte order, 16 bytes.
 *
 * <p>A flyweight holds no data of its own: {@link #wrap} points it at a position in a buffer and the accessors
 * read and write there, so one instance serves every message without allocation. Accessors do not validate the
 * position beyond the buffer's own bounds check; use {@link MessageReader} to walk received bytes safely.
 */
public final class NlMsgHdr {

    /** Size of the header in bytes ({@code NLMSG_HDRLEN}). */
    public static final int LENGTH = 16;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a header.
     *
     * @param buffer the buffer holding the header
     * @param offset absolute index of the header's first byte
     * @return this flyweight
     */
    public NlMsgHdr wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /** @return absolute index of the header in the wrapped buffer */
    public int offset() {
        return offset;
    }

    /** @return {@code nlmsg_len}: the length of the message including this header */
    public int length() {
        return NativeBytes.s32(buffer, offset);
    }

    /**
     * Sets {@code nlmsg_len}.
     *
     * @param length the message length including this header
     * @return this flyweight
     */
    public NlMsgHdr length(int length) {
        NativeBytes.putS32(buffer, offset, length);
        return this;
    }

    /** @return {@code nlmsg_type}, e.g. {@link NetlinkConstants#RTM_NEWLINK} */
    public int type() {
        return NativeBytes.u16(buffer, offset + 4);
    }

    /**
     * Sets {@code nlmsg_type}.
     *
     * @param type the message type
     * @return this flyweight
     */
    public NlMsgHdr type(int type) {
        NativeBytes.putU16(buffer, offset + 4, type);
        return this;
    }

    /** @return {@code nlmsg_flags} ({@code NLM_F_*}) */
    public int flags() {
        return NativeBytes.u16(buffer, offset + 6);
    }

    /**
     * Sets {@code nlmsg_flags}.
     *
     * @param flags the {@code NLM_F_*} flags
     * @return this flyweight
     */
    public NlMsgHdr flags(int flags) {
        NativeBytes.putU16(buffer, offset + 6, flags);
        return this;
    }

    /** @return {@code nlmsg_seq}: the sequence number that pairs replies with requests */
    public int sequence() {
        return NativeBytes.s32(buffer, offset + 8);
    }

    /**
     * Sets {@code nlmsg_seq}.
     *
     * @param sequence the sequence number
     * @return this flyweight
     */
    public NlMsgHdr sequence(int sequence) {
        NativeBytes.putS32(buffer, offset + 8, sequence);
        return this;
    }

    /** @return {@code nlmsg_pid}: the sender's port id (0 for the kernel) */
    public int portId() {
        return NativeBytes.s32(buffer, offset + 12);
    }

    /**
     * Sets {@code nlmsg_pid}.
     *
     * @param portId the sender's port id; requests may leave it 0 and the kernel fills it in
     * @return this flyweight
     */
    public NlMsgHdr portId(int portId) {
        NativeBytes.putS32(buffer, offset + 12, portId);
        return this;
    }
}
