package dev.iov.ethernet;

/** EtherType values the switch dispatches on (IEEE 802 numbers, as in {@code linux/if_ether.h}). */
public final class EtherTypes {
    /** Internet Protocol version 4. */
    public static final int IPV4 = 0x0800;
    /** Address Resolution Protocol. */
    public static final int ARP = 0x0806;
    /** IEEE 802.1Q VLAN tag (C-tag). */
    public static final int VLAN_8021Q = 0x8100;
    /** Internet Protocol version 6. */
    public static final int IPV6 = 0x86dd;
    /** IEEE 802.1ad service tag (S-tag), used by {@code dot1q-tunnel} ports. */
    public static final int QINQ_8021AD = 0x88a8;

    private EtherTypes() {
    }

    /**
     * @param etherType the 16-bit field following the source MAC (or a previous tag)
     * @return true when it announces a VLAN tag (802.1Q or 802.1ad)
     */
    public static boolean isVlanTag(int etherType) {
        return etherType == VLAN_8021Q || etherType == QINQ_8021AD;
    }
}
