package dev.iov.api.model;

/** What separates one tenant network from another, and so which segment numbers are valid. */
public enum NetworkKind {
    /** An 802.1Q VLAN: segment 1-4094. */
    VLAN(UplinkKind.ETHERNET, Capability.VLAN, 1, 4094),
    /** A VXLAN overlay: segment = VNI, 1-16777215. */
    VXLAN(UplinkKind.ETHERNET, Capability.VXLAN, 1, 0xff_ffff),
    /** An InfiniBand partition: segment = the 15-bit partition number of the P_Key, 1-0x7ffe (0x7fff is default). */
    IB_PARTITION(UplinkKind.INFINIBAND, Capability.IB_PARTITION, 1, 0x7ffe);

    private final UplinkKind uplinkKind;
    private final Capability requiredCapability;
    private final int minSegment;
    private final int maxSegment;

    NetworkKind(UplinkKind uplinkKind, Capability requiredCapability, int minSegment, int maxSegment) {
        this.uplinkKind = uplinkKind;
        this.requiredCapability = requiredCapability;
        this.minSegment = minSegment;
        this.maxSegment = maxSegment;
    }

    /** @return the kind of physical port that carries this kind of network */
    public UplinkKind uplinkKind() {
        return uplinkKind;
    }

    /** @return the capability a backend needs to attach a vNIC to this kind of network */
    public Capability requiredCapability() {
        return requiredCapability;
    }

    /** @return the smallest valid segment number */
    public int minSegment() {
        return minSegment;
    }

    /** @return the largest valid segment number */
    public int maxSegment() {
        return maxSegment;
    }
}
