package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.NLMSGERR_ATTR_MSG;
import static dev.iov.linux.netlink.NetlinkConstants.NLMSGERR_ATTR_OFFS;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_ACK_TLVS;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_CAPPED;

/**
 * Reads the outcome carried by an {@code NLMSG_ERROR} or {@code NLMSG_DONE} message: the error code and, when the
 * socket asked for extended acks, the kernel's explanation ({@code NLMSGERR_ATTR_MSG}) and the offset of the
 * offending attribute ({@code NLMSGERR_ATTR_OFFS}). Reusable; allocates only the message string when there is one.
 */
final class ErrorReply {

    private final NlMsgErr nlmsgerr = new NlMsgErr();
    private final AttributeReader tlvs = new AttributeReader();
    private int error;
    private String message;
    private int attributeOffset;

    /**
     * Reads an {@code NLMSG_ERROR} message: {@code struct nlmsgerr}, the echoed request unless capped, then the
     * extended-ACK attributes if flagged.
     */
    ErrorReply readError(MessageReader reply) {
        reset();
        int payload = reply.payloadOffset();
        if (reply.payloadLength() < 4) {
            throw new NetlinkDecodeException("NLMSG_ERROR without an error code", reply.offset());
        }
        nlmsgerr.wrap(reply.buffer(), payload);
        error = nlmsgerr.error();
        if ((reply.flags() & NLM_F_ACK_TLVS) == 0) {
            return this;
        }
        int available = reply.payloadLength() - 4;
        if (available < NlMsgHdr.LENGTH) {
            throw new NetlinkDecodeException("NLMSG_ERROR flags TLVs but lacks the echoed header", reply.offset());
        }
        int echoed = (reply.flags() & NLM_F_CAPPED) != 0 ? NlMsgHdr.LENGTH : nlmsgerr.request().length();
        if (echoed < NlMsgHdr.LENGTH || echoed > available) {
            throw new NetlinkDecodeException("echoed request length " + Integer.toUnsignedString(echoed)
                    + " does not fit the " + available + " bytes after the error code", reply.offset());
        }
        int start = Math.min(payload + 4 + NativeBytes.align(echoed), reply.payloadEnd());
        readTlvs(reply, start);
        return this;
    }

    /**
     * Reads an {@code NLMSG_DONE} message: an optional {@code int} error (a dump that failed part-way), then the
     * extended-ACK attributes if flagged.
     */
    ErrorReply readDone(MessageReader reply) {
        reset();
        if (reply.payloadLength() >= 4) {
            error = NativeBytes.s32(reply.buffer(), reply.payloadOffset());
            if ((reply.flags() & NLM_F_ACK_TLVS) != 0) {
                readTlvs(reply, reply.payloadOffset() + 4);
            }
        }
        return this;
    }

    /** @return 0 for success, otherwise a negated errno */
    int error() {
        return error;
    }

    /** @return the kernel's explanation, or null if it sent none */
    String message() {
        return message;
    }

    /** @return the offset in the request of the attribute the kernel rejected, or -1 if not reported */
    int attributeOffset() {
        return attributeOffset;
    }

    /** @return the kernel's explanation and the rejected attribute's offset, or null when it reported neither */
    String detail() {
        if (message == null && attributeOffset < 0) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        if (message != null) {
            text.append("kernel says \"").append(message).append('"');
        }
        if (attributeOffset >= 0) {
            text.append(message == null ? "" : ", ").append("at request offset ").append(attributeOffset);
        }
        return text.toString();
    }

    private void readTlvs(MessageReader reply, int start) {
        tlvs.wrap(reply.buffer(), start, reply.payloadEnd());
        while (tlvs.next()) {
            if (tlvs.type() == NLMSGERR_ATTR_MSG) {
                message = tlvs.string();
            } else if (tlvs.type() == NLMSGERR_ATTR_OFFS) {
                attributeOffset = tlvs.s32();
            }
        }
    }

    private void reset() {
        error = 0;
        message = null;
        attributeOffset = -1;
    }
}
