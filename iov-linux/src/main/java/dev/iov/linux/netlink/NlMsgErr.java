package dev.iov.linux.netlink;

import java.nio.ByteBuffer;

/**
 * Flyweight over a {@code struct nlmsgerr} (linux/netlink.h), the payload of an {@link NetlinkConstants#NLMSG_ERROR}
 * message: {@code int error; struct nlmsghdr msg;}, 20 bytes, followed by the rest of the request unless the reply
 * is {@link NetlinkConstants#NLM_F_CAPPED}, then extended-ACK attributes if it is
 * {@link NetlinkConstants#NLM_F_ACK_TLVS}.
 */
public final class NlMsgErr {

    /** Size of the fixed part in bytes. */
    public static final int LENGTH = 4 + NlMsgHdr.LENGTH;

    private final NlMsgHdr request = new NlMsgHdr();
    private ByteBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a structure.
     *
     * @param buffer the buffer holding it
     * @param offset absolute index of its first byte (the payload of the error message)
     * @return this flyweight
     */
    public NlMsgErr wrap(ByteBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        request.wrap(buffer, offset + 4);
        return this;
    }

    /** @return the error: 0 for an acknowledgement, otherwise a negated errno */
    public int error() {
        return NativeBytes.s32(buffer, offset);
    }

    /**
     * Sets the error.
     *
     * @param error 0 or a negated errno
     * @return this flyweight
     */
    public NlMsgErr error(int error) {
        NativeBytes.putS32(buffer, offset, error);
        return this;
    }

    /** @return a flyweight over the header of the request this error answers (owned by this flyweight) */
    public NlMsgHdr request() {
        return request;
    }
}
