package dev.iov.ethernet.switching;

/**
 * Receives the entries of a {@link MacLearningTable}, one call per entry and no object per entry, for management views
 * such as an {@code fdb/show} listing or for audits.
 */
@FunctionalInterface
public interface MacEntryVisitor {
    /**
     * Called once per stored entry. The visitor must not change the table it is visiting.
     *
     * @param vlan the 12-bit VLAN ID of the entry
     * @param mac the 48-bit MAC address, as {@link dev.iov.api.net.MacAddress#toLong()}
     * @param port the port index the address was last learned on
     * @param lastSeenNanos the {@code now} of the last learn of this entry; an entry whose age reached the aging time is
     *     still reported until {@link MacLearningTable#age} or {@link MacLearningTable#ageSome} reclaims it
     */
    void visit(int vlan, long mac, int port, long lastSeenNanos);
}
