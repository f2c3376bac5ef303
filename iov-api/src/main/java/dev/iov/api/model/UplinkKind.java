package dev.iov.api.model;

/** The link layer of a host's physical port. */
public enum UplinkKind {
    /** An Ethernet port: carries VLAN and VXLAN networks. */
    ETHERNET,
    /** An InfiniBand port: carries InfiniBand partitions. */
    INFINIBAND
}
