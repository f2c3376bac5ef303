package dev.iov.infiniband.backend;

import dev.iov.api.net.Guid;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.backend.VfLease;
import dev.iov.sriov.backend.VfNetlink;

/**
 * Gives an InfiniBand VF its node and port GUID, and takes them away again. The subnet manager knows a VF's port
 * only by its port GUID, so this is what makes a VF a member of anything.
 *
 * <p>Two ways exist on real hosts, and a backend uses exactly one:
 * <ul>
 *   <li>{@link #netlink}: {@code RTM_NEWLINK} on the PF with {@code IFLA_VF_IB_NODE_GUID}, then another with
 *       {@code IFLA_VF_IB_PORT_GUID} — what {@code ip link set ib0 vf 3 node_guid G} and {@code ... port_guid G}
 *       send; the upstream mlx5 driver implements it ({@code mlx5_ib_set_vf_guid}).</li>
 *   <li>{@link #mlx5Sysfs}: the files {@code sriov/<vf>/{policy,node,port}} under the PF's PCI device, which only
 *       NVIDIA's out-of-tree driver (MLNX_OFED) has; there the netlink path may be missing.</li>
 * </ul>
 * Both take the node GUID equal to the port GUID: a VF is a one-port virtual HCA, and the SR-IOV CNI of Kubernetes
 * does the same, so ibstat shows one GUID per VM.
 */
public interface VfGuidWriter {

    /**
     * Sets the VF's node and port GUID (and, where the driver has one, its port policy to follow the PF's port).
     * These are several writes; when one fails, the earlier ones stay and the caller clears the VF.
     *
     * @param vf the VF
     * @param guid the GUID, not zero
     * @throws RuntimeException the kernel's refusal ({@link dev.iov.linux.LinuxException} or
     *     {@link dev.iov.linux.sysfs.SysfsException}, carrying errno)
     */
    void assign(VfLease vf, Guid guid);

    /**
     * Takes the VF's GUIDs away (zero, "not assigned") so that the next tenant inherits nothing.
     *
     * @param vf the VF
     * @throws RuntimeException the kernel's refusal, as for {@link #assign}
     */
    void clear(VfLease vf);

    /**
     * @param netlink the rtnetlink calls on the PF
     * @return a writer that sends one {@code RTM_SETLINK} per GUID: the kernel's {@code do_setvfinfo} returns after
     *     handling {@code IFLA_VF_IB_NODE_GUID}, so a port GUID sent in the same request would never reach the
     *     driver (iproute2's documentation sets them with two commands for the same reason)
     */
    static VfGuidWriter netlink(VfNetlink netlink) {
        return new VfGuidWriter() {
            @Override
            public void assign(VfLease vf, Guid guid) {
                netlink.setVf(vf.pfNetdev(), VfConfig.forVf(vf.vf()).nodeGuid(guid).build());
                netlink.setVf(vf.pfNetdev(), VfConfig.forVf(vf.vf()).portGuid(guid).build());
            }

            @Override
            public void clear(VfLease vf) {
                // The port GUID first: it is what the subnet manager knows the VF by.
                netlink.setVf(vf.pfNetdev(), VfConfig.forVf(vf.vf()).portGuid(Guid.ZERO).build());
                netlink.setVf(vf.pfNetdev(), VfConfig.forVf(vf.vf()).nodeGuid(Guid.ZERO).build());
            }

            @Override
            public String toString() {
                return "netlink";
            }
        };
    }

    /**
     * @param sysfs the sysfs root the PF's PCI device is under
     * @return a writer of the mlx5 {@code sriov/<vf>} files
     */
    static VfGuidWriter mlx5Sysfs(Sysfs sysfs) {
        return new Mlx5SysfsGuidWriter(sysfs);
    }
}
