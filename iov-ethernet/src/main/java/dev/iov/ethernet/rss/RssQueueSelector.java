package dev.iov.ethernet.rss;

import dev.iov.ethernet.frame.FrameParser;
import dev.iov.ethernet.frame.ParsedFrame;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Chooses the queue of a multi-queue port for a frame, the way an RSS-capable NIC does on receive: parse the frame,
 * hash its flow with Toeplitz, look the hash up in the RETA. Every frame of a flow lands on the same queue (so a
 * queue's consumer sees a flow's frames in order), and flows spread over the queues.
 *
 * <p>What is hashed follows the hash types NICs enable by default (Microsoft's RSS specification, Linux
 * {@code ethtool -n rx-flow-hash}):
 * <ul>
 *   <li>TCP, UDP or SCTP over IPv4 or IPv6, not fragmented: the 4-tuple (addresses and ports).</li>
 *   <li>Any other IPv4 or IPv6 packet, and every fragment (the first one included, so that all fragments of a
 *       datagram stay together; later fragments carry no ports): the 2-tuple (addresses).</li>
 *   <li>Anything else (ARP, non-IP, malformed or truncated frames): no hash, queue {@code reta.queue(0)} — NICs
 *       deliver such frames to the default queue.</li>
 * </ul>
 * VLAN tags (up to two) are skipped, and IPv6 extension headers are walked, by {@link FrameParser}.
 *
 * <p>Allocates nothing and throws nothing for any frame content. Not thread-safe (it owns a parser): one instance
 * per forwarding thread, like the switch. The RETA is shared by reference, so re-balancing it with
 * {@link Reta#set} takes effect on the next frame, as on a NIC.
 */
public final class RssQueueSelector {

    private final ToeplitzHash toeplitz;
    private final Reta reta;
    private final FrameParser parser = new FrameParser();
    private final ParsedFrame parsed = new ParsedFrame();

    /**
     * @param toeplitz the hash function and its key ({@link ToeplitzHash#microsoft()},
     *     {@link ToeplitzHash#symmetric()} when both directions of a flow must meet on one queue)
     * @param reta the redirection table; its size and queue count decide the spread
     */
    public RssQueueSelector(ToeplitzHash toeplitz, Reta reta) {
        this.toeplitz = Objects.requireNonNull(toeplitz, "toeplitz");
        this.reta = Objects.requireNonNull(reta, "reta");
    }

    /**
     * The RSS hash of a frame's flow.
     *
     * @param buf the buffer; position, limit and byte order are irrelevant and unchanged
     * @param offset the index of the frame's first byte
     * @param length the frame's length in bytes
     * @return the Toeplitz hash of the 4-tuple or 2-tuple (see the class comment), or 0 for a frame that is not
     *     hashed
     * @throws IndexOutOfBoundsException when {@code [offset, offset + length)} is not within the buffer's limit
     */
    public int hash(ByteBuffer buf, int offset, int length) {
        ParsedFrame p = parsed;
        parser.parse(buf, offset, length, p);
        boolean ports = p.isValid() && p.hasPorts() && !p.isFragment();
        switch (p.l3Kind()) {
            case ParsedFrame.L3_IPV4:
                return ports
                        ? toeplitz.hashIpv4(p.ipv4Source(), p.ipv4Destination(), p.sourcePort(), p.destinationPort())
                        : toeplitz.hashIpv4(p.ipv4Source(), p.ipv4Destination());
            case ParsedFrame.L3_IPV6:
                return ports
                        ? toeplitz.hashIpv6(p.ipv6SourceHigh(), p.ipv6SourceLow(), p.ipv6DestinationHigh(),
                                p.ipv6DestinationLow(), p.sourcePort(), p.destinationPort())
                        : toeplitz.hashIpv6(p.ipv6SourceHigh(), p.ipv6SourceLow(), p.ipv6DestinationHigh(),
                                p.ipv6DestinationLow());
            default:
                return 0;
        }
    }

    /**
     * The queue a frame goes to.
     *
     * @param buf the buffer; position, limit and byte order are irrelevant and unchanged
     * @param offset the index of the frame's first byte
     * @param length the frame's length in bytes
     * @return {@code reta.queue(hash(buf, offset, length))}, 0 to {@code reta.queues() - 1}
     * @throws IndexOutOfBoundsException when {@code [offset, offset + length)} is not within the buffer's limit
     */
    public int queue(ByteBuffer buf, int offset, int length) {
        return reta.queue(hash(buf, offset, length));
    }

    /** @return the redirection table, shared (changes to it apply to the next frame) */
    public Reta reta() {
        return reta;
    }

    /** @return the hash function */
    public ToeplitzHash toeplitz() {
        return toeplitz;
    }
}
