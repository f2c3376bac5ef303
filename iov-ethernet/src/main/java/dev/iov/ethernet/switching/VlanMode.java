package dev.iov.ethernet.switching;

/**
 * How a port maps frames to VLANs on ingress and tags them on egress, with Open vSwitch's {@code vlan_mode} names and
 * semantics. "Untagged" below includes a priority tag (VID 0), which only carries a PCP.
 */
public enum VlanMode {
    /**
     * One VLAN ({@code tag}), untagged on the wire: untagged ingress is in that VLAN, a frame with a non-zero VID is
     * dropped, egress is untagged.
     */
    ACCESS,
    /**
     * The VLANs of the allowed set, tagged on the wire: ingress is in the VLAN of its 802.1Q/802.1ad outer tag, or
     * VLAN 0 when untagged (as in OVS, VLAN 0 is carried only if the set contains it); egress is tagged, except
     * VLAN 0.
     */
    TRUNK,
    /**
     * Like {@link #TRUNK}, but untagged ingress is in the native VLAN ({@code tag}), which is always carried; the
     * native VLAN egresses tagged. VLAN 0 is never carried (untagged traffic is the native VLAN here).
     */
    NATIVE_TAGGED,
    /** Like {@link #NATIVE_TAGGED}, but the native VLAN egresses untagged. */
    NATIVE_UNTAGGED,
    /**
     * 802.1ad customer port: every ingress frame, tagged or not, is in the service VLAN ({@code tag}) with its own
     * (customer) tags untouched as payload; toward a tagged port the frame carries an outer {@code 0x88a8} tag with
     * the service VLAN, which egress on a tunnel port removes again.
     */
    DOT1Q_TUNNEL
}
