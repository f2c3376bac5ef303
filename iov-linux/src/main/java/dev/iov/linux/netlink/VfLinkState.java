package dev.iov.linux.netlink;

/** A VF's link state policy ({@code IFLA_VF_LINK_STATE_*}, linux/if_link.h). */
public enum VfLinkState {
    /** The VF's link follows the PF's. */
    AUTO(NetlinkConstants.IFLA_VF_LINK_STATE_AUTO),
    /** The VF's link is always up (VF-to-VF traffic works with the uplink down). */
    ENABLE(NetlinkConstants.IFLA_VF_LINK_STATE_ENABLE),
    /** The VF's link is always down. */
    DISABLE(NetlinkConstants.IFLA_VF_LINK_STATE_DISABLE);

    private final int value;

    VfLinkState(int value) {
        this.value = value;
    }

    /** @return the kernel's value */
    public int value() {
        return value;
    }

    /**
     * Finds the state of a kernel value.
     *
     * @param value 0, 1 or 2
     * @return the state
     * @throws IllegalArgumentException for any other value
     */
    public static VfLinkState of(int value) {
        for (VfLinkState s : values()) {
            if (s.value == value) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a VF link state: '" + value + "'");
    }
}
