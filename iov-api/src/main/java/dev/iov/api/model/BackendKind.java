package dev.iov.api.model;

/** How a vNIC is realised on a host; each backend provides exactly one kind. */
public enum BackendKind {
    /** An SR-IOV virtual function of an Ethernet NIC, passed through to the VM. */
    SRIOV_VF(UplinkKind.ETHERNET),
    /** A port on a software virtual switch (the embedded Java switch or Open vSwitch). */
    VSWITCH_PORT(UplinkKind.ETHERNET),
    /** An SR-IOV virtual function of an InfiniBand HCA, placed in a partition. */
    IB_VF(UplinkKind.INFINIBAND);

    private final UplinkKind uplinkKind;

    BackendKind(UplinkKind uplinkKind) {
        this.uplinkKind = uplinkKind;
    }

    /** @return the kind of physical port this kind of vNIC rides on */
    public UplinkKind uplinkKind() {
        return uplinkKind;
    }
}
