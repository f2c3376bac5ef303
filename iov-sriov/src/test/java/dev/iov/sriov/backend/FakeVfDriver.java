package dev.iov.sriov.backend;

import static dev.iov.linux.netlink.NetlinkConstants.IFLA_IFNAME;
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

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.AttributeReader;
import dev.iov.linux.netlink.IfInfoMsg;
import dev.iov.linux.netlink.LinkSelector;
import dev.iov.linux.netlink.MessageReader;
import dev.iov.linux.netlink.NetlinkMessageWriter;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VfRequests;
import dev.iov.linux.netlink.VfStats;
import dev.iov.linux.netlink.VlanProtocol;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a PF driver keeps for its VFs, behind the two rtnetlink calls, for the paths this machine cannot reach (it has
 * no SR-IOV NIC); the real request is proven against the kernel in {@code SriovBackendIT}.
 *
 * <p>{@link #setVf} does what {@code Rtnetlink.setVf} does — completes a half-given rate pair from the current
 * values, encodes the request with {@link VfRequests} (the bytes iov sends to the kernel) — and then consumes those
 * bytes as the kernel does ({@code net/core/rtnetlink.c}): the link is looked up by {@code IFLA_IFNAME} (ENODEV),
 * each {@code IFLA_VF_INFO} in {@code IFLA_VFINFO_LIST} is checked against the attribute policy's minimum lengths
 * (ERANGE, {@code lib/nlattr.c}) and applied in {@code do_setvfinfo}'s order — MAC, VLAN, VLAN list, rate, spoof
 * check, link state, trust, then node GUID <em>or</em> port GUID: {@code do_setvfinfo} returns after the first of
 * the two, so a request carrying both sets only the node GUID. A setting is refused as a driver refuses it (a VF
 * number past the enabled ones, a VLAN above 4095 or a priority above 7: EINVAL), and the settings applied before
 * the refusal stay applied, as they do in the kernel. Reading answers what {@code IFLA_VFINFO_LIST} would show: an
 * all-zero MAC or GUID as "not set".
 */
public final class FakeVfDriver implements VfNetlink {

    /** Minimum payload lengths of {@code ifla_vf_policy} (net/core/rtnetlink.c), by attribute type. */
    private static final Map<Integer, Integer> MIN_LENGTH = Map.of(IFLA_VF_MAC, 36, IFLA_VF_VLAN, 12,
            IFLA_VF_RATE, 12, IFLA_VF_SPOOFCHK, 8, IFLA_VF_LINK_STATE, 8, IFLA_VF_TRUST, 8,
            IFLA_VF_IB_NODE_GUID, 16, IFLA_VF_IB_PORT_GUID, 16);
    private static final int MAX_VF_TYPE = 13;

    /** One VF's settings as the driver holds them. */
    private static final class Vf {
        final int index;
        long mac;
        int vlan;
        int qos;
        VlanProtocol protocol = VlanProtocol.IEEE_802_1Q;
        long minMbps;
        long maxMbps;
        boolean spoofCheck = true;
        boolean trust;
        VfLinkState linkState = VfLinkState.AUTO;
        long nodeGuid;
        long portGuid;

        Vf(int index) {
            this.index = index;
        }

        VfInfo info() {
            return new VfInfo(index, mac == 0 ? Optional.empty() : Optional.of(MacAddress.of(mac)),
                    vlan == 0 ? Optional.empty() : Optional.of(VlanId.of(vlan)), qos, protocol,
                    Bandwidth.ofMbps(minMbps), Bandwidth.ofMbps(maxMbps), Optional.of(spoofCheck), Optional.of(trust),
                    linkState, guid(nodeGuid), guid(portGuid),
                    Optional.of(new VfStats(index * 10L, index * 20L, index * 1000L, index * 2000L, 0, 0, 1, 2)));
        }

        private static Optional<Guid> guid(long value) {
            return value == 0 ? Optional.empty() : Optional.of(Guid.of(value));
        }
    }

    private final Map<InterfaceName, List<Vf>> pfs = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private Errno failNext;
    private int failAfter;
    private Errno failNextRead;

    /** Creates a driver without PFs. */
    public FakeVfDriver() {
    }

    /**
     * Adds a PF netdev with VFs in their reset state, or re-enables a PF's VFs with another count: as in the kernel,
     * VFs created again start from the reset state.
     *
     * @param netdev the PF's netdev
     * @param count its VFs
     * @return this driver
     */
    public synchronized FakeVfDriver pf(String netdev, int count) {
        List<Vf> vfs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            vfs.add(new Vf(i));
        }
        pfs.put(InterfaceName.of(netdev), vfs);
        return this;
    }

    /**
     * Takes a PF's netdev away (its driver unbound, the card gone): every call on it answers ENODEV.
     *
     * @param netdev the PF's netdev
     */
    public synchronized void removePf(String netdev) {
        pfs.remove(InterfaceName.of(netdev));
    }

    /**
     * Makes the next {@code setVf} after {@code skip} successful ones fail, before anything is applied.
     *
     * @param skip successful calls first
     * @param errno the failure
     */
    public synchronized void failSetVf(int skip, Errno errno) {
        this.failAfter = skip;
        this.failNext = errno;
    }

    /**
     * Makes the next read of a PF's VFs fail.
     *
     * @param errno the failure
     */
    public synchronized void failNextRead(Errno errno) {
        this.failNextRead = errno;
    }

    /** @return every call, as "vfs PF" or "set PF vf N ..." */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /**
     * Changes a VF behind iov's back, as {@code ip link set PF vf N ...} would.
     *
     * @param pf the PF's netdev
     * @param vf the VF number
     * @param config the change
     */
    public void tamper(String pf, int vf, VfConfig config) {
        setVf(InterfaceName.of(pf), config);
    }

    /**
     * @param pf the PF's netdev
     * @param vf the VF number
     * @return what the driver holds for the VF
     */
    public synchronized VfInfo vf(String pf, int vf) {
        return pfs.get(InterfaceName.of(pf)).get(vf).info();
    }

    /** @return the PF netdevs and their VFs' settings, by netdev name */
    public synchronized Map<String, List<VfInfo>> state() {
        Map<String, List<VfInfo>> state = new TreeMap<>();
        pfs.forEach((pf, vfs) -> state.put(pf.value(), vfs.stream().map(Vf::info).toList()));
        return state;
    }

    @Override
    public synchronized List<VfInfo> vfs(InterfaceName pf) {
        calls.add("vfs " + pf);
        if (failNextRead != null) {
            Errno e = failNextRead;
            failNextRead = null;
            throw LinuxException.of(e.number(), "get VF info", pf.value());
        }
        List<Vf> vfs = pfs.get(pf);
        if (vfs == null) {
            throw LinuxException.of(Errno.ENODEV.number(), "get VF info", pf.value());
        }
        return vfs.stream().map(Vf::info).toList();
    }

    @Override
    public synchronized void setVf(InterfaceName pf, VfConfig config) {
        calls.add("set " + pf + " " + config);
        String operation = "set VF " + config.vf();
        List<Vf> vfs = pfs.get(pf);
        if (vfs == null) {
            throw LinuxException.of(Errno.ENODEV.number(), operation, pf.value());
        }
        VfConfig complete = config;
        if (config.needsCurrentRates()) {
            // Rtnetlink.setVf reads the other rate first, as iproute2 does; a VF the PF does not list has none.
            Vf current = config.vf() < vfs.size() ? vfs.get(config.vf()) : new Vf(config.vf());
            complete = config.withCurrentRates(Bandwidth.ofMbps(current.minMbps), Bandwidth.ofMbps(current.maxMbps));
        }
        ByteBuffer request = ByteBuffer.allocateDirect(4096);
        VfRequests.set(new NetlinkMessageWriter(), request, LinkSelector.byName(pf), complete);
        if (failNext != null && failAfter-- == 0) {
            Errno e = failNext;
            failNext = null;
            throw LinuxException.of(e.number(), operation, pf.value());
        }
        int errno = receive(request);
        if (errno != 0) {
            throw LinuxException.of(errno, operation, pf.value());
        }
    }

    // ------------------------------------------------------------------------------- the kernel's side of it

    /** rtnl_newlink on an existing link without NLM_F_CREATE: do_setlink, of which only IFLA_VFINFO_LIST matters. */
    private int receive(ByteBuffer bytes) {
        MessageReader message = new MessageReader().wrap(bytes, bytes.position(), bytes.limit());
        if (!message.next() || message.type() != RTM_NEWLINK
                || (message.flags() & (NLM_F_REQUEST | NLM_F_ACK)) != (NLM_F_REQUEST | NLM_F_ACK)) {
            throw new AssertionError("not an acknowledged RTM_NEWLINK request");
        }
        int attributes = message.requirePayload(IfInfoMsg.LENGTH);
        if (new IfInfoMsg().wrap(bytes, message.payloadOffset()).index() != 0) {
            throw new AssertionError("the backend selects PFs by name; this fake has no interface indexes");
        }
        AttributeReader top = new AttributeReader().wrap(bytes, attributes, message.payloadEnd());
        String name = null;
        int listOffset = -1;
        while (top.next()) {
            if (top.type() == IFLA_IFNAME) {
                name = top.string();
            } else if (top.type() == IFLA_VFINFO_LIST) {
                listOffset = top.offset();
            }
        }
        List<Vf> vfs = name == null ? null : pfs.get(InterfaceName.of(name));
        if (vfs == null) {
            return Errno.ENODEV.number();
        }
        if (listOffset < 0) {
            return 0;
        }
        AttributeReader list = new AttributeReader().wrap(bytes, listOffset, message.payloadEnd());
        list.next();
        AttributeReader info = new AttributeReader();
        list.nested(info);
        while (info.next()) {
            if (info.type() != IFLA_VF_INFO) {
                return Errno.EINVAL.number();
            }
            int errno = setVfInfo(vfs, parse(info));
            if (errno != 0) {
                return errno;
            }
        }
        return 0;
    }

    /** nla_parse_nested_deprecated with ifla_vf_policy: the last attribute of a type wins; short ones are ERANGE. */
    private static AttributeReader[] parse(AttributeReader vfInfo) {
        AttributeReader[] tb = new AttributeReader[MAX_VF_TYPE + 1];
        AttributeReader walk = vfInfo.nested(new AttributeReader());
        while (walk.next()) {
            int type = walk.type();
            if (type > 0 && type <= MAX_VF_TYPE) {
                AttributeReader one = new AttributeReader().wrap(walk.buffer(), walk.offset(),
                        walk.offset() + walk.length());
                one.next();
                tb[type] = one;
            }
        }
        return tb;
    }

    /** do_setvfinfo: the settings in the kernel's order, each handed to the driver, stopping at the first error. */
    private static int setVfInfo(List<Vf> vfs, AttributeReader[] tb) {
        for (Map.Entry<Integer, Integer> min : MIN_LENGTH.entrySet()) {
            AttributeReader a = tb[min.getKey()];
            if (a != null && a.payloadLength() < min.getValue()) {
                return Errno.ERANGE.number();
            }
        }
        if (tb[IFLA_VF_MAC] != null) {
            AttributeReader a = tb[IFLA_VF_MAC];
            Vf vf = vf(vfs, a);
            if (vf == null) {
                return Errno.EINVAL.number();
            }
            vf.mac = MacAddress.of(Arrays.copyOfRange(a.bytes(), 4, 10)).toLong();
        }
        if (tb[IFLA_VF_VLAN] != null) {
            AttributeReader a = tb[IFLA_VF_VLAN];
            int errno = setVlan(vf(vfs, a), a.s32At(4), a.s32At(8), VlanProtocol.IEEE_802_1Q);
            if (errno != 0) {
                return errno;
            }
        }
        if (tb[IFLA_VF_VLAN_LIST] != null) {
            AttributeReader item = tb[IFLA_VF_VLAN_LIST].nested(new AttributeReader());
            if (!item.next() || item.type() != IFLA_VF_VLAN_INFO || item.payloadLength() < 16) {
                return Errno.EINVAL.number();
            }
            int errno = setVlan(vf(vfs, item), item.s32At(4), item.s32At(8),
                    VlanProtocol.ofEthertype(item.be16At(12)));
            if (errno != 0) {
                return errno;
            }
        }
        if (tb[IFLA_VF_RATE] != null) {
            AttributeReader a = tb[IFLA_VF_RATE];
            Vf vf = vf(vfs, a);
            if (vf == null) {
                return Errno.EINVAL.number();
            }
            vf.minMbps = a.s32At(4) & 0xffff_ffffL;
            vf.maxMbps = a.s32At(8) & 0xffff_ffffL;
        }
        if (tb[IFLA_VF_SPOOFCHK] != null) {
            Vf vf = vf(vfs, tb[IFLA_VF_SPOOFCHK]);
            if (vf == null) {
                return Errno.EINVAL.number();
            }
            vf.spoofCheck = tb[IFLA_VF_SPOOFCHK].s32At(4) != 0;
        }
        if (tb[IFLA_VF_LINK_STATE] != null) {
            Vf vf = vf(vfs, tb[IFLA_VF_LINK_STATE]);
            if (vf == null) {
                return Errno.EINVAL.number();
            }
            vf.linkState = VfLinkState.of(tb[IFLA_VF_LINK_STATE].s32At(4));
        }
        if (tb[IFLA_VF_TRUST] != null) {
            Vf vf = vf(vfs, tb[IFLA_VF_TRUST]);
            if (vf == null) {
                return Errno.EINVAL.number();
            }
            vf.trust = tb[IFLA_VF_TRUST].s32At(4) != 0;
        }
        if (tb[IFLA_VF_IB_NODE_GUID] != null) {
            Vf vf = vf(vfs, tb[IFLA_VF_IB_NODE_GUID]);
            if (vf == null) {
                return Errno.EINVAL.number();
            }
            vf.nodeGuid = tb[IFLA_VF_IB_NODE_GUID].u64At(8);
            return 0; // do_setvfinfo: "return handle_vf_guid(dev, ivt, IFLA_VF_IB_NODE_GUID);"
        }
        if (tb[IFLA_VF_IB_PORT_GUID] != null) {
            Vf vf = vf(vfs, tb[IFLA_VF_IB_PORT_GUID]);
            if (vf == null) {
                return Errno.EINVAL.number();
            }
            vf.portGuid = tb[IFLA_VF_IB_PORT_GUID].u64At(8);
            return 0;
        }
        return 0;
    }

    /** The VF a setting's leading {@code __u32 vf} names; null (EINVAL) past the enabled ones, as drivers answer. */
    private static Vf vf(List<Vf> vfs, AttributeReader setting) {
        long vf = setting.s32At(0) & 0xffff_ffffL;
        return vf < vfs.size() ? vfs.get((int) vf) : null;
    }

    /** ndo_set_vf_vlan as mlx5 and i40e check it: VLAN 0-4095, priority 0-7; VLAN 0 removes the tag. */
    private static int setVlan(Vf vf, int vlan, int qos, VlanProtocol protocol) {
        if (vf == null || vlan < 0 || vlan > 4095 || qos < 0 || qos > 7) {
            return Errno.EINVAL.number();
        }
        vf.vlan = vlan;
        vf.qos = vlan == 0 ? 0 : qos;
        vf.protocol = vlan == 0 ? VlanProtocol.IEEE_802_1Q : protocol;
        return 0;
    }

    static MacAddress mac(int i) {
        return MacAddress.of(0x0269_6f00_0000L + i);
    }
}
