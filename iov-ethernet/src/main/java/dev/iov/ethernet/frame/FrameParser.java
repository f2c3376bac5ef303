package dev.iov.ethernet.frame;

import dev.iov.ethernet.EtherTypes;
import java.nio.ByteBuffer;

/**
 * Parses a frame once, layer by layer, into a {@link ParsedFrame}: Ethernet and VLAN tags through
 * {@link EthernetFrame}, then IPv4 or IPv6 through {@link Ipv4Header} or {@link Ipv6Header}, then the ports of
 * TCP, UDP or SCTP through {@link L4Ports}. The switch reads the layer-2 fields, RSS the address and port fields;
 * neither re-reads headers.
 *
 * <p>The parser stops at the first problem and reports it as the status; fields of lower layers stay filled.
 * Ports are read only for the first (or only) fragment, since later fragments carry no upper-layer header.
 *
 * <p>The flyweights it uses are its own fields, so {@link #parse} allocates nothing; that also makes a parser
 * single-threaded: one per forwarding thread.
 */
public final class FrameParser {

    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();

    /** Creates a parser with its own flyweights. */
    public FrameParser() {
    }

    /**
     * Parses one frame.
     *
     * @param buf the buffer; position, limit and byte order are irrelevant and unchanged
     * @param offset the index of the frame's first byte
     * @param length the frame's length in bytes, without FCS
     * @param out receives the fields; every field is overwritten
     * @return the status, also in {@link ParsedFrame#status()}
     * @throws IndexOutOfBoundsException when {@code [offset, offset + length)} is not within the buffer's limit
     */
    public int parse(ByteBuffer buf, int offset, int length, ParsedFrame out) {
        EthernetFrame eth = ethernet;
        int status = eth.wrap(buf, offset, length);
        out.reset(offset, length);
        if (status == FrameStatus.TOO_SHORT) {
            return out.status = status;
        }
        out.destination = eth.destination();
        out.source = eth.source();
        out.etherType = eth.etherType();
        out.tagCount = eth.tagCount();
        out.outerTpid = eth.outerTpid();
        out.outerTci = eth.outerTci();
        out.innerTpid = eth.innerTpid();
        out.innerTci = eth.innerTci();
        if (status != FrameStatus.OK) {
            return out.status = status;
        }
        int type = eth.payloadEtherType();
        int l3 = eth.payloadOffset();
        out.payloadEtherType = type;
        out.payloadOffset = l3;
        int end = offset + length;
        if (type == EtherTypes.IPV4) {
            status = parseIpv4(buf, l3, end, out);
        } else if (type == EtherTypes.IPV6) {
            status = parseIpv6(buf, l3, end, out);
        }
        return out.status = status;
    }

    private int parseIpv4(ByteBuffer buf, int l3, int end, ParsedFrame out) {
        Ipv4Header ip = ipv4;
        int status = ip.wrap(buf, l3, end - l3);
        if (status != FrameStatus.OK) {
            return status;
        }
        out.l3Kind = ParsedFrame.L3_IPV4;
        out.l3Offset = l3;
        out.sourceAddressOffset = ip.sourceOffset();
        out.destinationAddressOffset = ip.destinationOffset();
        out.ipv4Source = ip.source();
        out.ipv4Destination = ip.destination();
        int protocol = ip.protocol();
        out.l4Protocol = protocol;
        boolean fragment = ip.isFragment();
        boolean later = ip.fragmentOffset() != 0;
        out.fragment = fragment;
        out.firstFragment = fragment && !later;
        return later ? FrameStatus.OK : parseL4(buf, protocol, ip.payloadOffset(), ip.end(), out);
    }

    private int parseIpv6(ByteBuffer buf, int l3, int end, ParsedFrame out) {
        Ipv6Header ip = ipv6;
        int status = ip.wrap(buf, l3, end - l3);
        if (status != FrameStatus.OK) {
            return status;
        }
        out.l3Kind = ParsedFrame.L3_IPV6;
        out.l3Offset = l3;
        out.sourceAddressOffset = ip.sourceOffset();
        out.destinationAddressOffset = ip.destinationOffset();
        out.ipv6SourceHigh = ip.sourceHigh();
        out.ipv6SourceLow = ip.sourceLow();
        out.ipv6DestinationHigh = ip.destinationHigh();
        out.ipv6DestinationLow = ip.destinationLow();
        int protocol = ip.upperLayerProtocol();
        out.l4Protocol = protocol;
        boolean fragment = ip.isFragment();
        boolean later = ip.fragmentOffset() != 0;
        out.fragment = fragment;
        out.firstFragment = fragment && !later;
        return later ? FrameStatus.OK : parseL4(buf, protocol, ip.upperLayerOffset(), ip.end(), out);
    }

    private static int parseL4(ByteBuffer buf, int protocol, int l4, int l3End, ParsedFrame out) {
        out.l4Offset = l4;
        if (!L4Ports.hasPorts(protocol)) {
            return FrameStatus.OK;
        }
        if (l4 + L4Ports.minHeaderLength(protocol) > l3End) {
            return FrameStatus.TRUNCATED_L4;
        }
        out.sourcePort = L4Ports.sourcePort(buf, l4);
        out.destinationPort = L4Ports.destinationPort(buf, l4);
        return FrameStatus.OK;
    }
}
