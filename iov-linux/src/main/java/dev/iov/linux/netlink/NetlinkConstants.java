package dev.iov.linux.netlink;

/**
 * The numbers of the netlink and rtnetlink ABI that iov uses, copied from the Linux UAPI headers named in each
 * section. They are part of the stable kernel ABI, so they are written out here rather than read from anywhere;
 * the names are the C names so that a {@code grep} through the kernel headers finds them.
 */
public final class NetlinkConstants {

    private NetlinkConstants() {
    }

    // ---- linux/netlink.h -------------------------------------------------------------------------------------

    /** Netlink protocol number of rtnetlink ({@code NETLINK_ROUTE}). */
    public static final int NETLINK_ROUTE = 0;

    /** Every netlink message and attribute is padded to this alignment ({@code NLMSG_ALIGNTO}, {@code NLA_ALIGNTO}). */
    public static final int NLMSG_ALIGNTO = 4;

    /** Message type: nothing, skip it. */
    public static final int NLMSG_NOOP = 0x1;
    /** Message type: an error or, with error 0, an acknowledgement ({@code struct nlmsgerr}). */
    public static final int NLMSG_ERROR = 0x2;
    /** Message type: end of a multipart dump; its payload is an {@code int} error. */
    public static final int NLMSG_DONE = 0x3;
    /** Message type: data lost. */
    public static final int NLMSG_OVERRUN = 0x4;

    /** Flag: this is a request. */
    public static final int NLM_F_REQUEST = 0x01;
    /** Flag: multipart message, terminated by {@link #NLMSG_DONE}. */
    public static final int NLM_F_MULTI = 0x02;
    /** Flag: reply with an acknowledgement (an {@link #NLMSG_ERROR} with error 0 on success). */
    public static final int NLM_F_ACK = 0x04;
    /** Flag: echo the resulting notification back to the requester. */
    public static final int NLM_F_ECHO = 0x08;
    /** Flag on dump replies: the dump was inconsistent because the object set changed during it. */
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** Flag on dump replies: the dump was filtered as requested. */
    public static final int NLM_F_DUMP_FILTERED = 0x20;

    /** GET modifier: specify tree root. */
    public static final int NLM_F_ROOT = 0x100;
    /** GET modifier: return all matching. */
    public static final int NLM_F_MATCH = 0x200;
    /** GET modifier: dump everything ({@code NLM_F_ROOT | NLM_F_MATCH}). */
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    /** NEW modifier: override an existing object. */
    public static final int NLM_F_REPLACE = 0x100;
    /** NEW modifier: fail if the object already exists. */
    public static final int NLM_F_EXCL = 0x200;
    /** NEW modifier: create the object if it does not exist. */
    public static final int NLM_F_CREATE = 0x400;
    /** NEW modifier: add to the end of a list. */
    public static final int NLM_F_APPEND = 0x800;

    /** Acknowledgement flag: the echoed request was capped to its header ({@code NETLINK_CAP_ACK}). */
    public static final int NLM_F_CAPPED = 0x100;
    /** Acknowledgement flag: extended-ACK TLVs follow the echoed request ({@code NETLINK_EXT_ACK}). */
    public static final int NLM_F_ACK_TLVS = 0x200;

    /** Extended ACK attribute: human-readable error message (string). */
    public static final int NLMSGERR_ATTR_MSG = 1;
    /** Extended ACK attribute: offset of the offending attribute in the request (u32). */
    public static final int NLMSGERR_ATTR_OFFS = 2;
    /** Extended ACK attribute: subsystem-specific cookie. */
    public static final int NLMSGERR_ATTR_COOKIE = 3;
    /** Extended ACK attribute: policy of a rejected attribute (nested). */
    public static final int NLMSGERR_ATTR_POLICY = 4;
    /** Extended ACK attribute: type of a missing required attribute (u32). */
    public static final int NLMSGERR_ATTR_MISS_TYPE = 5;
    /** Extended ACK attribute: offset of the nest that misses an attribute (u32). */
    public static final int NLMSGERR_ATTR_MISS_NEST = 6;

    /** Attribute type flag: the payload is a nested attribute set. */
    public static final int NLA_F_NESTED = 1 << 15;
    /** Attribute type flag: the payload is in network byte order. */
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    /** Mask that removes both attribute type flags. */
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    // ---- linux/rtnetlink.h -----------------------------------------------------------------------------------

    /** Create a link, or with an existing link and no {@link #NLM_F_EXCL}, change it. */
    public static final int RTM_NEWLINK = 16;
    /** Delete a link. */
    public static final int RTM_DELLINK = 17;
    /** Get one link, or dump all links with {@link #NLM_F_DUMP}. */
    public static final int RTM_GETLINK = 18;
    /** Change an existing link (never creates). */
    public static final int RTM_SETLINK = 19;
    /** Add an address. */
    public static final int RTM_NEWADDR = 20;
    /** Remove an address. */
    public static final int RTM_DELADDR = 21;
    /** Get or dump addresses. */
    public static final int RTM_GETADDR = 22;

    /** {@link #IFLA_EXT_MASK} bit: include VF information ({@link #IFLA_VFINFO_LIST}) in link replies. */
    public static final int RTEXT_FILTER_VF = 1 << 0;
    /** {@link #IFLA_EXT_MASK} bit: leave out statistics. */
    public static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    // ---- linux/socket.h ---------------------------------------------------------------------------------------

    /** Address family: unspecified (used in {@code ifinfomsg} for link requests). */
    public static final int AF_UNSPEC = 0;
    /** Address family: IPv4. */
    public static final int AF_INET = 2;
    /** Address family: IPv6. */
    public static final int AF_INET6 = 10;

    // ---- linux/if.h -------------------------------------------------------------------------------------------

    /** Interface flag: administratively up. */
    public static final int IFF_UP = 1;
    /** Interface flag: operationally up (RFC 2863 OPER_UP). */
    public static final int IFF_RUNNING = 1 << 6;
    /** Interface flag: the driver signals layer 1 up. */
    public static final int IFF_LOWER_UP = 1 << 16;

    /** RFC 2863 operational state {@code IF_OPER_UNKNOWN}. */
    public static final int IF_OPER_UNKNOWN = 0;
    /** RFC 2863 operational state {@code IF_OPER_NOTPRESENT}. */
    public static final int IF_OPER_NOTPRESENT = 1;
    /** RFC 2863 operational state {@code IF_OPER_DOWN}. */
    public static final int IF_OPER_DOWN = 2;
    /** RFC 2863 operational state {@code IF_OPER_LOWERLAYERDOWN}. */
    public static final int IF_OPER_LOWERLAYERDOWN = 3;
    /** RFC 2863 operational state {@code IF_OPER_TESTING}. */
    public static final int IF_OPER_TESTING = 4;
    /** RFC 2863 operational state {@code IF_OPER_DORMANT}. */
    public static final int IF_OPER_DORMANT = 5;
    /** RFC 2863 operational state {@code IF_OPER_UP}. */
    public static final int IF_OPER_UP = 6;

    // ---- linux/if_link.h: link attributes ---------------------------------------------------------------------

    /** Link attribute: hardware address (bytes). */
    public static final int IFLA_ADDRESS = 1;
    /** Link attribute: hardware broadcast address (bytes). */
    public static final int IFLA_BROADCAST = 2;
    /** Link attribute: interface name (NUL-terminated string). */
    public static final int IFLA_IFNAME = 3;
    /** Link attribute: MTU (u32). */
    public static final int IFLA_MTU = 4;
    /** Link attribute: index of the underlying link (s32), e.g. a macvlan's parent or a veth's peer. */
    public static final int IFLA_LINK = 5;
    /** Link attribute: index of the master device (u32; 0 = no master). */
    public static final int IFLA_MASTER = 10;
    /** Link attribute: transmit queue length (u32). */
    public static final int IFLA_TXQLEN = 13;
    /** Link attribute: RFC 2863 operational state (u8). */
    public static final int IFLA_OPERSTATE = 16;
    /** Link attribute: link mode (u8). */
    public static final int IFLA_LINKMODE = 17;
    /** Link attribute: kind-specific information (nested {@code IFLA_INFO_*}). */
    public static final int IFLA_LINKINFO = 18;
    /** Link attribute: move the link to the network namespace of this process id (u32). */
    public static final int IFLA_NET_NS_PID = 19;
    /** Link attribute: interface alias (string). */
    public static final int IFLA_IFALIAS = 20;
    /** Link attribute: number of VFs (u32). */
    public static final int IFLA_NUM_VF = 21;
    /** Link attribute: per-VF settings (nested {@link #IFLA_VF_INFO} list). */
    public static final int IFLA_VFINFO_LIST = 22;
    /** Link attribute: 64-bit statistics ({@code struct rtnl_link_stats64}). */
    public static final int IFLA_STATS64 = 23;
    /** Link attribute: address-family-specific data (nested). */
    public static final int IFLA_AF_SPEC = 26;
    /** Link attribute: link group (u32). */
    public static final int IFLA_GROUP = 27;
    /** Link attribute: move the link to the network namespace behind this open file descriptor (u32). */
    public static final int IFLA_NET_NS_FD = 28;
    /** Link attribute: extended filter mask for GET requests (u32, {@code RTEXT_FILTER_*}). */
    public static final int IFLA_EXT_MASK = 29;
    /** Link attribute: promiscuity count (u32). */
    public static final int IFLA_PROMISCUITY = 30;
    /** Link attribute: carrier (u8). */
    public static final int IFLA_CARRIER = 33;
    /** Link attribute: the network namespace id, as seen from this namespace, of the peer/underlying link (s32). */
    public static final int IFLA_LINK_NETNSID = 37;
    /** Link attribute: padding that aligns 64-bit attributes; carries nothing. */
    public static final int IFLA_PAD = 42;

    /** Link info attribute: kind name (string, e.g. {@code veth}). */
    public static final int IFLA_INFO_KIND = 1;
    /** Link info attribute: kind-specific data (nested). */
    public static final int IFLA_INFO_DATA = 2;
    /** Link info attribute: kind of the master this link is enslaved to (string, e.g. {@code bridge}). */
    public static final int IFLA_INFO_SLAVE_KIND = 4;

    /** VF list attribute: one VF's settings (nested {@code IFLA_VF_*}). */
    public static final int IFLA_VF_INFO = 1;

    /** VF attribute: MAC ({@code struct ifla_vf_mac {u32 vf; u8 mac[32];}}). */
    public static final int IFLA_VF_MAC = 1;
    /** VF attribute: VLAN ({@code struct ifla_vf_vlan {u32 vf; u32 vlan; u32 qos;}}). */
    public static final int IFLA_VF_VLAN = 2;
    /** VF attribute: legacy maximum rate ({@code struct ifla_vf_tx_rate {u32 vf; u32 rate;}}, Mbit/s). */
    public static final int IFLA_VF_TX_RATE = 3;
    /** VF attribute: spoof checking ({@code struct ifla_vf_spoofchk {u32 vf; u32 setting;}}). */
    public static final int IFLA_VF_SPOOFCHK = 4;
    /** VF attribute: link state ({@code struct ifla_vf_link_state {u32 vf; u32 link_state;}}). */
    public static final int IFLA_VF_LINK_STATE = 5;
    /** VF attribute: rates ({@code struct ifla_vf_rate {u32 vf; u32 min_tx_rate; u32 max_tx_rate;}}, Mbit/s). */
    public static final int IFLA_VF_RATE = 6;
    /** VF attribute: RSS query ({@code struct ifla_vf_rss_query_en {u32 vf; u32 setting;}}). */
    public static final int IFLA_VF_RSS_QUERY_EN = 7;
    /** VF attribute: statistics (nested {@code IFLA_VF_STATS_*}). */
    public static final int IFLA_VF_STATS = 8;
    /** VF attribute: trust ({@code struct ifla_vf_trust {u32 vf; u32 setting;}}). */
    public static final int IFLA_VF_TRUST = 9;
    /** VF attribute: InfiniBand node GUID ({@code struct ifla_vf_guid {u32 vf; u64 guid;}}, 16 bytes). */
    public static final int IFLA_VF_IB_NODE_GUID = 10;
    /** VF attribute: InfiniBand port GUID ({@code struct ifla_vf_guid {u32 vf; u64 guid;}}, 16 bytes). */
    public static final int IFLA_VF_IB_PORT_GUID = 11;
    /** VF attribute: VLAN list (nested {@link #IFLA_VF_VLAN_INFO}), the only way to ask for 802.1ad. */
    public static final int IFLA_VF_VLAN_LIST = 12;
    /** VF attribute: broadcast address ({@code struct ifla_vf_broadcast {u8 broadcast[32];}}). */
    public static final int IFLA_VF_BROADCAST = 13;

    /** VF VLAN list attribute ({@code struct ifla_vf_vlan_info {u32 vf; u32 vlan; u32 qos; __be16 vlan_proto;}}). */
    public static final int IFLA_VF_VLAN_INFO = 1;

    /** VF statistics attribute: received packets (u64). */
    public static final int IFLA_VF_STATS_RX_PACKETS = 0;
    /** VF statistics attribute: transmitted packets (u64). */
    public static final int IFLA_VF_STATS_TX_PACKETS = 1;
    /** VF statistics attribute: received bytes (u64). */
    public static final int IFLA_VF_STATS_RX_BYTES = 2;
    /** VF statistics attribute: transmitted bytes (u64). */
    public static final int IFLA_VF_STATS_TX_BYTES = 3;
    /** VF statistics attribute: received broadcast packets (u64). */
    public static final int IFLA_VF_STATS_BROADCAST = 4;
    /** VF statistics attribute: received multicast packets (u64). */
    public static final int IFLA_VF_STATS_MULTICAST = 5;
    /** VF statistics attribute: padding. */
    public static final int IFLA_VF_STATS_PAD = 6;
    /** VF statistics attribute: dropped on receive (u64). */
    public static final int IFLA_VF_STATS_RX_DROPPED = 7;
    /** VF statistics attribute: dropped on transmit (u64). */
    public static final int IFLA_VF_STATS_TX_DROPPED = 8;

    /** VF link state: follow the PF's link. */
    public static final int IFLA_VF_LINK_STATE_AUTO = 0;
    /** VF link state: always up. */
    public static final int IFLA_VF_LINK_STATE_ENABLE = 1;
    /** VF link state: always down. */
    public static final int IFLA_VF_LINK_STATE_DISABLE = 2;

    /** VXLAN attribute: VNI (u32). */
    public static final int IFLA_VXLAN_ID = 1;
    /** VXLAN attribute: IPv4 remote or multicast group (4 bytes, network order). */
    public static final int IFLA_VXLAN_GROUP = 2;
    /** VXLAN attribute: index of the underlying device (u32). */
    public static final int IFLA_VXLAN_LINK = 3;
    /** VXLAN attribute: IPv4 local address (4 bytes, network order). */
    public static final int IFLA_VXLAN_LOCAL = 4;
    /** VXLAN attribute: TTL (u8). */
    public static final int IFLA_VXLAN_TTL = 5;
    /** VXLAN attribute: learn source addresses into the FDB (u8). */
    public static final int IFLA_VXLAN_LEARNING = 7;
    /** VXLAN attribute: UDP destination port (be16). */
    public static final int IFLA_VXLAN_PORT = 15;
    /** VXLAN attribute: IPv6 remote or multicast group (16 bytes). */
    public static final int IFLA_VXLAN_GROUP6 = 16;
    /** VXLAN attribute: IPv6 local address (16 bytes). */
    public static final int IFLA_VXLAN_LOCAL6 = 17;

    /** MACVLAN attribute: mode (u32, {@code MACVLAN_MODE_*}). */
    public static final int IFLA_MACVLAN_MODE = 1;
    /** MACVLAN mode: no traffic between macvlans on the same parent. */
    public static final int MACVLAN_MODE_PRIVATE = 1;
    /** MACVLAN mode: traffic between macvlans goes out and back through the adjacent switch. */
    public static final int MACVLAN_MODE_VEPA = 2;
    /** MACVLAN mode: macvlans on the same parent talk directly. */
    public static final int MACVLAN_MODE_BRIDGE = 4;
    /** MACVLAN mode: the single macvlan takes over the parent. */
    public static final int MACVLAN_MODE_PASSTHRU = 8;
    /** MACVLAN mode: accept only listed source MACs. */
    public static final int MACVLAN_MODE_SOURCE = 16;

    /** IPoIB attribute: partition key (u16, host order). */
    public static final int IFLA_IPOIB_PKEY = 1;
    /** IPoIB attribute: mode (u16, datagram 0 / connected 1). */
    public static final int IFLA_IPOIB_MODE = 2;
    /** IPoIB attribute: user multicast (u16). */
    public static final int IFLA_IPOIB_UMCAST = 3;

    // ---- linux/veth.h ----------------------------------------------------------------------------------------

    /** veth data attribute: the peer, as an {@code ifinfomsg} followed by link attributes. */
    public static final int VETH_INFO_PEER = 1;

    // ---- linux/if_addr.h -------------------------------------------------------------------------------------

    /** Address attribute: prefix address (or peer address on point-to-point links). */
    public static final int IFA_ADDRESS = 1;
    /** Address attribute: local address. */
    public static final int IFA_LOCAL = 2;
    /** Address attribute: label (string). */
    public static final int IFA_LABEL = 3;
    /** Address attribute: broadcast address. */
    public static final int IFA_BROADCAST = 4;
    /** Address attribute: lifetimes ({@code struct ifa_cacheinfo}). */
    public static final int IFA_CACHEINFO = 6;
    /** Address attribute: 32-bit flags extending {@code ifa_flags}. */
    public static final int IFA_FLAGS = 8;

    /** Address scope: global ({@code RT_SCOPE_UNIVERSE}, rtnetlink.h). */
    public static final int RT_SCOPE_UNIVERSE = 0;
    /** Address scope: host ({@code RT_SCOPE_HOST}, rtnetlink.h). */
    public static final int RT_SCOPE_HOST = 254;

    // ---- linux/if_ether.h ------------------------------------------------------------------------------------

    /** Ethertype of 802.1Q VLAN tags. */
    public static final int ETH_P_8021Q = 0x8100;
    /** Ethertype of 802.1ad service VLAN tags. */
    public static final int ETH_P_8021AD = 0x88A8;
}
