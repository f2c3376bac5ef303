package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_IB_NODE_GUID;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_IB_PORT_GUID;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_INFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_LINK_STATE;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_MAC;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_RATE;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_SPOOFCHK;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_STATS;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_TRUST;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_TX_RATE;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_VLAN;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_VLAN_INFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_VLAN_LIST;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an {@code IFLA_VFINFO_LIST} attribute into {@link VfInfo}s. The kernel ({@code rtnl_fill_vfinfo}) sends,
 * per VF, an {@code IFLA_VF_INFO} nest with the structures {@link VfRequests} describes plus {@code IFLA_VF_STATS};
 * a driver that does not implement spoof checking or trust reports {@code (u32) -1} for them, which becomes an
 * empty optional here. Attributes it does not know are skipped, so newer kernels parse too.
 */
final class VfInfoParser {

    private static final int UNSUPPORTED = -1;

    private final AttributeReader vfs = new AttributeReader();
    private final AttributeReader vf = new AttributeReader();
    private final AttributeReader inner = new AttributeReader();

    /**
     * Parses the list.
     *
     * @param buffer the buffer holding the list
     * @param start absolute index of the {@code IFLA_VFINFO_LIST} payload
     * @param end absolute index just past it
     * @param ethernet whether the PF's hardware address is 6 bytes, so VF MACs are Ethernet MACs
     * @return the VFs in the order reported
     * @throws NetlinkDecodeException when the list is malformed
     */
    List<VfInfo> parse(ByteBuffer buffer, int start, int end, boolean ethernet) {
        List<VfInfo> result = new ArrayList<>();
        vfs.wrap(buffer, start, end);
        while (vfs.next()) {
            if (vfs.type() == IFLA_VF_INFO) {
                result.add(parseVf(ethernet));
            }
        }
        return result;
    }

    private VfInfo parseVf(boolean ethernet) {
        vfs.nested(vf);
        int number = -1;
        Optional<MacAddress> mac = Optional.empty();
        Optional<VlanId> vlan = Optional.empty();
        int qos = 0;
        VlanProtocol protocol = VlanProtocol.IEEE_802_1Q;
        long minRate = 0;
        long maxRate = 0;
        boolean haveRate = false;
        Optional<Boolean> spoofCheck = Optional.empty();
        Optional<Boolean> trusted = Optional.empty();
        VfLinkState linkState = VfLinkState.AUTO;
        Optional<Guid> nodeGuid = Optional.empty();
        Optional<Guid> portGuid = Optional.empty();
        Optional<VfStats> stats = Optional.empty();
        while (vf.next()) {
            switch (vf.type()) {
                case IFLA_VF_MAC -> {
                    number = vf.s32At(0);
                    vf.require(4 + 6);
                    if (ethernet) {
                        byte[] bytes = new byte[6];
                        vf.buffer().get(vf.payloadOffset() + 4, bytes);
                        MacAddress m = MacAddress.of(bytes);
                        mac = m.equals(MacAddress.ZERO) ? Optional.empty() : Optional.of(m);
                    }
                }
                case IFLA_VF_VLAN -> {
                    number = vf.s32At(0);
                    vlan = vlanOf(vf.s32At(4));
                    qos = vf.s32At(8);
                }
                case IFLA_VF_VLAN_LIST -> {
                    vf.nested(inner);
                    // The kernel allows one entry (MAX_VLAN_LIST_LEN); it repeats IFLA_VF_VLAN plus the protocol.
                    while (inner.next()) {
                        if (inner.type() == IFLA_VF_VLAN_INFO) {
                            vlan = vlanOf(inner.s32At(4));
                            qos = inner.s32At(8);
                            protocol = protocolOf(inner.be16At(12));
                        }
                    }
                }
                case IFLA_VF_TX_RATE -> {
                    if (!haveRate) {
                        maxRate = vf.s32At(4) & 0xffff_ffffL;
                    }
                }
                case IFLA_VF_RATE -> {
                    minRate = vf.s32At(4) & 0xffff_ffffL;
                    maxRate = vf.s32At(8) & 0xffff_ffffL;
                    haveRate = true;
                }
                case IFLA_VF_SPOOFCHK -> spoofCheck = setting(vf.s32At(4));
                case IFLA_VF_TRUST -> trusted = setting(vf.s32At(4));
                case IFLA_VF_LINK_STATE -> linkState = linkStateOf(vf.s32At(4));
                case IFLA_VF_IB_NODE_GUID -> nodeGuid = Optional.of(Guid.of(vf.u64At(8)));
                case IFLA_VF_IB_PORT_GUID -> portGuid = Optional.of(Guid.of(vf.u64At(8)));
                case IFLA_VF_STATS -> stats = Optional.of(parseStats());
                default -> {
                    // IFLA_VF_RSS_QUERY_EN, IFLA_VF_BROADCAST and future attributes: not needed.
                }
            }
        }
        if (number < 0) {
            throw new NetlinkDecodeException("IFLA_VF_INFO without a VF number (IFLA_VF_MAC)", vfs.offset());
        }
        return new VfInfo(number, mac, vlan, qos, protocol, Bandwidth.ofMbps(minRate), Bandwidth.ofMbps(maxRate),
                spoofCheck, trusted, linkState, nodeGuid, portGuid, stats);
    }

    private VfStats parseStats() {
        vf.nested(inner);
        long[] counters = new long[NetlinkConstants.IFLA_VF_STATS_TX_DROPPED + 1];
        while (inner.next()) {
            int type = inner.type();
            if (type < counters.length && type != NetlinkConstants.IFLA_VF_STATS_PAD) {
                counters[type] = inner.u64();
            }
        }
        return new VfStats(counters[NetlinkConstants.IFLA_VF_STATS_RX_PACKETS],
                counters[NetlinkConstants.IFLA_VF_STATS_TX_PACKETS],
                counters[NetlinkConstants.IFLA_VF_STATS_RX_BYTES],
                counters[NetlinkConstants.IFLA_VF_STATS_TX_BYTES],
                counters[NetlinkConstants.IFLA_VF_STATS_BROADCAST],
                counters[NetlinkConstants.IFLA_VF_STATS_MULTICAST],
                counters[NetlinkConstants.IFLA_VF_STATS_RX_DROPPED],
                counters[NetlinkConstants.IFLA_VF_STATS_TX_DROPPED]);
    }

    private Optional<VlanId> vlanOf(int value) {
        if (value == 0) {
            return Optional.empty();
        }
        if (value < 1 || value > 4094) {
            throw new NetlinkDecodeException("VF VLAN " + Integer.toUnsignedString(value) + " out of range",
                    vf.offset());
        }
        return Optional.of(VlanId.of(value));
    }

    private VlanProtocol protocolOf(int ethertype) {
        try {
            return VlanProtocol.ofEthertype(ethertype);
        } catch (IllegalArgumentException e) {
            throw new NetlinkDecodeException("VF VLAN protocol 0x" + Integer.toHexString(ethertype) + " unknown",
                    inner.offset());
        }
    }

    private VfLinkState linkStateOf(int value) {
        try {
            return VfLinkState.of(value);
        } catch (IllegalArgumentException e) {
            throw new NetlinkDecodeException("VF link state " + Integer.toUnsignedString(value) + " unknown",
                    vf.offset());
        }
    }

    private static Optional<Boolean> setting(int value) {
        return value == UNSUPPORTED ? Optional.empty() : Optional.of(value != 0);
    }
}
