package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-encoded {@code RTM_GETLINK} dump, so the raw socket is tested without the codec that is built on it:
 * a 16-byte {@code nlmsghdr} and a 16-byte {@code ifinfomsg} out, {@code RTM_NEWLINK} messages and
 * {@code NLMSG_DONE} back.
 */
final class LinkDumpByHand {

    static final short NLMSG_ERROR = 2;
    static final short NLMSG_DONE = 3;
    static final short RTM_NEWLINK = 16;
    static final short RTM_GETLINK = 18;
    static final short NLM_F_REQUEST = 0x1;
    static final short NLM_F_DUMP = 0x300;
    static final short IFLA_IFNAME = 3;

    private LinkDumpByHand() {
    }

    /**
     * @param sequence the request's sequence number
     * @param direct whether to return a direct buffer
     * @return the 32-byte request, ready to send
     */
    static ByteBuffer request(int sequence, boolean direct) {
        ByteBuffer message = (direct ? ByteBuffer.allocateDirect(32) : ByteBuffer.allocate(32))
                .order(ByteOrder.nativeOrder());
        message.putInt(32).putShort(RTM_GETLINK).putShort((short) (NLM_F_REQUEST | NLM_F_DUMP)).putInt(sequence)
                .putInt(0);
        // ifinfomsg: family AF_UNSPEC, pad, type, index, flags, change
        message.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0);
        return message.flip();
    }

    /** What a dump returned. */
    static final class Result {
        final List<String> names = new ArrayList<>();
        final List<Integer> replyPortIds = new ArrayList<>();
        final List<Integer> replySequences = new ArrayList<>();
        boolean done;
    }

    /**
     * Receives datagrams until {@code NLMSG_DONE}, collecting link names.
     *
     * @param socket the socket the request was sent on
     * @param buffer a receive buffer, direct or heap
     * @return what was received
     */
    static Result receiveUntilDone(RawNetlinkSocket socket, ByteBuffer buffer) {
        Result result = new Result();
        while (!result.done) {
            buffer.clear();
            int received = socket.receive(buffer, 5000);
            assertThat(received).as("bytes received before the 5 s timeout").isPositive();
            buffer.flip();
            parse(buffer.order(ByteOrder.nativeOrder()), result);
        }
        return result;
    }

    /**
     * Parses one datagram's messages into {@code result}.
     *
     * @param datagram position..limit is the datagram
     * @param result collects names and the end marker
     */
    static void parse(ByteBuffer datagram, Result result) {
        int offset = datagram.position();
        while (offset + 16 <= datagram.limit()) {
            int length = datagram.getInt(offset);
            short type = datagram.getShort(offset + 4);
            result.replySequences.add(datagram.getInt(offset + 8));
            result.replyPortIds.add(datagram.getInt(offset + 12));
            if (type == NLMSG_DONE) {
                result.done = true;
            } else if (type == NLMSG_ERROR) {
                fail("NLMSG_ERROR " + Errno.describe(datagram.getInt(offset + 16)));
            } else if (type == RTM_NEWLINK) {
                int attribute = offset + 32;
                while (attribute + 4 <= offset + length) {
                    int attributeLength = datagram.getShort(attribute) & 0xffff;
                    int attributeType = datagram.getShort(attribute + 2) & 0x3fff;
                    if (attributeType == IFLA_IFNAME) {
                        byte[] name = new byte[attributeLength - 4 - 1];
                        datagram.get(attribute + 4, name);
                        result.names.add(new String(name, StandardCharsets.UTF_8));
                    }
                    attribute += (attributeLength + 3) & ~3;
                }
            }
            offset += (length + 3) & ~3;
        }
    }
}
