package dev.iov.linux.netlink;

/**
 * A VF's counters as its PF driver reports them ({@code IFLA_VF_STATS}); a counter the driver does not report is 0.
 *
 * @param rxPackets packets received
 * @param txPackets packets transmitted
 * @param rxBytes bytes received
 * @param txBytes bytes transmitted
 * @param broadcast broadcast packets received
 * @param multicast multicast packets received
 * @param rxDropped packets dropped on receive
 * @param txDropped packets dropped on transmit
 */
public record VfStats(long rxPackets, long txPackets, long rxBytes, long txBytes, long broadcast, long multicast,
        long rxDropped, long txDropped) {
}
