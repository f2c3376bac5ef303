package dev.iov.linux.netlink;

/** How a macvlan forwards between siblings on the same parent ({@code MACVLAN_MODE_*}, linux/if_link.h). */
public enum MacvlanMode {
    /** No traffic between siblings. */
    PRIVATE(NetlinkConstants.MACVLAN_MODE_PRIVATE),
    /** Sibling traffic hairpins through the adjacent switch. */
    VEPA(NetlinkConstants.MACVLAN_MODE_VEPA),
    /** Siblings talk directly. */
    BRIDGE(NetlinkConstants.MACVLAN_MODE_BRIDGE),
    /** The only macvlan of the parent takes the parent over. */
    PASSTHRU(NetlinkConstants.MACVLAN_MODE_PASSTHRU),
    /** Only listed source MACs are accepted. */
    SOURCE(NetlinkConstants.MACVLAN_MODE_SOURCE);

    private final int value;

    MacvlanMode(int value) {
        this.value = value;
    }

    /** @return the kernel's {@code MACVLAN_MODE_*} value */
    public int value() {
        return value;
    }
}
