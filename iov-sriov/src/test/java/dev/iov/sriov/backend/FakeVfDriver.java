package dev.iov.sriov.backend;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VfStats;
import dev.iov.linux.netlink.VlanProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a PF driver keeps for its VFs, answering the two rtnetlink calls as the kernel does for a driver with
 * {@code ndo_set_vf_*}: unknown netdev ENODEV, a VF number past the enabled ones EINVAL, otherwise the settings are
 * stored and read back in {@code IFLA_VFINFO_LIST} form. For the paths this machine cannot reach (it has no SR-IOV
 * NIC); the real request is proven against the kernel in {@code SriovBackendIT}.
 */
public final class FakeVfDriver implements VfNetlink {

    private final Map<InterfaceName, List<VfInfo>> pfs = new HashMap<>();
    private final List<String> calls = new ArrayList<>();
    private Errno failNext;
    private int failAfter;

    /** Creates a driver without PFs. */
    public FakeVfDriver() {
    }

    /**
     * Adds a PF netdev with VFs in their reset state.
     *
     * @param netdev the PF's netdev
     * @param count its VFs
     * @return this driver
     */
    public FakeVfDriver pf(String netdev, int count) {
        List<VfInfo> vfs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            vfs.add(reset(i));
        }
        pfs.put(InterfaceName.of(netdev), vfs);
        return this;
    }

    /**
     * Makes the next {@code setVf} after {@code skip} successful ones fail.
     *
     * @param skip successful calls first
     * @param errno the failure
     */
    public void failSetVf(int skip, Errno errno) {
        this.failAfter = skip;
        this.failNext = errno;
    }

    /** @return every call, as "vfs PF" or "set PF vf N ..." */
    public List<String> calls() {
        return calls;
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
    public VfInfo vf(String pf, int vf) {
        return pfs.get(InterfaceName.of(pf)).get(vf);
    }

    @Override
    public List<VfInfo> vfs(InterfaceName pf) {
        calls.add("vfs " + pf);
        List<VfInfo> vfs = pfs.get(pf);
        if (vfs == null) {
            throw LinuxException.of(Errno.ENODEV.number(), "get VFs", pf.value());
        }
        return List.copyOf(vfs);
    }

    @Override
    public void setVf(InterfaceName pf, VfConfig c) {
        calls.add("set " + pf + " " + c);
        List<VfInfo> vfs = pfs.get(pf);
        if (vfs == null) {
            throw LinuxException.of(Errno.ENODEV.number(), "set VF " + c.vf(), pf.value());
        }
        if (c.vf() >= vfs.size()) {
            throw LinuxException.of(Errno.EINVAL.number(), "set VF " + c.vf(), pf.value());
        }
        if (failNext != null && failAfter-- == 0) {
            Errno e = failNext;
            failNext = null;
            throw LinuxException.of(e.number(), "set VF " + c.vf(), pf.value());
        }
        VfInfo old = vfs.get(c.vf());
        vfs.set(c.vf(), new VfInfo(c.vf(), c.mac().isPresent() ? c.mac().filter(m -> m.toLong() != 0) : old.mac(),
                c.isVlanSet() ? c.vlan() : old.vlan(), c.isVlanSet() ? c.qos() : old.qos(),
                c.isVlanSet() ? c.vlanProtocol() : old.vlanProtocol(), c.minTxRate().orElse(old.minTxRate()),
                c.maxTxRate().orElse(old.maxTxRate()), c.spoofCheck().or(old::spoofCheck), c.trust().or(old::trusted),
                c.linkState().orElse(old.linkState()), guid(c.nodeGuid(), old.nodeGuid()), guid(c.portGuid(), old.portGuid()),
                old.stats()));
    }

    /** An IB driver reports the GUIDs it was given; zero reads back as "not set", as the MAC does. */
    private static Optional<Guid> guid(Optional<Guid> sent, Optional<Guid> old) {
        return sent.isPresent() ? sent.filter(g -> !g.isZero()) : old;
    }

    private static VfInfo reset(int vf) {
        return new VfInfo(vf, Optional.empty(), Optional.empty(), 0, VlanProtocol.IEEE_802_1Q, Bandwidth.ZERO,
                Bandwidth.ZERO, Optional.of(true), Optional.of(false), VfLinkState.AUTO, Optional.empty(),
                Optional.empty(), Optional.of(new VfStats(vf * 10L, vf * 20L, vf * 1000L, vf * 2000L, 0, 0, 1, 2)));
    }

    static MacAddress mac(int i) {
        return MacAddress.of(0x0269_6f00_0000L + i);
    }
}
