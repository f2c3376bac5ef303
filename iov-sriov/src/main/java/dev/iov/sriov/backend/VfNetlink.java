package dev.iov.sriov.backend;

import dev.iov.api.model.VnicStats;
import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfStats;
import java.util.List;
import java.util.Optional;

/**
 * The two rtnetlink calls the backend makes on a PF: read its VFs ({@code RTM_GETLINK} with
 * {@code RTEXT_FILTER_VF}) and set one VF ({@code RTM_SETLINK} with {@code IFLA_VFINFO_LIST}). Production code uses
 * {@link #over(Rtnetlink)}; tests of what needs SR-IOV hardware put a model of a PF driver behind it, while the real
 * call is proven against the kernel separately.
 */
public interface VfNetlink {

    /**
     * @param pf the PF's netdev
     * @return its VFs as the kernel reports them
     */
    List<VfInfo> vfs(InterfaceName pf);

    /**
     * @param pf the PF's netdev
     * @param config the VF settings to send
     */
    void setVf(InterfaceName pf, VfConfig config);

    /**
     * @param pf the PF's netdev
     * @param vf the VF number
     * @return that VF as the kernel reports it; empty when the PF does not list it
     */
    default Optional<VfInfo> vf(InterfaceName pf, int vf) {
        return vfs(pf).stream().filter(v -> v.vf() == vf).findFirst();
    }

    /**
     * The counters of a VF as its VM sees them. The PF counts from the VF's side, which is the VM's side: VF rx is
     * what the VM received.
     *
     * @param s the PF's counters of the VF
     * @return the same counters as vNIC statistics
     */
    static VnicStats vmSide(VfStats s) {
        return new VnicStats(s.rxPackets(), s.rxBytes(), s.rxDropped(), 0, s.txPackets(), s.txBytes(),
                s.txDropped(), 0);
    }

    /**
     * @param rtnl a netlink connection in the PF's network namespace
     * @return the calls over it
     */
    static VfNetlink over(Rtnetlink rtnl) {
        return new VfNetlink() {
            @Override
            public List<VfInfo> vfs(InterfaceName pf) {
                return rtnl.vfs(pf);
            }

            @Override
            public void setVf(InterfaceName pf, VfConfig config) {
                rtnl.setVf(pf, config);
            }
        };
    }
}
