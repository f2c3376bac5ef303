package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed operations against canned kernel replies: which requests they send, in which order. */
class RtnetlinkTest {

    private final FakeTransport kernel = new FakeTransport();
    private final Rtnetlink rtnl = new Rtnetlink(new RtnetlinkClient(kernel));
    private final InterfaceName pf = InterfaceName.of("pf0");

    @Test
    void settingOnlyTheRateLimitKeepsTheCurrentGuaranteedRate() {
        kernel.then(seq -> List.of(pfWithVf(seq, 2, 50, 500), Replies.ack(seq)))
                .then(seq -> List.of(Replies.ack(seq)));

        rtnl.setVf(pf, VfConfig.forVf(2).maxTxRate(Bandwidth.ofMbps(1000)).build());

        assertThat(kernel.sent).hasSize(2);
        List<String> read = render(kernel.sent.get(0));
        assertThat(read.get(0)).startsWith("nlmsghdr").contains("type=18");
        assertThat(read).contains("IFLA_EXT_MASK(29) len=8 01000000", "IFLA_IFNAME(3) len=8 70663000");
        List<String> write = render(kernel.sent.get(1));
        assertThat(write).containsSubsequence(
                "IFLA_VFINFO_LIST(22) len=24 {",
                "  IFLA_VF_INFO(1) len=20 {",
                // vf 2, min 50 (kept), max 1000 (new)
                "    IFLA_VF_RATE(6) len=16 0200000032000000e8030000");
    }

    @Test
    void aVfThePfDoesNotReportGetsRateZeroLikeIproute2() {
        kernel.then(seq -> List.of(pfWithVf(seq, 7, 50, 500), Replies.ack(seq)))
                .then(seq -> List.of(Replies.ack(seq)));

        rtnl.setVf(pf, VfConfig.forVf(2).minTxRate(Bandwidth.ofMbps(10)).build());

        assertThat(render(kernel.sent.get(1))).contains("    IFLA_VF_RATE(6) len=16 020000000a00000000000000");
    }

    @Test
    void bothRatesNeedNoRead() {
        kernel.then(seq -> List.of(Replies.ack(seq)));

        rtnl.setVf(pf, VfConfig.forVf(1).minTxRate(Bandwidth.ofMbps(1)).maxTxRate(Bandwidth.ofMbps(2)).build());

        assertThat(kernel.sent).hasSize(1);
    }

    @Test
    void settingAMasterLooksUpItsIndexFirst() {
        kernel.then(seq -> List.of(Replies.link(seq, 0, 9, "br0"), Replies.ack(seq)))
                .then(seq -> List.of(Replies.ack(seq)));

        rtnl.setMaster(InterfaceName.of("veth0"), InterfaceName.of("br0"));

        assertThat(render(kernel.sent.get(1))).containsExactly(
                "nlmsghdr len=52 type=16 flags=0x5",
                "ifinfomsg 00000000000000000000000000000000",
                "IFLA_IFNAME(3) len=10 766574683000",
                "IFLA_MASTER(10) len=8 09000000");
    }

    @Test
    void aMissingLinkIsEmptyNotAnError() {
        kernel.then(seq -> List.of(Replies.error(seq, -19, null)));

        assertThat(rtnl.link(InterfaceName.of("nope"))).isEmpty();
    }

    @Test
    void linksComeFromADump() {
        kernel.then(seq -> List.of(Replies.datagram(Replies.link(seq, 0, 1, "lo"), Replies.link(seq, 0, 2, "eth0")),
                Replies.done(seq, 0, 0)));

        List<String> names = new ArrayList<>();
        rtnl.links().forEach(l -> names.add(l.name().value()));

        assertThat(names).containsExactly("lo", "eth0");
    }

    /** A GET reply for pf0 listing one VF with these rates (Mbit/s). */
    private static byte[] pfWithVf(int seq, int vf, int min, int max) {
        return Replies.message(RTM_NEWLINK, 0, seq, w -> {
            w.reserveIfInfoMsg().index(4);
            w.putCString(IFLA_IFNAME, "pf0");
            ByteBuffer list = ByteBuffer.allocate(64).order(java.nio.ByteOrder.nativeOrder());
            // IFLA_VF_INFO { IFLA_VF_MAC {vf, mac[32]}, IFLA_VF_RATE {vf, min, max} }
            list.putShort((short) (4 + 40 + 16)).putShort((short) IFLA_VF_INFO);
            list.putShort((short) 40).putShort((short) IFLA_VF_MAC).putInt(vf).put(new byte[32]);
            list.putShort((short) 16).putShort((short) IFLA_VF_RATE).putInt(vf).putInt(min).putInt(max);
            byte[] bytes = new byte[list.position()];
            list.flip().get(bytes);
            w.putBytes(IFLA_VFINFO_LIST, bytes);
        });
    }

    private static List<String> render(byte[] request) {
        return new MessageRenderer(java.util.Set.of()).render(ByteBuffer.wrap(request));
    }
}
