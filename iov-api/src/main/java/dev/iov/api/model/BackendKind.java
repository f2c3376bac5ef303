package dev.iov.api.model;

/** How a vNIC is realised on a host; each backend provides exactly one kind. */
public enum BackendKind {
    /** An SR-IOV virtual function of an Ethernet NIC, passed through to the VM. */
    SRIOV_VF(UplinkKind.ETHERNET, false),
    /** A port on a software virtual switch (the embedded Java switch or Open vSwitch). */
    VSWITCH_PORT(UplinkKind.ETHERNET, true),
    /** An SR-IOV virtual function of an InfiniBand HCA, placed in a partition. */
    IB_VF(UplinkKind.INFINIBAND, false);

    private final UplinkKind uplinkKind;
    private final boolean liveMigratable;

    BackendKind(UplinkKind uplinkKind, boolean liveMigratable) {
        this.uplinkKind = uplinkKind;
        this.liveMigratable = liveMigratable;
    }

    /**
     * @return true when a VM keeps this kind of vNIC through a live migration; false for passed-through functions,
     *     whose state lives in the device (the hypervisor unplugs them, the guest fails over to a software port, and
     *     a new function is plugged in on the target)
     */
    public boolean liveMigratable() {
        return liveMigratable;
    }

    /** @return the kind of physical port this kind of vNIC rides on */
    public UplinkKind uplinkKind() {
        return uplinkKind;
    }
}
