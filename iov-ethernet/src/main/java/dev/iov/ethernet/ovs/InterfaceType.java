package dev.iov.ethernet.ovs;

/** The OVS {@code Interface.type}s iov creates. */
public enum InterfaceType {
    /** A device ovs-vswitchd creates and owns ({@code internal}); with {@code netdev} bridges a TAP device. */
    INTERNAL("internal"),
    /** A TAP device ovs-vswitchd opens or creates ({@code tap}). */
    TAP("tap"),
    /** An existing kernel device, such as a veth end ({@code ""}, "system"). */
    SYSTEM("");

    private final String ovsName;

    InterfaceType(String ovsName) {
        this.ovsName = ovsName;
    }

    /** @return the value of {@code Interface.type} */
    public String ovsName() {
        return ovsName;
    }
}
