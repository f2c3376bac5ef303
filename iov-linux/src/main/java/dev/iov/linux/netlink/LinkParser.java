package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.IFF_UP;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_ADDRESS;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_IFALIAS;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_IFNAME;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_INFO_KIND;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_LINK;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_LINKINFO;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_LINK_NETNSID;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_MASTER;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_MTU;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_NUM_VF;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_OPERSTATE;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_STATS64;
import static dev.iov.linux.netlink.NetlinkConstants.IFLA_VFINFO_LIST;
import static dev.iov.linux.netlink.NetlinkConstants.RTM_NEWLINK;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns an {@code RTM_NEWLINK} message (a reply to a GET or dump) into a {@link LinkInfo}. Reusable, not
 * thread-safe. Anything malformed, including a name the kernel could never have sent, is a
 * {@link NetlinkDecodeException}.
 */
final class LinkParser {

    /** {@code struct rtnl_link_stats64} fields read here: the first ten u64s. */
    private static final int STATS64_FIELDS = 10;

    private final IfInfoMsg ifinfo = new IfInfoMsg();
    private final AttributeReader attributes = new AttributeReader();
    private final AttributeReader linkInfo = new AttributeReader();
    private final VfInfoParser vfParser = new VfInfoParser();

    /**
     * Parses a link message.
     *
     * @param message positioned on an {@code RTM_NEWLINK} message
     * @return the link
     * @throws NetlinkDecodeException when the message is malformed or lacks a name
     */
    LinkInfo parse(MessageReader message) {
        if (message.type() != RTM_NEWLINK) {
            throw new NetlinkDecodeException("expected RTM_NEWLINK, got message type " + message.type(),
                    message.offset());
        }
        int first = message.requirePayload(IfInfoMsg.LENGTH);
        ifinfo.wrap(message.buffer(), message.payloadOffset());
        attributes.wrap(message.buffer(), first, message.payloadEnd());
        InterfaceName name = null;
        Optional<String> kind = Optional.empty();
        Optional<MacAddress> mac = Optional.empty();
        boolean ethernet = false;
        int mtu = 0;
        OperState operState = OperState.UNKNOWN;
        OptionalInt master = OptionalInt.empty();
        OptionalInt link = OptionalInt.empty();
        OptionalInt linkNetnsId = OptionalInt.empty();
        Optional<LinkStats> stats = Optional.empty();
        OptionalInt numVfs = OptionalInt.empty();
        int vfListStart = -1;
        int vfListEnd = -1;
        Optional<String> alias = Optional.empty();
        while (attributes.next()) {
            switch (attributes.type()) {
                case IFLA_IFNAME -> name = interfaceName();
                case IFLA_ADDRESS -> {
                    ethernet = attributes.payloadLength() == 6;
                    mac = ethernet ? Optional.of(attributes.macAddress()) : Optional.empty();
                }
                case IFLA_MTU -> mtu = attributes.s32();
                case IFLA_OPERSTATE -> operState = OperState.of(attributes.u8());
                case IFLA_MASTER -> {
                    int index = attributes.s32();
                    master = index == 0 ? OptionalInt.empty() : OptionalInt.of(index);
                }
                case IFLA_LINK -> link = OptionalInt.of(attributes.s32());
                case IFLA_LINK_NETNSID -> linkNetnsId = OptionalInt.of(attributes.s32());
                case IFLA_STATS64 -> stats = Optional.of(stats64());
                case IFLA_NUM_VF -> numVfs = OptionalInt.of(attributes.s32());
                case IFLA_LINKINFO -> kind = kind();
                case IFLA_IFALIAS -> {
                    // The kernel sends the attribute only for a link with an alias; an empty one is no alias.
                    String text = attributes.string();
                    alias = text.isEmpty() ? Optional.empty() : Optional.of(text);
                }
                case IFLA_VFINFO_LIST -> {
                    // Parsed after the loop: whether VF MACs are Ethernet MACs depends on IFLA_ADDRESS.
                    vfListStart = attributes.payloadOffset();
                    vfListEnd = attributes.offset() + attributes.length();
                }
                default -> {
                    // Everything else (qdisc, txqlen, af_spec, ...) is not part of LinkInfo.
                }
            }
        }
        if (name == null) {
            throw new NetlinkDecodeException("link message without IFLA_IFNAME", message.offset());
        }
        List<VfInfo> vfs = vfListStart < 0 ? List.of()
                : vfParser.parse(message.buffer(), vfListStart, vfListEnd, ethernet);
        int flags = ifinfo.flags();
        return new LinkInfo(ifinfo.index(), name, kind, mac, mtu, operState, (flags & IFF_UP) != 0, flags, master,
                link, linkNetnsId, stats, numVfs, vfs, alias);
    }

    private InterfaceName interfaceName() {
        String text = attributes.string();
        try {
            return InterfaceName.of(text);
        } catch (IllegalArgumentException e) {
            throw new NetlinkDecodeException("invalid interface name in IFLA_IFNAME", attributes.offset());
        }
    }

    private Optional<String> kind() {
        attributes.nested(linkInfo);
        while (linkInfo.next()) {
            if (linkInfo.type() == IFLA_INFO_KIND) {
                return Optional.of(linkInfo.string());
            }
        }
        return Optional.empty();
    }

    private LinkStats stats64() {
        attributes.require(STATS64_FIELDS * 8);
        return new LinkStats(attributes.u64At(0), attributes.u64At(8), attributes.u64At(16), attributes.u64At(24),
                attributes.u64At(32), attributes.u64At(40), attributes.u64At(48), attributes.u64At(56),
                attributes.u64At(64), attributes.u64At(72));
    }
}
