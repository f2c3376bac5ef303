package dev.iov.linux.netlink;

import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A {@link NetlinkTransport} that plays canned replies, like Netty's {@code EmbeddedChannel}: each request the
 * client sends is recorded and answered by the next scripted responder, which gets the request's sequence number
 * and returns the datagrams the "kernel" sends back. No datagram queued means a timeout (receive returns 0), and a
 * datagram larger than the space offered is refused with {@code EMSGSIZE} and stays queued, as with
 * {@link dev.iov.linux.RawNetlinkSocket}.
 */
final class FakeTransport implements NetlinkTransport {

    static final int PORT_ID = 0x1234;

    final List<byte[]> sent = new ArrayList<>();
    final List<Integer> receiveSizes = new ArrayList<>();
    private final Deque<IntFunction<List<byte[]>>> responders = new ArrayDeque<>();
    private final Deque<byte[]> queue = new ArrayDeque<>();
    boolean closed;

    /** Queues the answer to the next request. */
    FakeTransport then(IntFunction<List<byte[]>> responder) {
        responders.add(responder);
        return this;
    }

    @Override
    public int portId() {
        return PORT_ID;
    }

    @Override
    public void send(ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        sent.add(bytes);
        int seq = new NlMsgHdr().wrap(ByteBuffer.wrap(bytes), 0).sequence();
        IntFunction<List<byte[]>> responder = responders.poll();
        if (responder != null) {
            queue.addAll(responder.apply(seq));
        }
    }

    @Override
    public int receive(ByteBuffer into, int timeoutMillis) {
        receiveSizes.add(into.remaining());
        byte[] next = queue.peek();
        if (next == null) {
            return 0;
        }
        if (next.length > into.remaining()) {
            throw LinuxException.of(Errno.EMSGSIZE.number(), "netlink receive", "fake");
        }
        queue.poll();
        into.put(next);
        return next.length;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** @return the sequence number of the n-th request sent */
    int sentSequence(int n) {
        return new NlMsgHdr().wrap(ByteBuffer.wrap(sent.get(n)), 0).sequence();
    }
}
