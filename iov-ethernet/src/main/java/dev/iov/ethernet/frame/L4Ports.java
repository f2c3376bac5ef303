package dev.iov.ethernet.frame;

import java.nio.ByteBuffer;

/**
 * The port pair of the transport protocols that have one where RSS and flow hashing expect it: TCP, UDP and SCTP
 * all start with a 16-bit source port followed by a 16-bit destination port, so one pair of reads serves all
 * three. Static methods over a buffer index rather than a flyweight, because there is no state to keep.
 */
public final class L4Ports {

    /** Fixed TCP header length (data offset 5). */
    public static final int TCP_HEADER_LENGTH = 20;
    /** UDP header length. */
    public static final int UDP_HEADER_LENGTH = 8;
    /** SCTP common header length. */
    public static final int SCTP_HEADER_LENGTH = 12;

    private L4Ports() {
    }

    /**
     * @param protocol an IP protocol number
     * @return true for {@link IpProtocols#TCP}, {@link IpProtocols#UDP} and {@link IpProtocols#SCTP}
     */
    public static boolean hasPorts(int protocol) {
        return protocol == IpProtocols.TCP || protocol == IpProtocols.UDP || protocol == IpProtocols.SCTP;
    }

    /**
     * The fixed header length a protocol with ports needs before its ports can be trusted: a header cut short is
     * reported as {@link FrameStatus#TRUNCATED_L4} rather than read past the IP payload.
     *
     * @param protocol an IP protocol number
     * @return 20 for TCP, 8 for UDP, 12 for SCTP, 0 for anything else
     */
    public static int minHeaderLength(int protocol) {
        switch (protocol) {
            case IpProtocols.TCP:
                return TCP_HEADER_LENGTH;
            case IpProtocols.UDP:
                return UDP_HEADER_LENGTH;
            case IpProtocols.SCTP:
                return SCTP_HEADER_LENGTH;
            default:
                return 0;
        }
    }

    /**
     * @param buf the buffer; byte order irrelevant
     * @param l4Offset the index of the TCP, UDP or SCTP header
     * @return the source port, 0 to 65535
     */
    public static int sourcePort(ByteBuffer buf, int l4Offset) {
        return Wire.u16(buf, l4Offset);
    }

    /**
     * @param buf the buffer; byte order irrelevant
     * @param l4Offset the index of the TCP, UDP or SCTP header
     * @return the destination port, 0 to 65535
     */
    public static int destinationPort(ByteBuffer buf, int l4Offset) {
        return Wire.u16(buf, l4Offset + 2);
    }
}
