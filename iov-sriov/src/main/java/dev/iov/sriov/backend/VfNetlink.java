package dev.iov.sriov.backend;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import java.util.List;

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
