package dev.iov.ethernet.frame;

import static dev.iov.ethernet.frame.TestFrames.buffer;
import static dev.iov.ethernet.frame.TestFrames.bytes;
import static dev.iov.ethernet.frame.TestFrames.concat;
import static dev.iov.ethernet.frame.TestFrames.ethernet;
import static dev.iov.ethernet.frame.TestFrames.ipv4;
import static dev.iov.ethernet.frame.TestFrames.ipv6;
import static dev.iov.ethernet.frame.TestFrames.ipv6Address;
import static dev.iov.ethernet.frame.TestFrames.sctp;
import static dev.iov.ethernet.frame.TestFrames.tcp;
import static dev.iov.ethernet.frame.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.TestFrames.Ext;
import dev.iov.ethernet.frame.TestFrames.Tag;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameParserTest {

    private static final long DST = 0x02_00_00_00_00_0BL;
    private static final long SRC = 0x02_00_00_00_00_0AL;
    private static final int IP_A = 0x0A00_0001; // 10.0.0.1
    private static final int IP_B = 0xC0A8_0102; // 192.168.1.2
    private static final byte[] V6_A = ipv6Address(0x3ffe_2501_0200_1fffL, 0x0000_0000_0000_0007L);
    private static final byte[] V6_B = ipv6Address(0x3ffe_2501_0200_0003L, 0x0000_0000_0000_0001L);
    private static final int MF = 0x2000;

    private final FrameParser parser = new FrameParser();
    private final ParsedFrame parsed = new ParsedFrame();

    private int parse(byte[] frame) {
        return parse(frame, 6);
    }

    /** Parses the frame placed {@code headroom} bytes into a buffer, so offsets are absolute, not frame-relative. */
    private int parse(byte[] frame, int headroom) {
        ByteBuffer buf = buffer(frame, headroom, 3);
        return parser.parse(buf, headroom, frame.length, parsed);
    }

    @Test
    void freshResultIsEmpty() {
        ParsedFrame empty = new ParsedFrame();
        assertThat(empty.status()).isEqualTo(FrameStatus.TOO_SHORT);
        assertThat(empty.l3Kind()).isEqualTo(ParsedFrame.L3_NONE);
        assertThat(empty.hasPorts()).isFalse();
    }

    @Test
    void ipv4Tcp() {
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV4, ipv4(IP_A, IP_B, IpProtocols.TCP, 0, 0x4000,
                tcp(2794, 1766, bytes(10))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.isValid()).isTrue();
        assertThat(parsed.isL2Valid()).isTrue();
        assertThat(parsed.frameOffset()).isEqualTo(6);
        assertThat(parsed.frameLength()).isEqualTo(frame.length);
        assertThat(parsed.destination()).isEqualTo(DST);
        assertThat(parsed.source()).isEqualTo(SRC);
        assertThat(parsed.tagCount()).isZero();
        assertThat(parsed.outerVid()).isEqualTo(ParsedFrame.NONE);
        assertThat(parsed.etherType()).isEqualTo(EtherTypes.IPV4);
        assertThat(parsed.payloadEtherType()).isEqualTo(EtherTypes.IPV4);
        assertThat(parsed.payloadOffset()).isEqualTo(6 + 14);
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_IPV4);
        assertThat(parsed.l3Offset()).isEqualTo(6 + 14);
        assertThat(parsed.ipv4Source()).isEqualTo(IP_A);
        assertThat(parsed.ipv4Destination()).isEqualTo(IP_B);
        assertThat(parsed.sourceAddressOffset()).isEqualTo(6 + 14 + 12);
        assertThat(parsed.destinationAddressOffset()).isEqualTo(6 + 14 + 16);
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.TCP);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 20);
        assertThat(parsed.hasPorts()).isTrue();
        assertThat(parsed.sourcePort()).isEqualTo(2794);
        assertThat(parsed.destinationPort()).isEqualTo(1766);
        assertThat(parsed.isFragment()).isFalse();
        assertThat(parsed.isFirstFragment()).isFalse();
        assertThat(parsed.ipv6SourceHigh()).isZero();
    }

    @Test
    void ipv4UdpInAPaddedMinimumFrameOverQinq() {
        // 14 + 8 (tags) + 20 + 8 + 2 = 52 bytes, padded to 60 as a NIC would; padding is not UDP data.
        byte[] packet = ipv4(IP_B, IP_A, IpProtocols.UDP, 0, 0, udp(53, 40000, bytes(2)));
        byte[] frame = ethernet(DST, SRC, List.of(new Tag(EtherTypes.QINQ_8021AD, 0, 0, 10),
                new Tag(EtherTypes.VLAN_8021Q, 6, 0, 20)), EtherTypes.IPV4, concat(packet, new byte[8]));
        assertThat(parse(frame, 0)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.tagCount()).isEqualTo(2);
        assertThat(parsed.outerTpid()).isEqualTo(EtherTypes.QINQ_8021AD);
        assertThat(parsed.outerVid()).isEqualTo(10);
        assertThat(parsed.innerTpid()).isEqualTo(EtherTypes.VLAN_8021Q);
        assertThat(parsed.innerVid()).isEqualTo(20);
        assertThat(parsed.innerPcp()).isEqualTo(6);
        assertThat(parsed.l3Offset()).isEqualTo(22);
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.UDP);
        assertThat(parsed.l4Offset()).isEqualTo(42);
        assertThat(parsed.sourcePort()).isEqualTo(53);
        assertThat(parsed.destinationPort()).isEqualTo(40000);
    }

    @Test
    void ipv4WithOptions() {
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV4, ipv4(IP_A, IP_B, IpProtocols.UDP, 10, 0,
                udp(1, 65535, bytes(4))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 60);
        assertThat(parsed.sourcePort()).isEqualTo(1);
        assertThat(parsed.destinationPort()).isEqualTo(65535);

        Ipv4Header ip = new Ipv4Header();
        assertThat(ip.wrap(ByteBuffer.wrap(frame), 14, frame.length - 14)).isEqualTo(FrameStatus.OK);
        assertThat(ip.headerLength()).isEqualTo(60);
        assertThat(ip.payloadOffset()).isEqualTo(74);
        assertThat(ip.payloadLength()).isEqualTo(12);
    }

    @Test
    void ipv4HeaderFields() {
        byte[] packet = ipv4(IP_A, IP_B, IpProtocols.SCTP, 1, 0x4000, sctp(7, 8, bytes(4)));
        packet[1] = (byte) 0xB8; // DSCP EF
        Ipv4Header ip = new Ipv4Header();
        assertThat(ip.wrap(ByteBuffer.wrap(packet), 0, packet.length)).isEqualTo(FrameStatus.OK);
        assertThat(ip.isValid()).isTrue();
        assertThat(ip.status()).isEqualTo(FrameStatus.OK);
        assertThat(ip.offset()).isZero();
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.headerLength()).isEqualTo(24);
        assertThat(ip.totalLength()).isEqualTo(packet.length);
        assertThat(ip.end()).isEqualTo(packet.length);
        assertThat(ip.tos()).isEqualTo(0xB8);
        assertThat(ip.identification()).isEqualTo(0x1234);
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.moreFragments()).isFalse();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.fragmentOffset()).isZero();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.protocol()).isEqualTo(IpProtocols.SCTP);
        assertThat(ip.source()).isEqualTo(IP_A);
        assertThat(ip.destination()).isEqualTo(IP_B);
        assertThat(ip.sourceOffset()).isEqualTo(12);
        assertThat(ip.destinationOffset()).isEqualTo(16);
    }

    @Test
    void ipv4FirstFragmentHasPorts() {
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV4, ipv4(IP_A, IP_B, IpProtocols.UDP, 0, MF,
                udp(5000, 6000, bytes(100))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.isFragment()).isTrue();
        assertThat(parsed.isFirstFragment()).isTrue();
        assertThat(parsed.hasPorts()).isTrue();
        assertThat(parsed.sourcePort()).isEqualTo(5000);
    }

    @ParameterizedTest
    @ValueSource(ints = {MF | 1, 1, 0x1FFF})
    void ipv4LaterFragmentHasNoUpperLayerHeader(int flagsAndOffset) {
        // The "ports" in this fragment's data are just data.
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV4, ipv4(IP_A, IP_B, IpProtocols.TCP, 0, flagsAndOffset,
                tcp(1, 2, bytes(8))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_IPV4);
        assertThat(parsed.isFragment()).isTrue();
        assertThat(parsed.isFirstFragment()).isFalse();
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.TCP);
        assertThat(parsed.l4Offset()).isEqualTo(ParsedFrame.NONE);
        assertThat(parsed.hasPorts()).isFalse();
        assertThat(parsed.sourcePort()).isEqualTo(ParsedFrame.NONE);
    }

    @Test
    void ipv4WithoutPorts() {
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV4, ipv4(IP_A, IP_B, IpProtocols.ICMP, 0, 0, bytes(8)));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.ICMP);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 34);
        assertThat(parsed.hasPorts()).isFalse();
    }

    @Test
    void ipv4HeaderErrors() {
        byte[] good = ipv4(IP_A, IP_B, IpProtocols.UDP, 0, 0, udp(1, 2, bytes(4)));

        byte[] version = good.clone();
        version[0] = 0x65;
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, version))).isEqualTo(FrameStatus.BAD_IP_HEADER);
        assertThat(parsed.isL2Valid()).isTrue();
        assertThat(parsed.isValid()).isFalse();
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_NONE);
        assertThat(parsed.l4Protocol()).isEqualTo(ParsedFrame.NONE);
        assertThat(parsed.destination()).isEqualTo(DST);
        assertThat(parsed.payloadEtherType()).isEqualTo(EtherTypes.IPV4);

        byte[] ihl = good.clone();
        ihl[0] = 0x44;
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, ihl))).isEqualTo(FrameStatus.BAD_IP_HEADER);

        byte[] optionsBeyondEnd = good.clone();
        optionsBeyondEnd[0] = 0x4F; // 60-byte header in a 32-byte packet
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, optionsBeyondEnd))).isEqualTo(FrameStatus.TRUNCATED_L3);

        byte[] totalBelowHeader = good.clone();
        TestFrames.put16(totalBelowHeader, 2, 19);
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, totalBelowHeader)))
                .isEqualTo(FrameStatus.BAD_IP_HEADER);

        byte[] totalBeyondFrame = good.clone();
        TestFrames.put16(totalBeyondFrame, 2, good.length + 1);
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, totalBeyondFrame)))
                .isEqualTo(FrameStatus.TRUNCATED_L3);
    }

    @Test
    void ipv4TruncatedTransportHeader() {
        // Total length covers 20 + 10 bytes: a TCP header needs 20, a UDP header 8.
        byte[] tcpCut = ipv4(IP_A, IP_B, IpProtocols.TCP, 0, 0, bytes(10));
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, concat(tcpCut, new byte[20]))))
                .isEqualTo(FrameStatus.TRUNCATED_L4);
        assertThat(parsed.l3Kind()).as("layer 3 is still usable").isEqualTo(ParsedFrame.L3_IPV4);
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.TCP);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 34);
        assertThat(parsed.hasPorts()).isFalse();

        byte[] udpFits = ipv4(IP_A, IP_B, IpProtocols.UDP, 0, 0, bytes(8));
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, udpFits))).isEqualTo(FrameStatus.OK);
        byte[] sctpCut = ipv4(IP_A, IP_B, IpProtocols.SCTP, 0, 0, bytes(11));
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, sctpCut))).isEqualTo(FrameStatus.TRUNCATED_L4);
    }

    @Test
    void ipv6Tcp() {
        byte[] frame = ethernet(DST, SRC, List.of(new Tag(EtherTypes.VLAN_8021Q, 0, 0, 42)), EtherTypes.IPV6,
                ipv6(V6_A, V6_B, List.of(), IpProtocols.TCP, tcp(2794, 1766, bytes(3))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.outerVid()).isEqualTo(42);
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_IPV6);
        assertThat(parsed.l3Offset()).isEqualTo(6 + 18);
        assertThat(parsed.ipv6SourceHigh()).isEqualTo(0x3ffe_2501_0200_1fffL);
        assertThat(parsed.ipv6SourceLow()).isEqualTo(7);
        assertThat(parsed.ipv6DestinationHigh()).isEqualTo(0x3ffe_2501_0200_0003L);
        assertThat(parsed.ipv6DestinationLow()).isEqualTo(1);
        assertThat(parsed.sourceAddressOffset()).isEqualTo(6 + 18 + 8);
        assertThat(parsed.destinationAddressOffset()).isEqualTo(6 + 18 + 24);
        assertThat(parsed.ipv4Source()).isZero();
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.TCP);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 18 + 40);
        assertThat(parsed.sourcePort()).isEqualTo(2794);
        assertThat(parsed.destinationPort()).isEqualTo(1766);
        assertThat(parsed.isFragment()).isFalse();
    }

    @Test
    void ipv6HeaderFields() {
        byte[] packet = ipv6(V6_A, V6_B, List.of(Ext.options(IpProtocols.HOP_BY_HOP, 1)), IpProtocols.UDP,
                udp(1, 2, bytes(0)));
        Ipv6Header ip = new Ipv6Header();
        assertThat(ip.wrap(ByteBuffer.wrap(packet), 0, packet.length)).isEqualTo(FrameStatus.OK);
        assertThat(ip.isValid()).isTrue();
        assertThat(ip.offset()).isZero();
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isEqualTo(0x2E);
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.payloadLength()).isEqualTo(16);
        assertThat(ip.nextHeader()).isEqualTo(IpProtocols.HOP_BY_HOP);
        assertThat(ip.hopLimit()).isEqualTo(64);
        assertThat(ip.sourceOffset()).isEqualTo(8);
        assertThat(ip.destinationOffset()).isEqualTo(24);
        assertThat(ip.upperLayerProtocol()).isEqualTo(IpProtocols.UDP);
        assertThat(ip.upperLayerOffset()).isEqualTo(48);
        assertThat(ip.end()).isEqualTo(56);
    }

    @ParameterizedTest
    @ValueSource(ints = {IpProtocols.HOP_BY_HOP, IpProtocols.ROUTING, IpProtocols.DESTINATION_OPTIONS,
        IpProtocols.MOBILITY, IpProtocols.HIP, IpProtocols.SHIM6})
    void ipv6SkipsEachEightByteUnitExtension(int type) {
        for (int units = 1; units <= 3; units++) {
            byte[] frame = ethernet(DST, SRC, EtherTypes.IPV6, ipv6(V6_A, V6_B, List.of(Ext.options(type, units)),
                    IpProtocols.UDP, udp(1000, 2000, bytes(5))));
            assertThat(parse(frame)).as("%d units", units).isEqualTo(FrameStatus.OK);
            assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.UDP);
            assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 40 + 8 * units);
            assertThat(parsed.sourcePort()).isEqualTo(1000);
            assertThat(parsed.destinationPort()).isEqualTo(2000);
        }
    }

    @Test
    void ipv6AuthenticationHeaderCountsFourByteUnitsPlusTwo() {
        // AH with a 96-bit ICV: 12 + 12 = 24 bytes, payload length field 4.
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV6, ipv6(V6_A, V6_B, List.of(Ext.ah(6)), IpProtocols.TCP,
                tcp(443, 50000, bytes(0))));
        assertThat(frame[14 + 40 + 1]).isEqualTo((byte) 4);
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 40 + 24);
        assertThat(parsed.sourcePort()).isEqualTo(443);

        // An odd number of words, legal for AH though not for the other extension headers.
        frame = ethernet(DST, SRC, EtherTypes.IPV6, ipv6(V6_A, V6_B, List.of(Ext.ah(5)), IpProtocols.UDP,
                udp(9, 10, bytes(0))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 40 + 20);
        assertThat(parsed.destinationPort()).isEqualTo(10);
    }

    @Test
    void ipv6FirstFragment() {
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV6, ipv6(V6_A, V6_B, List.of(Ext.fragment(0, true)),
                IpProtocols.UDP, udp(7, 8, bytes(64))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.isFragment()).isTrue();
        assertThat(parsed.isFirstFragment()).isTrue();
        assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 48);
        assertThat(parsed.sourcePort()).isEqualTo(7);

        Ipv6Header ip = new Ipv6Header();
        ip.wrap(ByteBuffer.wrap(frame), 14, frame.length - 14);
        assertThat(ip.isFragment()).isTrue();
        assertThat(ip.moreFragments()).isTrue();
        assertThat(ip.fragmentOffset()).isZero();
    }

    @Test
    void ipv6LaterFragmentStopsAtTheFragmentHeader() {
        // What follows the fragment header of a later fragment is data; here it even looks like a routing header
        // with a huge length, which must not be followed.
        byte[] data = bytes(32);
        data[0] = (byte) IpProtocols.TCP;
        data[1] = (byte) 200;
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV6, ipv6(V6_A, V6_B,
                List.of(Ext.options(IpProtocols.HOP_BY_HOP, 1), Ext.fragment(185, false)), IpProtocols.ROUTING,
                data));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.isFragment()).isTrue();
        assertThat(parsed.isFirstFragment()).isFalse();
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.ROUTING);
        assertThat(parsed.l4Offset()).isEqualTo(ParsedFrame.NONE);
        assertThat(parsed.hasPorts()).isFalse();

        Ipv6Header ip = new Ipv6Header();
        ip.wrap(ByteBuffer.wrap(frame), 14, frame.length - 14);
        assertThat(ip.fragmentOffset()).isEqualTo(185 * 8);
        assertThat(ip.moreFragments()).isFalse();
        assertThat(ip.upperLayerOffset()).as("where the fragment's data starts").isEqualTo(14 + 40 + 16);
    }

    @ParameterizedTest
    @ValueSource(ints = {IpProtocols.ESP, IpProtocols.NO_NEXT_HEADER, IpProtocols.ICMPV6, IpProtocols.GRE})
    void ipv6WalkStopsAtNonExtensionHeaders(int protocol) {
        // ESP's payload is encrypted; "no next header" has nothing after it. Neither is walked into.
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV6, ipv6(V6_A, V6_B,
                List.of(Ext.options(IpProtocols.DESTINATION_OPTIONS, 1)), protocol, bytes(24)));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.l4Protocol()).isEqualTo(protocol);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 48);
        assertThat(parsed.hasPorts()).isFalse();
    }

    @Test
    void ipv6FullChain() {
        List<Ext> chain = List.of(Ext.options(IpProtocols.HOP_BY_HOP, 1),
                Ext.options(IpProtocols.DESTINATION_OPTIONS, 2), Ext.options(IpProtocols.ROUTING, 3), Ext.fragment(0, true), Ext.ah(4),
                Ext.options(IpProtocols.DESTINATION_OPTIONS, 1));
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV6,
                ipv6(V6_A, V6_B, chain, IpProtocols.SCTP, sctp(36412, 36412, bytes(16))));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.l4Protocol()).isEqualTo(IpProtocols.SCTP);
        assertThat(parsed.l4Offset()).isEqualTo(6 + 14 + 40 + 8 + 16 + 24 + 8 + 16 + 8);
        assertThat(parsed.sourcePort()).isEqualTo(36412);
        assertThat(parsed.isFirstFragment()).isTrue();
    }

    @Test
    void ipv6Errors() {
        byte[] good = ipv6(V6_A, V6_B, List.of(Ext.options(IpProtocols.ROUTING, 2)), IpProtocols.UDP,
                udp(1, 2, bytes(0)));

        byte[] version = good.clone();
        version[0] = 0x40;
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV6, version))).isEqualTo(FrameStatus.BAD_IP_HEADER);
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_NONE);

        byte[] longPayload = good.clone();
        TestFrames.put16(longPayload, 4, good.length - 40 + 1);
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV6, longPayload))).isEqualTo(FrameStatus.TRUNCATED_L3);

        byte[] extensionTooLong = good.clone();
        extensionTooLong[41] = 3; // routing header claims 32 bytes; payload is 24
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV6, extensionTooLong)))
                .isEqualTo(FrameStatus.BAD_IPV6_EXTENSION);
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_NONE);

        // Payload length 4: the extension header announced by the fixed header does not fit; the rest is padding.
        byte[] shortPayload = good.clone();
        TestFrames.put16(shortPayload, 4, 4);
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV6, shortPayload)))
                .isEqualTo(FrameStatus.BAD_IPV6_EXTENSION);

        // Payload length 20 ends 4 bytes into the UDP header (the rest of the frame is padding).
        byte[] noRoomForUdp = good.clone();
        TestFrames.put16(noRoomForUdp, 4, 20);
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV6, noRoomForUdp))).isEqualTo(FrameStatus.TRUNCATED_L4);
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_IPV6);

        byte[] fragmentCut = ipv6(V6_A, V6_B, List.of(Ext.fragment(0, false)), IpProtocols.UDP, new byte[0]);
        TestFrames.put16(fragmentCut, 4, 7);
        assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV6, fragmentCut)))
                .isEqualTo(FrameStatus.BAD_IPV6_EXTENSION);
    }

    @Test
    void nonIpPayloadIsValidWithoutLayer3() {
        byte[] frame = ethernet(DST, SRC, EtherTypes.ARP, bytes(28));
        assertThat(parse(frame)).isEqualTo(FrameStatus.OK);
        assertThat(parsed.payloadEtherType()).isEqualTo(EtherTypes.ARP);
        assertThat(parsed.l3Kind()).isEqualTo(ParsedFrame.L3_NONE);
        assertThat(parsed.l3Offset()).isEqualTo(ParsedFrame.NONE);
        assertThat(parsed.l4Protocol()).isEqualTo(ParsedFrame.NONE);
    }

    @Test
    void layer2ErrorsLeaveOnlyWhatWasRead() {
        assertThat(parse(new byte[13])).isEqualTo(FrameStatus.TOO_SHORT);
        assertThat(parsed.isL2Valid()).isFalse();
        assertThat(parsed.destination()).isEqualTo(ParsedFrame.NONE);
        assertThat(parsed.etherType()).isEqualTo(ParsedFrame.NONE);

        byte[] frame = ethernet(DST, SRC, List.of(new Tag(EtherTypes.QINQ_8021AD, 1, 0, 300)),
                EtherTypes.VLAN_8021Q, new byte[1]);
        assertThat(parse(frame)).isEqualTo(FrameStatus.TRUNCATED_TAG);
        assertThat(parsed.isL2Valid()).isFalse();
        assertThat(parsed.destination()).isEqualTo(DST);
        assertThat(parsed.tagCount()).isEqualTo(1);
        assertThat(parsed.outerVid()).isEqualTo(300);
        assertThat(parsed.payloadOffset()).isEqualTo(ParsedFrame.NONE);
    }

    @Test
    void resultIsFullyOverwrittenByTheNextParse() {
        parse(ethernet(DST, SRC, EtherTypes.IPV4, ipv4(IP_A, IP_B, IpProtocols.TCP, 0, MF, tcp(1, 2, bytes(0)))));
        assertThat(parsed.hasPorts()).isTrue();
        parse(ethernet(DST, SRC, EtherTypes.ARP, bytes(28)));
        assertThat(parsed.hasPorts()).isFalse();
        assertThat(parsed.isFragment()).isFalse();
        assertThat(parsed.ipv4Source()).isZero();
        assertThat(parsed.sourceAddressOffset()).isEqualTo(ParsedFrame.NONE);
    }

    // ---- truncation at every length ----

    @Test
    void truncatedIpv4TcpAtEveryLength() {
        byte[] frame = ethernet(DST, SRC, List.of(new Tag(EtherTypes.VLAN_8021Q, 0, 0, 7)), EtherTypes.IPV4,
                ipv4(IP_A, IP_B, IpProtocols.TCP, 2, 0, tcp(80, 8080, bytes(5))));
        int l3 = 18;
        for (int length = 0; length <= frame.length; length++) {
            int expected = length < 14 ? FrameStatus.TOO_SHORT
                    : length < l3 ? FrameStatus.TRUNCATED_TAG
                    : length < frame.length ? FrameStatus.TRUNCATED_L3 // total length says the packet goes on
                    : FrameStatus.OK;
            assertThat(parse(Arrays.copyOf(frame, length))).as("length %d", length).isEqualTo(expected);
        }
    }

    @Test
    void truncatedIpv6ChainAtEveryLength() {
        byte[] frame = ethernet(DST, SRC, EtherTypes.IPV6, ipv6(V6_A, V6_B,
                List.of(Ext.options(IpProtocols.HOP_BY_HOP, 1), Ext.fragment(0, true), Ext.ah(4)), IpProtocols.UDP,
                udp(1, 2, bytes(3))));
        for (int length = 0; length <= frame.length; length++) {
            int expected = length < 14 ? FrameStatus.TOO_SHORT
                    : length < frame.length ? FrameStatus.TRUNCATED_L3
                    : FrameStatus.OK;
            assertThat(parse(Arrays.copyOf(frame, length))).as("length %d", length).isEqualTo(expected);
        }
    }

    @Test
    void shrinkingTheIpLengthWalksTheLayers() {
        // The frame stays whole but the IPv4 total length shrinks: below the header it is a bad header, inside
        // the UDP header a truncated L4, from 8 bytes of UDP on valid.
        byte[] packet = ipv4(IP_A, IP_B, IpProtocols.UDP, 0, 0, udp(1, 2, bytes(4)));
        for (int total = 0; total <= packet.length; total++) {
            byte[] p = packet.clone();
            TestFrames.put16(p, 2, total);
            int expected = total < 20 ? FrameStatus.BAD_IP_HEADER
                    : total < 28 ? FrameStatus.TRUNCATED_L4
                    : FrameStatus.OK;
            assertThat(parse(ethernet(DST, SRC, EtherTypes.IPV4, p))).as("total length %d", total)
                    .isEqualTo(expected);
        }
    }

    @Test
    void statusNames() {
        assertThat(FrameStatus.name(FrameStatus.OK)).isEqualTo("OK");
        assertThat(FrameStatus.name(FrameStatus.NO_TAG)).isEqualTo("NO_TAG");
        assertThat(FrameStatus.name(FrameStatus.COUNT)).isEqualTo("UNKNOWN");
        assertThat(FrameStatus.name(-1)).isEqualTo("UNKNOWN");
        assertThat(FrameStatus.isL2Error(FrameStatus.TRUNCATED_TAG)).isTrue();
        assertThat(FrameStatus.isL2Error(FrameStatus.BAD_IP_HEADER)).isFalse();
        assertThat(IpProtocols.isIpv6ExtensionHeader(IpProtocols.AH)).isTrue();
        assertThat(IpProtocols.isIpv6ExtensionHeader(IpProtocols.ESP)).isFalse();
        assertThat(L4Ports.minHeaderLength(IpProtocols.ICMP)).isZero();
    }
}
