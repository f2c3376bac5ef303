package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Link, VF and address replies into typed values. */
class ParserTest {

    @Test
    void aRealKernelReplyForAVethInABridge() {
        GoldenVector reply = GoldenVector.load("reply-link-veth");

        LinkInfo link = onlyLinkIn(reply);

        assertThat(link.index()).isEqualTo(reply.index("iov-pa"));
        assertThat(link.name().value()).isEqualTo("iov-pa");
        assertThat(link.kind()).contains("veth");
        assertThat(link.up()).isTrue();
        assertThat(link.mtu()).isEqualTo(1500);
        // Up, but the peer (in the other namespace) is down.
        assertThat(link.operState()).isEqualTo(OperState.LOWERLAYERDOWN);
        assertThat(link.masterIndex()).hasValue(reply.index("iov-br"));
        assertThat(link.linkNetnsId()).isPresent();
        assertThat(link.linkIndex()).isPresent();
        assertThat(link.macAddress()).hasValueSatisfying(mac -> assertThat(mac.isLocallyAdministered()).isTrue());
        assertThat(link.stats()).isPresent();
        assertThat(link.vfs()).isEmpty();
        assertThat(link.alias()).as("the kernel sends IFLA_IFALIAS only for a link with an alias").isEmpty();
    }

    @Test
    void aRealKernelReplyForAPersistentTapWithAnAlias() {
        GoldenVector reply = GoldenVector.load("reply-link-tap-alias");

        LinkInfo link = onlyLinkIn(reply);

        assertThat(link.index()).isEqualTo(reply.index("iov-tp"));
        assertThat(link.name().value()).isEqualTo("iov-tp");
        assertThat(link.kind()).contains("tun");
        assertThat(link.alias()).contains("iov:h1/java-switch:web-7-eth0");
        assertThat(link.up()).isFalse();
    }

    /** Parses a captured reply that holds exactly one link message. */
    private static LinkInfo onlyLinkIn(GoldenVector reply) {
        ByteBuffer buffer = reply.buffer();
        MessageReader message = new MessageReader().wrap(buffer, 0, buffer.limit());
        assertThat(message.next()).isTrue();
        LinkInfo link = new LinkParser().parse(message);
        assertThat(message.next()).as("one message in %s", reply).isFalse();
        return link;
    }

    @Test
    void vfInfoInTheKernelsLayout() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        NetlinkMessageWriter w = new NetlinkMessageWriter();
        w.begin(buffer, RTM_NEWLINK, 0);
        w.reserveIfInfoMsg().index(4).flags(IFF_UP);
        w.putCString(IFLA_IFNAME, "pf0");
        w.putMac(IFLA_ADDRESS, MacAddress.parse("02:00:00:00:00:ff"));
        w.putU32(IFLA_NUM_VF, 2);
        // rtnl_fill_vfinfo: nests without NLA_F_NESTED, attributes in this order, VLAN list and stats last.
        int list = w.beginNested(IFLA_VFINFO_LIST);
        int vf0 = w.beginNested(IFLA_VF_INFO);
        struct(w, IFLA_VF_MAC, 0, ivm -> ivm.appendMac(MacAddress.parse("02:00:00:00:00:01"), 32));
        struct(w, IFLA_VF_BROADCAST, -1, b -> b.appendZeros(28));
        struct(w, IFLA_VF_VLAN, 0, v -> v.appendU32(100).appendU32(3));
        struct(w, IFLA_VF_RATE, 0, r -> r.appendU32(10).appendU32(100));
        struct(w, IFLA_VF_TX_RATE, 0, r -> r.appendU32(100));
        struct(w, IFLA_VF_SPOOFCHK, 0, s -> s.appendU32(1));
        struct(w, IFLA_VF_LINK_STATE, 0, s -> s.appendU32(IFLA_VF_LINK_STATE_ENABLE));
        struct(w, IFLA_VF_RSS_QUERY_EN, 0, s -> s.appendU32(0));
        struct(w, IFLA_VF_TRUST, 0, s -> s.appendU32(-1));
        struct(w, IFLA_VF_IB_NODE_GUID, 0, g -> g.appendZeros(4).appendU64(0x0002c90300456b21L));
        struct(w, IFLA_VF_IB_PORT_GUID, 0, g -> g.appendZeros(4).appendU64(0x0002c90300456b22L));
        int vlans = w.beginNested(IFLA_VF_VLAN_LIST);
        struct(w, IFLA_VF_VLAN_INFO, 0, v -> v.appendU32(100).appendU32(3).appendBe16(ETH_P_8021AD).appendZeros(2));
        w.endNested(vlans);
        int stats = w.beginNested(IFLA_VF_STATS);
        w.putBytes(IFLA_VF_STATS_PAD, new byte[0]);
        w.putU64(IFLA_VF_STATS_RX_PACKETS, 11).putU64(IFLA_VF_STATS_TX_PACKETS, 12)
                .putU64(IFLA_VF_STATS_RX_BYTES, 13).putU64(IFLA_VF_STATS_TX_BYTES, 14)
                .putU64(IFLA_VF_STATS_BROADCAST, 15).putU64(IFLA_VF_STATS_MULTICAST, 16)
                .putU64(IFLA_VF_STATS_RX_DROPPED, 17).putU64(IFLA_VF_STATS_TX_DROPPED, 18);
        w.endNested(stats);
        w.endNested(vf0);
        int vf1 = w.beginNested(IFLA_VF_INFO);
        struct(w, IFLA_VF_MAC, 1, ivm -> ivm.appendZeros(32));
        struct(w, IFLA_VF_VLAN, 1, v -> v.appendU32(0).appendU32(0));
        struct(w, IFLA_VF_TX_RATE, 1, r -> r.appendU32(0));
        struct(w, IFLA_VF_SPOOFCHK, 1, s -> s.appendU32(0));
        struct(w, IFLA_VF_LINK_STATE, 1, s -> s.appendU32(IFLA_VF_LINK_STATE_AUTO));
        struct(w, IFLA_VF_TRUST, 1, s -> s.appendU32(1));
        w.endNested(vf1);
        w.endNested(list);
        w.finish();
        MessageReader message = new MessageReader().wrap(buffer, buffer.position(), buffer.limit());
        message.next();

        LinkInfo pf = new LinkParser().parse(message);

        assertThat(pf.numVfs()).hasValue(2);
        assertThat(pf.vfs()).hasSize(2);
        VfInfo first = pf.vfs().get(0);
        assertThat(first.vf()).isZero();
        assertThat(first.mac()).contains(MacAddress.parse("02:00:00:00:00:01"));
        assertThat(first.vlan()).contains(VlanId.of(100));
        assertThat(first.qos()).isEqualTo(3);
        assertThat(first.vlanProtocol()).isEqualTo(VlanProtocol.IEEE_802_1AD);
        assertThat(first.minTxRate()).isEqualTo(Bandwidth.ofMbps(10));
        assertThat(first.maxTxRate()).isEqualTo(Bandwidth.ofMbps(100));
        assertThat(first.spoofCheck()).contains(true);
        assertThat(first.trusted()).as("(u32) -1: the driver does not report trust").isEmpty();
        assertThat(first.linkState()).isEqualTo(VfLinkState.ENABLE);
        assertThat(first.nodeGuid()).contains(Guid.parse("0002:c903:0045:6b21"));
        assertThat(first.portGuid()).contains(Guid.parse("0002:c903:0045:6b22"));
        assertThat(first.stats()).contains(new VfStats(11, 12, 13, 14, 15, 16, 17, 18));
        VfInfo second = pf.vfs().get(1);
        assertThat(second.vf()).isEqualTo(1);
        assertThat(second.mac()).as("all-zero MAC: not set").isEmpty();
        assertThat(second.vlan()).isEmpty();
        assertThat(second.vlanProtocol()).isEqualTo(VlanProtocol.IEEE_802_1Q);
        assertThat(second.maxTxRate()).isEqualTo(Bandwidth.ZERO);
        assertThat(second.spoofCheck()).contains(false);
        assertThat(second.trusted()).contains(true);
        assertThat(second.linkState()).isEqualTo(VfLinkState.AUTO);
        assertThat(second.nodeGuid()).isEmpty();
        assertThat(second.stats()).isEmpty();
    }

    @Test
    void aLinkWithoutANameIsMalformed() {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        NetlinkMessageWriter w = new NetlinkMessageWriter();
        w.begin(buffer, RTM_NEWLINK, 0);
        w.reserveIfInfoMsg().index(2);
        w.putU32(IFLA_MTU, 1500);
        w.finish();
        MessageReader message = new MessageReader().wrap(buffer, 0, buffer.limit());
        message.next();

        assertThatThrownBy(() -> new LinkParser().parse(message)).isInstanceOf(NetlinkDecodeException.class)
                .hasMessage("link message without IFLA_IFNAME at offset 0");
    }

    @Test
    void addressesPreferTheLocalAddress() {
        ByteBuffer buffer = ByteBuffer.allocate(128);
        NetlinkMessageWriter w = new NetlinkMessageWriter();
        w.begin(buffer, RTM_NEWADDR, 0);
        w.reserveIfAddrMsg().family(AF_INET).prefixLength(31).index(5);
        w.putInetAddress(IFA_ADDRESS, GoldenVectorTest.ip("198.18.0.2"));
        w.putInetAddress(IFA_LOCAL, GoldenVectorTest.ip("198.18.0.1"));
        w.finish();
        MessageReader message = new MessageReader().wrap(buffer, 0, buffer.limit());
        message.next();

        AddressParser parser = new AddressParser().parse(message);

        assertThat(parser.index()).isEqualTo(5);
        assertThat(parser.address()).isEqualTo(CidrAddress.parse("198.18.0.1/31"));
    }

    @Test
    void anIpv6AddressHasOnlyIfaAddress() {
        ByteBuffer buffer = ByteBuffer.allocate(128);
        NetlinkMessageWriter w = new NetlinkMessageWriter();
        w.begin(buffer, RTM_NEWADDR, 0);
        w.reserveIfAddrMsg().family(AF_INET6).prefixLength(64).index(5);
        w.putInetAddress(IFA_ADDRESS, GoldenVectorTest.ip("2001:2::1"));
        w.finish();
        MessageReader message = new MessageReader().wrap(buffer, 0, buffer.limit());
        message.next();

        assertThat(new AddressParser().parse(message).address()).isEqualTo(CidrAddress.parse("2001:2::1/64"));
    }

    @Test
    void cidrAddressesParseOnlyLiterals() {
        assertThat(CidrAddress.parse("198.18.0.1/24").prefixLength()).isEqualTo(24);
        assertThat(CidrAddress.parse("2001:2::1/64").family()).isEqualTo(AF_INET6);
        assertThatThrownBy(() -> CidrAddress.parse("localhost/8")).hasMessageContaining("'localhost/8'");
        assertThatThrownBy(() -> CidrAddress.parse("abc/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CidrAddress.parse("198.18.0.1/33")).hasMessageContaining("'33'");
        assertThatThrownBy(() -> CidrAddress.parse("198.18.0.1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void operStatesFollowTheKernelNumbers() {
        assertThat(OperState.of(IF_OPER_UP)).isEqualTo(OperState.UP);
        assertThat(OperState.of(IF_OPER_LOWERLAYERDOWN)).isEqualTo(OperState.LOWERLAYERDOWN);
        assertThat(OperState.of(IF_OPER_DOWN)).isEqualTo(OperState.DOWN);
        assertThat(OperState.of(99)).isEqualTo(OperState.UNKNOWN);
        assertThat(Optional.of(OperState.of(IF_OPER_DORMANT))).contains(OperState.DORMANT);
    }

    /** Writes a {@code struct ifla_vf_*}: {@code u32 vf} then the rest. */
    private static void struct(NetlinkMessageWriter w, int type, int vf,
            java.util.function.Consumer<NetlinkMessageWriter> rest) {
        int at = w.beginAttribute(type);
        w.appendU32(vf);
        rest.accept(w);
        w.endAttribute(at);
    }
}
