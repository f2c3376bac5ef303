package dev.iov.api.model;

/**
 * Counters of one vNIC as its backend reports them, seen from the VM: rx is what the VM received.
 *
 * @param rxPackets packets delivered to the VM
 * @param rxBytes bytes delivered to the VM
 * @param rxDrops packets for the VM that were dropped
 * @param rxErrors malformed packets for the VM
 * @param txPackets packets the VM sent
 * @param txBytes bytes the VM sent
 * @param txDrops packets the VM sent that were dropped (policing, spoof check, full queues)
 * @param txErrors malformed packets the VM sent
 */
public record VnicStats(
        long rxPackets, long rxBytes, long rxDrops, long rxErrors,
        long txPackets, long txBytes, long txDrops, long txErrors) {

    /** All counters zero. */
    public static final VnicStats ZERO = new VnicStats(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Adds counters, for example of one vNIC before and after a migration.
     *
     * @param other more counters
     * @return the sums
     */
    public VnicStats plus(VnicStats other) {
        return new VnicStats(
                rxPackets + other.rxPackets, rxBytes + other.rxBytes, rxDrops + other.rxDrops,
                rxErrors + other.rxErrors, txPackets + other.txPackets, txBytes + other.txBytes,
                txDrops + other.txDrops, txErrors + other.txErrors);
    }
}
