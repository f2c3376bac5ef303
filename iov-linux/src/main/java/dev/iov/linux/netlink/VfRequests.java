package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VFINFO_LIST;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_IB_NODE_GUID;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_IB_PORT_GUID;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_INFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_LINK_STATE;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_MAC;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_RATE;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_SPOOFCHK;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_TRUST;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_VLAN;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_VLAN_INFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_VLAN_LIST;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_REQUEST;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_NEWLINK;

import dev.iov.api.net.Guid;
import java.nio.ByteBuffer;

/**
 * Encodes VF settings on a PF exactly as iproute2 6.1's {@code ip link set PF vf N ...} does: an
 * {@code RTM_NEWLINK} (not {@code RTM_SETLINK}) with {@code NLM_F_REQUEST | NLM_F_ACK}, holding
 * {@code IFLA_VFINFO_LIST} → {@code IFLA_VF_INFO} → one fixed-size structure per setting, both nests without
 * {@code NLA_F_NESTED}.
 *
 * <p>Structures, all host order and {@code u32 vf} first: {@code IFLA_VF_MAC {vf; u8 mac[32]}},
 * {@code IFLA_VF_VLAN {vf; vlan; qos}} for 802.1Q, or {@code IFLA_VF_VLAN_LIST} →
 * {@code IFLA_VF_VLAN_INFO {vf; vlan; qos; __be16 proto; 2 bytes padding}} for 802.1ad (iproute2 uses the old
 * attribute for 802.1Q so that older kernels understand it), {@code IFLA_VF_SPOOFCHK}/{@code IFLA_VF_TRUST}/
 * {@code IFLA_VF_LINK_STATE {vf; u32 value}}, {@code IFLA_VF_IB_NODE_GUID}/{@code IFLA_VF_IB_PORT_GUID
 * {vf; 4 bytes padding; u64 guid}} and last, as iproute2 appends it after its argument loop,
 * {@code IFLA_VF_RATE {vf; min_tx_rate; max_tx_rate}} in Mbit/s. The legacy {@code IFLA_VF_TX_RATE}
 * ({@code ip link ... vf N rate R}) is not used.
 */
public final class VfRequests {

    private static final int MAC_FIELD = 32;

    private VfRequests() {
    }

    /**
     * Writes the settings of one VF.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param pf the PF
     * @param config the settings; if it sets a rate, both rates must be set (see
     *     {@link VfConfig#withCurrentRates})
     * @throws IllegalArgumentException when only one of the two rates is set
     */
    public static void set(NetlinkMessageWriter writer, ByteBuffer buffer, LinkSelector pf, VfConfig config) {
        if (config.needsCurrentRates()) {
            throw new IllegalArgumentException("VF " + config.vf() + ": the kernel takes both rates at once; "
                    + "complete " + config + " with VfConfig.withCurrentRates first");
        }
        int vf = config.vf();
        writer.begin(buffer, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        IfInfoMsg ifinfo = writer.reserveIfInfoMsg();
        pf.writeTo(ifinfo, writer);
        int list = writer.beginNested(IFLA_VFINFO_LIST);
        int info = writer.beginNested(IFLA_VF_INFO);
        if (config.mac().isPresent()) {
            int at = writer.beginAttribute(IFLA_VF_MAC);
            writer.appendU32(vf).appendMac(config.mac().get(), MAC_FIELD);
            writer.endAttribute(at);
        }
        if (config.isVlanSet()) {
            int vlan = config.vlan().isPresent() ? config.vlan().get().value() : 0;
            if (config.vlanProtocol() == VlanProtocol.IEEE_802_1Q) {
                int at = writer.beginAttribute(IFLA_VF_VLAN);
                writer.appendU32(vf).appendU32(vlan).appendU32(config.qos());
                writer.endAttribute(at);
            } else {
                int vlanList = writer.beginNested(IFLA_VF_VLAN_LIST);
                int at = writer.beginAttribute(IFLA_VF_VLAN_INFO);
                writer.appendU32(vf).appendU32(vlan).appendU32(config.qos())
                        .appendBe16(config.vlanProtocol().ethertype()).appendZeros(2);
                writer.endAttribute(at);
                writer.endNested(vlanList);
            }
        }
        if (config.spoofCheck().isPresent()) {
            putSetting(writer, IFLA_VF_SPOOFCHK, vf, config.spoofCheck().get() ? 1 : 0);
        }
        if (config.trust().isPresent()) {
            putSetting(writer, IFLA_VF_TRUST, vf, config.trust().get() ? 1 : 0);
        }
        if (config.linkState().isPresent()) {
            putSetting(writer, IFLA_VF_LINK_STATE, vf, config.linkState().get().value());
        }
        if (config.nodeGuid().isPresent()) {
            putGuid(writer, IFLA_VF_IB_NODE_GUID, vf, config.nodeGuid().get());
        }
        if (config.portGuid().isPresent()) {
            putGuid(writer, IFLA_VF_IB_PORT_GUID, vf, config.portGuid().get());
        }
        if (config.minTxRate().isPresent()) {
            int at = writer.beginAttribute(IFLA_VF_RATE);
            writer.appendU32(vf)
                    .appendU32(u32(config.minTxRate().get().toMbps(), "min_tx_rate Mbit/s"))
                    .appendU32(u32(config.maxTxRate().get().toMbps(), "max_tx_rate Mbit/s"));
            writer.endAttribute(at);
        }
        writer.endNested(info);
        writer.endNested(list);
        writer.finish();
    }

    /** The bits of a u32 field, for a value already known to fit; a value that does not is never truncated. */
    private static int u32(long value, String what) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(what + " " + value + " does not fit the kernel's u32");
        }
        return (int) value;
    }

    private static void putSetting(NetlinkMessageWriter writer, int type, int vf, int value) {
        int at = writer.beginAttribute(type);
        writer.appendU32(vf).appendU32(value);
        writer.endAttribute(at);
    }

    /** {@code struct ifla_vf_guid {__u32 vf; __u64 guid;}}: the u64's alignment puts 4 bytes of padding first. */
    private static void putGuid(NetlinkMessageWriter writer, int type, int vf, Guid guid) {
        int at = writer.beginAttribute(type);
        writer.appendU32(vf).appendZeros(4).appendU64(guid.toLong());
        writer.endAttribute(at);
    }
}
