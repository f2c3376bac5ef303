package dev.iov.linux.netlink;

/** The tag protocol of a VF's VLAN. */
public enum VlanProtocol {
    /** IEEE 802.1Q customer tag, ethertype 0x8100 (the default). */
    IEEE_802_1Q(NetlinkConstants.ETH_P_8021Q),
    /** IEEE 802.1ad service tag (QinQ outer tag), ethertype 0x88a8. */
    IEEE_802_1AD(NetlinkConstants.ETH_P_8021AD);

    private final int ethertype;

    VlanProtocol(int ethertype) {
        this.ethertype = ethertype;
    }

    /** @return the tag's ethertype */
    public int ethertype() {
        return ethertype;
    }

    /**
     * Finds the protocol of an ethertype.
     *
     * @param ethertype 0x8100 or 0x88a8
     * @return the protocol
     * @throws IllegalArgumentException for any other value
     */
    public static VlanProtocol ofEthertype(int ethertype) {
        for (VlanProtocol p : values()) {
            if (p.ethertype == ethertype) {
                return p;
            }
        }
        throw new IllegalArgumentException("not a VLAN tag ethertype: '0x" + Integer.toHexString(ethertype) + "'");
    }
}
