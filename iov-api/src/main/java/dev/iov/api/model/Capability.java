package dev.iov.api.model;

/**
 * What a backend can do. The orchestrator only asks a backend for what it declares: a vNIC whose spec needs a
 * capability is never placed on a backend without it.
 */
public enum Capability {
    /** Puts the vNIC in an 802.1Q VLAN. */
    VLAN,
    /** Puts the vNIC in a VXLAN segment. */
    VXLAN,
    /** Puts the vNIC's port in an InfiniBand partition. */
    IB_PARTITION,
    /** Enforces a maximum transmit rate. */
    MAX_RATE,
    /** Guarantees a minimum transmit rate. */
    MIN_RATE,
    /** Drops frames whose source MAC is not the vNIC's. */
    SPOOF_CHECK,
    /** Lets the VM change its MAC or enter promiscuous mode (SR-IOV "trust"). */
    TRUST,
    /** Reports per-vNIC counters. */
    STATS,
    /** Mirrors the vNIC's traffic to a port or a capture file. */
    MIRROR
}
