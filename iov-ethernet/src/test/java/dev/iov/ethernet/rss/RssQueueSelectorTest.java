package dev.iov.ethernet.rss;

import static dev.iov.ethernet.frame.TestFrames.ethernet;
import static dev.iov.ethernet.frame.TestFrames.ipv4;
import static dev.iov.ethernet.frame.TestFrames.ipv6;
import static dev.iov.ethernet.frame.TestFrames.tcp;
import static dev.iov.ethernet.frame.TestFrames.udp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.ethernet.EtherTypes;
import dev.iov.ethernet.frame.IpProtocols;
import dev.iov.ethernet.frame.TestFrames;
import dev.iov.ethernet.frame.TestFrames.Ext;
import dev.iov.ethernet.frame.TestFrames.Tag;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole frames, built byte by byte, hash to Microsoft's published values and pick the RETA entry of that hash. */
class RssQueueSelectorTest {

    private static final long DST_MAC = 0x0269_6f00_0001L;
    private static final long SRC_MAC = 0x0269_6f00_0002L;

    private final RssQueueSelector selector = new RssQueueSelector(ToeplitzHash.microsoft(), Reta.of(128, 4));

    static List<MicrosoftVectors.Vector> ipv4Vectors() {
        return MicrosoftVectors.ipv4();
    }

    static List<MicrosoftVectors.Vector> ipv6Vectors() {
        return MicrosoftVectors.ipv6();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv4Vectors")
    void tcpAndUdpOverIpv4HashTheFourTuple(MicrosoftVectors.Vector v) {
        assertThat(hash(v4Frame(v, IpProtocols.TCP, tcp(v.sport(), v.dport(), new byte[8]), 0)))
                .isEqualTo(v.hash4());
        assertThat(hash(v4Frame(v, IpProtocols.UDP, udp(v.sport(), v.dport(), new byte[8]), 0)))
                .isEqualTo(v.hash4());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv4Vectors")
    void otherIpv4AndEveryFragmentHashTheTwoTuple(MicrosoftVectors.Vector v) {
        byte[] icmp = new byte[16];
        assertThat(hash(v4Frame(v, IpProtocols.ICMP, icmp, 0))).isEqualTo(v.hash2());
        // The first fragment has ports, but its datagram's later fragments do not: all of them use addresses only.
        assertThat(hash(v4Frame(v, IpProtocols.TCP, tcp(v.sport(), v.dport(), new byte[8]), 0x2000)))
                .isEqualTo(v.hash2());
        assertThat(hash(v4Frame(v, IpProtocols.TCP, new byte[16], 0x0003))).isEqualTo(v.hash2());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipv6Vectors")
    void ipv6HashesTheFourTupleOrTheTwoTuple(MicrosoftVectors.Vector v) {
        byte[] tcpFrame = ethernet(DST_MAC, SRC_MAC, EtherTypes.IPV6,
                ipv6(v.srcBytes(), v.dstBytes(), List.of(), IpProtocols.TCP, tcp(v.sport(), v.dport(), new byte[4])));
        byte[] behindExtensions = ethernet(DST_MAC, SRC_MAC, EtherTypes.IPV6, ipv6(v.srcBytes(), v.dstBytes(),
                List.of(Ext.options(IpProtocols.HOP_BY_HOP, 1), Ext.options(IpProtocols.DESTINATION_OPTIONS, 2)),
                IpProtocols.UDP, udp(v.sport(), v.dport(), new byte[4])));
        byte[] icmp6 = ethernet(DST_MAC, SRC_MAC, EtherTypes.IPV6,
                ipv6(v.srcBytes(), v.dstBytes(), List.of(), IpProtocols.ICMPV6, new byte[8]));
        byte[] fragment = ethernet(DST_MAC, SRC_MAC, EtherTypes.IPV6, ipv6(v.srcBytes(), v.dstBytes(),
                List.of(Ext.fragment(0, true)), IpProtocols.TCP, tcp(v.sport(), v.dport(), new byte[4])));

        assertThat(hash(tcpFrame)).isEqualTo(v.hash4());
        assertThat(hash(behindExtensions)).isEqualTo(v.hash4());
        assertThat(hash(icmp6)).isEqualTo(v.hash2());
        assertThat(hash(fragment)).isEqualTo(v.hash2());
    }

    @Test
    void vlanTagsAreSkipped() {
        MicrosoftVectors.Vector v = MicrosoftVectors.ipv4().get(0);
        byte[] packet = ipv4(MicrosoftVectors.int32(v.srcBytes(), 0), MicrosoftVectors.int32(v.dstBytes(), 0),
                IpProtocols.TCP, 0, 0, tcp(v.sport(), v.dport(), new byte[0]));
        byte[] qinq = ethernet(DST_MAC, SRC_MAC,
                List.of(new Tag(EtherTypes.QINQ_8021AD, 0, 0, 100), new Tag(EtherTypes.VLAN_8021Q, 3, 0, 10)),
                EtherTypes.IPV4, packet);

        assertThat(hash(qinq)).isEqualTo(0x51ccc178);
    }

    @Test
    void framesThatAreNotHashedGoToTheDefaultQueue() {
        byte[] arp = ethernet(DST_MAC, SRC_MAC, EtherTypes.ARP, new byte[28]);
        byte[] truncatedIp = ethernet(DST_MAC, SRC_MAC, EtherTypes.IPV4, new byte[10]);
        Reta reta = Reta.of(128, 4);
        reta.set(0, 3);
        RssQueueSelector rotated = new RssQueueSelector(ToeplitzHash.microsoft(), reta);

        for (byte[] frame : List.of(arp, truncatedIp, new byte[5])) {
            ByteBuffer buf = TestFrames.buffer(frame, 0, 0);
            assertThat(rotated.hash(buf, 0, frame.length)).isZero();
            assertThat(rotated.queue(buf, 0, frame.length)).isEqualTo(3);
        }
    }

    @Test
    void theQueueIsTheRetaEntryOfTheHashAndFollowsRetaChanges() {
        MicrosoftVectors.Vector v = MicrosoftVectors.ipv4().get(0);
        byte[] frame = v4Frame(v, IpProtocols.TCP, tcp(v.sport(), v.dport(), new byte[8]), 0);
        ByteBuffer buf = TestFrames.buffer(frame, 0, 0);
        int index = 0x51ccc178 & 127;

        assertThat(selector.queue(buf, 0, frame.length)).isEqualTo(index % 4);
        selector.reta().set(index, 2);
        assertThat(selector.queue(buf, 0, frame.length)).isEqualTo(2);
    }

    @Test
    void theSymmetricKeySendsBothDirectionsOfAFlowToOneQueue() {
        RssQueueSelector symmetric = new RssQueueSelector(ToeplitzHash.symmetric(), Reta.of(512, 16));
        MicrosoftVectors.Vector v = MicrosoftVectors.ipv4().get(1);
        MicrosoftVectors.Vector back = new MicrosoftVectors.Vector(v.dst(), v.dport(), v.src(), v.sport(), 0, 0);
        byte[] there = v4Frame(v, IpProtocols.TCP, tcp(v.sport(), v.dport(), new byte[0]), 0);
        byte[] andBack = v4Frame(back, IpProtocols.TCP, tcp(back.sport(), back.dport(), new byte[0]), 0);

        assertThat(symmetric.hash(TestFrames.buffer(there, 0, 0), 0, there.length))
                .isEqualTo(symmetric.hash(TestFrames.buffer(andBack, 0, 0), 0, andBack.length));
    }

    private int hash(byte[] frame) {
        // Headroom and tailroom around the frame: the selector must read only inside [offset, offset + length).
        ByteBuffer buf = TestFrames.buffer(frame, 16, 16);
        return selector.hash(buf, 16, frame.length);
    }

    private static byte[] v4Frame(MicrosoftVectors.Vector v, int protocol, byte[] l4, int flagsAndOffset) {
        return ethernet(DST_MAC, SRC_MAC, EtherTypes.IPV4, ipv4(MicrosoftVectors.int32(v.srcBytes(), 0),
                MicrosoftVectors.int32(v.dstBytes(), 0), protocol, 0, flagsAndOffset, l4));
    }
}
