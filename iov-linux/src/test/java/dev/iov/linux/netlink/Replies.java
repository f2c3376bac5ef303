package dev.iov.linux.netlink;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Builds kernel-style reply datagrams for client tests. */
final class Replies {

    private Replies() {
    }

    /** An acknowledgement: NLMSG_ERROR with error 0, capped (as the kernel sends success acks). */
    static byte[] ack(int seq) {
        return error(seq, 0, null);
    }

    /**
     * An error reply, with the kernel's extended-ACK message when given (NLM_F_CAPPED | NLM_F_ACK_TLVS with the
     * echoed request header only, the shape of a NETLINK_CAP_ACK socket), or without (the full echo omitted too).
     */
    static byte[] error(int seq, int error, String extAck) {
        int flags = NetlinkConstants.NLM_F_CAPPED | (extAck != null ? NetlinkConstants.NLM_F_ACK_TLVS : 0);
        return message(NetlinkConstants.NLMSG_ERROR, flags, seq, w -> {
            NlMsgErr err = new NlMsgErr().wrap(w.buffer(), w.reserve(NlMsgErr.LENGTH));
            err.error(error);
            err.request().length(NlMsgHdr.LENGTH).type(NetlinkConstants.RTM_NEWLINK).sequence(seq);
            if (extAck != null) {
                w.putCString(NetlinkConstants.NLMSGERR_ATTR_MSG, extAck);
                w.putU32(NetlinkConstants.NLMSGERR_ATTR_OFFS, 36);
            }
        });
    }

    /** An error reply that echoes the whole request (no NETLINK_CAP_ACK), then the extended-ACK message. */
    static byte[] errorEchoingRequest(int seq, int error, byte[] request, String extAck) {
        return message(NetlinkConstants.NLMSG_ERROR, NetlinkConstants.NLM_F_ACK_TLVS, seq, w -> {
            w.putU32Raw(error);
            int echo = w.reserve(request.length);
            w.buffer().put(echo, request);
            w.putCString(NetlinkConstants.NLMSGERR_ATTR_MSG, extAck);
        });
    }

    /** NLMSG_DONE with an error code. */
    static byte[] done(int seq, int flags, int error) {
        return message(NetlinkConstants.NLMSG_DONE, NetlinkConstants.NLM_F_MULTI | flags, seq,
                w -> w.putU32Raw(error));
    }

    /** A dump part: an RTM_NEWLINK for a link with this index and name. */
    static byte[] link(int seq, int flags, int index, String name) {
        return message(NetlinkConstants.RTM_NEWLINK, NetlinkConstants.NLM_F_MULTI | flags, seq, w -> {
            w.reserveIfInfoMsg().index(index).flags(NetlinkConstants.IFF_UP);
            w.putCString(NetlinkConstants.IFLA_IFNAME, name);
            w.putU32(NetlinkConstants.IFLA_MTU, 1500);
        });
    }

    /** Several messages in one datagram. */
    static byte[] datagram(byte[]... messages) {
        int total = 0;
        for (byte[] m : messages) {
            total += NativeBytes.align(m.length);
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        for (byte[] m : messages) {
            out.put(m);
            out.position(NativeBytes.align(out.position()));
        }
        return out.array();
    }

    static byte[] message(int type, int flags, int seq, Consumer<Writer> body) {
        ByteBuffer buffer = ByteBuffer.allocate(100_000);
        NetlinkMessageWriter writer = new NetlinkMessageWriter();
        writer.begin(buffer, type, flags);
        writer.header().sequence(seq).portId(FakeTransport.PORT_ID);
        body.accept(new Writer(writer));
        int length = writer.finish();
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    /** The writer plus the raw field the DONE payload needs. */
    static final class Writer {
        private final NetlinkMessageWriter writer;

        Writer(NetlinkMessageWriter writer) {
            this.writer = writer;
        }

        ByteBuffer buffer() {
            return writer.buffer();
        }

        int reserve(int length) {
            return writer.reserve(length);
        }

        IfInfoMsg reserveIfInfoMsg() {
            return writer.reserveIfInfoMsg();
        }

        void putCString(int type, String value) {
            writer.putCString(type, value);
        }

        void putU32(int type, int value) {
            writer.putU32(type, value);
        }

        void putBytes(int type, byte[] value) {
            writer.putBytes(type, value);
        }

        void putU32Raw(int value) {
            NativeBytes.putS32(writer.buffer(), writer.reserve(4), value);
        }
    }
}
