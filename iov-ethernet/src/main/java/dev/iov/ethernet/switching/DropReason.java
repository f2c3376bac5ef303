package dev.iov.ethernet.switching;

/** Why the switch dropped a frame on ingress; {@link PortCounters#drops(DropReason)} counts each by port. */
public enum DropReason {
    /** Shorter than an Ethernet header (14 bytes). */
    TOO_SHORT,
    /** A VLAN TPID announces a tag that the frame is too short to hold. */
    TRUNCATED_TAG,
    /** Longer than {@link SoftwareSwitch#MAX_FRAME_LENGTH}. */
    TOO_LONG,
    /** Its VLAN is not carried by the ingress port (including a VLAN-tagged frame on an access port). */
    VLAN_NOT_ALLOWED,
    /** Over the port's ingress policing rate and burst. */
    POLICED,
    /** Its source MAC is not in the port's allowed set (port security). */
    SPOOFED,
    /** Its destination was learned on the ingress port itself: it is not sent back where it came from. */
    SAME_PORT,
    /** Received on a port reserved as a mirror output, which accepts no traffic (as in OVS). */
    MIRROR_PORT
}
