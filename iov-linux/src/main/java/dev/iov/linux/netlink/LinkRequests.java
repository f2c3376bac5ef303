package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.IFLA_EXT_MASK;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_IFNAME;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_INFO_DATA;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_INFO_KIND;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_IPOIB_PKEY;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_LINK;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_LINKINFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_MACVLAN_MODE;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_GROUP;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_GROUP6;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_ID;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_LEARNING;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_LINK;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_LOCAL;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_LOCAL6;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VXLAN_PORT;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_REQUEST;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_DELLINK;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_GETLINK;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_NEWLINK;
import static dev.iov.linux.netlink.NetlinkConstants.VETH_INFO_PEER;

import dev.iov.api.net.InterfaceName;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Encodes the link requests iov sends, byte for byte as iproute2 6.1's {@code ip link} encodes the same change
 * (the golden-vector tests hold the proof): creating veth, bridge, VXLAN, macvlan and IPoIB links, deleting a
 * link, changing one, and reading one or all.
 *
 * <p>iproute2 details kept on purpose: every write is {@code RTM_NEWLINK} (also for {@code ip link set}, never
 * {@code RTM_SETLINK}); creation sets {@code NLM_F_CREATE | NLM_F_EXCL}; {@code IFLA_INFO_KIND} has no
 * terminating NUL; no nest carries {@code NLA_F_NESTED}; VXLAN always carries {@code IFLA_VXLAN_LEARNING}.
 *
 * <p>Each method writes one complete message at the buffer's position (see {@link NetlinkMessageWriter#finish()})
 * and fits {@link NetlinkRequest}. Links referred to by other links (a macvlan's parent, a VXLAN device) are
 * interface indexes, as the kernel takes them.
 */
public final class LinkRequests {

    private static final int CREATE = NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE;
    private static final int CHANGE = NLM_F_REQUEST | NLM_F_ACK;

    private LinkRequests() {
    }

    /**
     * {@code ip link add NAME type veth peer name PEER [netns NS]}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param spec the pair
     */
    public static void createVeth(NetlinkMessageWriter writer, ByteBuffer buffer, VethSpec spec) {
        startCreate(writer, buffer, spec.name());
        int linkInfo = writer.beginNested(IFLA_LINKINFO);
        writer.putString(IFLA_INFO_KIND, "veth");
        int data = writer.beginNested(IFLA_INFO_DATA);
        int peer = writer.beginNested(VETH_INFO_PEER);
        // The peer is described like a link of its own: an ifinfomsg, then its attributes.
        writer.reserve(IfInfoMsg.LENGTH);
        if (spec.peerNamespace().isPresent()) {
            spec.peerNamespace().get().writeTo(writer);
        }
        writer.putCString(IFLA_IFNAME, spec.peerName().value());
        writer.endNested(peer);
        writer.endNested(data);
        writer.endNested(linkInfo);
        writer.finish();
    }

    /**
     * {@code ip link add NAME type bridge}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param name the bridge
     */
    public static void createBridge(NetlinkMessageWriter writer, ByteBuffer buffer, InterfaceName name) {
        startCreate(writer, buffer, name);
        int linkInfo = writer.beginNested(IFLA_LINKINFO);
        writer.putString(IFLA_INFO_KIND, "bridge");
        writer.endNested(linkInfo);
        writer.finish();
    }

    /**
     * {@code ip link add NAME type vxlan id VNI [local A] [remote B | group G] [dev D] dstport P}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param spec the tunnel
     * @param deviceIndex the index of {@link VxlanSpec#device()}, or 0 when the spec has none
     */
    public static void createVxlan(NetlinkMessageWriter writer, ByteBuffer buffer, VxlanSpec spec,
            int deviceIndex) {
        if (spec.device().isPresent() != (deviceIndex > 0)) {
            throw new IllegalArgumentException("VXLAN device index " + deviceIndex + " does not match "
                    + spec.device().map(d -> "device " + d).orElse("no device"));
        }
        startCreate(writer, buffer, spec.name());
        int linkInfo = writer.beginNested(IFLA_LINKINFO);
        writer.putString(IFLA_INFO_KIND, "vxlan");
        int data = writer.beginNested(IFLA_INFO_DATA);
        // iproute2's order: dev as parsed, then id, local, remote/group, learning, port after the argument loop.
        if (deviceIndex > 0) {
            writer.putU32(IFLA_VXLAN_LINK, deviceIndex);
        }
        writer.putU32(IFLA_VXLAN_ID, spec.vni());
        if (spec.local().isPresent()) {
            InetAddress local = spec.local().get();
            writer.putInetAddress(isV4(local) ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, local);
        }
        if (spec.remote().isPresent()) {
            InetAddress remote = spec.remote().get();
            writer.putInetAddress(isV4(remote) ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6, remote);
        }
        writer.putU8(IFLA_VXLAN_LEARNING, spec.learning() ? 1 : 0);
        writer.putBe16(IFLA_VXLAN_PORT, spec.dstPort());
        writer.endNested(data);
        writer.endNested(linkInfo);
        writer.finish();
    }

    /**
     * {@code ip link add NAME link PARENT type macvlan mode MODE}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param spec the macvlan
     * @param parentIndex the index of {@link MacvlanSpec#parent()}
     */
    public static void createMacvlan(NetlinkMessageWriter writer, ByteBuffer buffer, MacvlanSpec spec,
            int parentIndex) {
        startCreateOn(writer, buffer, spec.name(), parentIndex);
        int linkInfo = writer.beginNested(IFLA_LINKINFO);
        writer.putString(IFLA_INFO_KIND, "macvlan");
        int data = writer.beginNested(IFLA_INFO_DATA);
        writer.putU32(IFLA_MACVLAN_MODE, spec.mode().value());
        writer.endNested(data);
        writer.endNested(linkInfo);
        writer.finish();
    }

    /**
     * {@code ip link add link PARENT name NAME type ipoib pkey P}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param spec the child
     * @param parentIndex the index of {@link IpoibSpec#parent()}
     */
    public static void createIpoib(NetlinkMessageWriter writer, ByteBuffer buffer, IpoibSpec spec,
            int parentIndex) {
        startCreateOn(writer, buffer, spec.name(), parentIndex);
        int linkInfo = writer.beginNested(IFLA_LINKINFO);
        writer.putString(IFLA_INFO_KIND, "ipoib");
        int data = writer.beginNested(IFLA_INFO_DATA);
        // Host order, as the ipoib driver reads it with nla_get_u16.
        writer.putU16(IFLA_IPOIB_PKEY, spec.pkey().value());
        writer.endNested(data);
        writer.endNested(linkInfo);
        writer.finish();
    }

    /**
     * {@code ip link del DEV}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param link the link to delete (with a veth, both ends go)
     */
    public static void delete(NetlinkMessageWriter writer, ByteBuffer buffer, LinkSelector link) {
        writer.begin(buffer, RTM_DELLINK, CHANGE);
        IfInfoMsg ifinfo = writer.reserveIfInfoMsg();
        link.writeTo(ifinfo, writer);
        writer.finish();
    }

    /**
     * {@code ip link set DEV [up|down] [address M] [mtu N] [netns NS] [master M|nomaster]}.
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param link the link to change
     * @param change what to change
     */
    public static void change(NetlinkMessageWriter writer, ByteBuffer buffer, LinkSelector link,
            LinkChange change) {
        writer.begin(buffer, RTM_NEWLINK, CHANGE);
        IfInfoMsg ifinfo = writer.reserveIfInfoMsg();
        link.writeTo(ifinfo, writer);
        change.writeTo(ifinfo, writer);
        writer.finish();
    }

    /**
     * Asks for one link ({@code RTM_GETLINK} with {@code NLM_F_ACK}: the reply, then the acknowledgement).
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param link the link
     * @param extMask {@code RTEXT_FILTER_*} bits, e.g. {@link NetlinkConstants#RTEXT_FILTER_VF}; 0 for none
     */
    public static void get(NetlinkMessageWriter writer, ByteBuffer buffer, LinkSelector link, int extMask) {
        writer.begin(buffer, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK);
        IfInfoMsg ifinfo = writer.reserveIfInfoMsg();
        if (extMask != 0) {
            writer.putU32(IFLA_EXT_MASK, extMask);
        }
        link.writeTo(ifinfo, writer);
        writer.finish();
    }

    /**
     * Asks for every link ({@code RTM_GETLINK} with {@code NLM_F_DUMP}).
     *
     * @param writer the writer
     * @param buffer where the message goes
     * @param extMask {@code RTEXT_FILTER_*} bits; 0 for none
     */
    public static void dump(NetlinkMessageWriter writer, ByteBuffer buffer, int extMask) {
        writer.begin(buffer, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP);
        writer.reserve(IfInfoMsg.LENGTH);
        if (extMask != 0) {
            writer.putU32(IFLA_EXT_MASK, extMask);
        }
        writer.finish();
    }

    private static void startCreate(NetlinkMessageWriter writer, ByteBuffer buffer, InterfaceName name) {
        writer.begin(buffer, RTM_NEWLINK, CREATE);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.putCString(IFLA_IFNAME, name.value());
    }

    private static void startCreateOn(NetlinkMessageWriter writer, ByteBuffer buffer, InterfaceName name,
            int parentIndex) {
        if (parentIndex <= 0) {
            throw new IllegalArgumentException("parent interface index must be positive: '" + parentIndex + "'");
        }
        writer.begin(buffer, RTM_NEWLINK, CREATE);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.putU32(IFLA_LINK, parentIndex);
        writer.putCString(IFLA_IFNAME, name.value());
    }

    private static boolean isV4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
