package dev.iov.linux.netlink;

/** A link's RFC 2863 operational state ({@code IFLA_OPERSTATE}, {@code IF_OPER_*} in linux/if.h). */
public enum OperState {
    /** Unknown (virtual devices without carrier reporting, such as loopback). */
    UNKNOWN,
    /** Not present (a component is missing). */
    NOTPRESENT,
    /** Down. */
    DOWN,
    /** Down because a lower layer (e.g. the veth peer or the bridge port) is down. */
    LOWERLAYERDOWN,
    /** In a test mode. */
    TESTING,
    /** Waiting for an external event (802.1X). */
    DORMANT,
    /** Up: can pass packets. */
    UP;

    /**
     * Maps the kernel's value, in the order of {@code IF_OPER_*}.
     *
     * @param value 0 to 6; anything else is {@link #UNKNOWN}
     * @return the state
     */
    public static OperState of(int value) {
        OperState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
