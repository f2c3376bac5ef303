package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.IFLA_INFO_DATA;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_INFO_KIND;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_LINKINFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VFINFO_LIST;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_INFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VF_VLAN_LIST;
import static dev.iov.linux.netlink.NetlinkConstants.VETH_INFO_PEER;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders an rtnetlink request as one line per header and attribute, indented by nesting, with the attribute's
 * name, type flags, length and payload bytes, so that two encodings can be compared attribute by attribute with a
 * readable diff. Sequence number and port id are left out: they differ between any two runs.
 *
 * <p>Which attributes hold nests is known from the request structure (the kernel's policies), not from
 * {@code NLA_F_NESTED}, which iproute2 leaves off.
 */
final class MessageRenderer {

    private static final HexFormat HEX = HexFormat.of();

    private static final Map<Integer, String> IFLA = Map.ofEntries(Map.entry(1, "IFLA_ADDRESS"),
            Map.entry(3, "IFLA_IFNAME"), Map.entry(4, "IFLA_MTU"), Map.entry(5, "IFLA_LINK"),
            Map.entry(10, "IFLA_MASTER"), Map.entry(18, "IFLA_LINKINFO"), Map.entry(19, "IFLA_NET_NS_PID"),
            Map.entry(20, "IFLA_IFALIAS"), Map.entry(22, "IFLA_VFINFO_LIST"), Map.entry(28, "IFLA_NET_NS_FD"),
            Map.entry(29, "IFLA_EXT_MASK"));
    private static final Map<Integer, String> INFO = Map.of(1, "IFLA_INFO_KIND", 2, "IFLA_INFO_DATA");
    private static final Map<Integer, String> VF = Map.ofEntries(Map.entry(1, "IFLA_VF_MAC"),
            Map.entry(2, "IFLA_VF_VLAN"), Map.entry(3, "IFLA_VF_TX_RATE"), Map.entry(4, "IFLA_VF_SPOOFCHK"),
            Map.entry(5, "IFLA_VF_LINK_STATE"), Map.entry(6, "IFLA_VF_RATE"), Map.entry(9, "IFLA_VF_TRUST"),
            Map.entry(10, "IFLA_VF_IB_NODE_GUID"), Map.entry(11, "IFLA_VF_IB_PORT_GUID"),
            Map.entry(12, "IFLA_VF_VLAN_LIST"));
    private static final Map<Integer, String> VXLAN = Map.of(1, "IFLA_VXLAN_ID", 2, "IFLA_VXLAN_GROUP", 3,
            "IFLA_VXLAN_LINK", 4, "IFLA_VXLAN_LOCAL", 7, "IFLA_VXLAN_LEARNING", 15, "IFLA_VXLAN_PORT", 16,
            "IFLA_VXLAN_GROUP6", 17, "IFLA_VXLAN_LOCAL6");
    private static final Map<Integer, String> IFA = Map.of(1, "IFA_ADDRESS", 2, "IFA_LOCAL");

    private final Set<String> valueIgnored;

    /**
     * @param valueIgnored names of attributes whose payload is run-specific (a file descriptor number, a pid):
     *     their presence, flags and length are compared, their value is not
     */
    MessageRenderer(Set<String> valueIgnored) {
        this.valueIgnored = valueIgnored;
    }

    List<String> render(ByteBuffer buffer) {
        List<String> lines = new ArrayList<>();
        MessageReader message = new MessageReader().wrap(buffer, buffer.position(), buffer.limit());
        if (!message.next()) {
            throw new AssertionError("no message");
        }
        lines.add(String.format("nlmsghdr len=%d type=%d flags=0x%x", message.length(), message.type(),
                message.flags()));
        int type = message.type();
        boolean address = type >= NetlinkConstants.RTM_NEWADDR && type <= NetlinkConstants.RTM_GETADDR;
        int fixed = address ? IfAddrMsg.LENGTH : IfInfoMsg.LENGTH;
        int first = message.requirePayload(fixed);
        lines.add((address ? "ifaddrmsg " : "ifinfomsg ") + hex(buffer, message.payloadOffset(), fixed));
        attributes(buffer, first, message.payloadEnd(), address ? "addr" : "link", "", lines);
        if (message.next()) {
            throw new AssertionError("more than one message");
        }
        return lines;
    }

    private void attributes(ByteBuffer buffer, int start, int end, String space, String indent, List<String> lines) {
        AttributeReader attrs = new AttributeReader().wrap(buffer, start, end);
        String kind = null;
        while (attrs.next()) {
            int type = attrs.type();
            String name = name(space, type);
            String head = String.format("%s%s(%d)%s len=%d", indent, name, type,
                    attrs.isNestedFlagSet() ? "|NLA_F_NESTED" : "", attrs.length());
            String child = childSpace(space, type, kind);
            if (child != null) {
                lines.add(head + " {");
                int payload = attrs.payloadOffset();
                int payloadEnd = attrs.offset() + attrs.length();
                if (child.equals("peer")) {
                    lines.add(indent + "  ifinfomsg " + hex(buffer, payload, IfInfoMsg.LENGTH));
                    attributes(buffer, payload + IfInfoMsg.LENGTH, payloadEnd, "link", indent + "  ", lines);
                } else {
                    attributes(buffer, payload, payloadEnd, child, indent + "  ", lines);
                }
                lines.add(indent + "}");
            } else {
                if (space.equals("info") && type == IFLA_INFO_KIND) {
                    kind = attrs.string();
                }
                String value = valueIgnored.contains(name) ? "<value ignored: run-specific>"
                        : hex(buffer, attrs.payloadOffset(), attrs.payloadLength());
                lines.add(head + " " + value);
            }
        }
    }

    /** The attribute space of a nest's contents, or null for a leaf. */
    private static String childSpace(String space, int type, String kind) {
        switch (space) {
            case "link":
                return type == IFLA_LINKINFO ? "info" : type == IFLA_VFINFO_LIST ? "vflist" : null;
            case "info":
                return type == IFLA_INFO_DATA ? (kind == null ? "data" : kind) : null;
            case "veth":
                return type == VETH_INFO_PEER ? "peer" : null;
            case "vflist":
                return type == IFLA_VF_INFO ? "vf" : null;
            case "vf":
                return type == IFLA_VF_VLAN_LIST ? "vlanlist" : null;
            default:
                return null;
        }
    }

    private static String name(String space, int type) {
        Map<Integer, String> names = switch (space) {
            case "link" -> IFLA;
            case "info" -> INFO;
            case "vf" -> VF;
            case "vxlan" -> VXLAN;
            case "addr" -> IFA;
            case "vflist" -> Map.of(1, "IFLA_VF_INFO");
            case "vlanlist" -> Map.of(1, "IFLA_VF_VLAN_INFO");
            case "veth" -> Map.of(1, "VETH_INFO_PEER");
            case "macvlan" -> Map.of(1, "IFLA_MACVLAN_MODE");
            case "ipoib" -> Map.of(1, "IFLA_IPOIB_PKEY");
            default -> Map.of();
        };
        return names.getOrDefault(type, space + "#" + type);
    }

    private static String hex(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return HEX.formatHex(bytes);
    }
}
