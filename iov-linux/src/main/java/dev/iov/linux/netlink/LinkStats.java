package dev.iov.linux.netlink;

/**
 * A link's 64-bit counters ({@code IFLA_STATS64}, the leading fields of {@code struct rtnl_link_stats64}).
 *
 * @param rxPackets packets received
 * @param txPackets packets transmitted
 * @param rxBytes bytes received
 * @param txBytes bytes transmitted
 * @param rxErrors bad packets received
 * @param txErrors packet transmit problems
 * @param rxDropped received packets dropped (no buffer, filtered)
 * @param txDropped packets dropped on transmit
 * @param multicast multicast packets received
 * @param collisions collisions
 */
public record LinkStats(long rxPackets, long txPackets, long rxBytes, long txBytes, long rxErrors, long txErrors,
        long rxDropped, long txDropped, long multicast, long collisions) {
}
