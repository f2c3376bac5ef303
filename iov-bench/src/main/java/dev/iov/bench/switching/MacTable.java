package dev.iov.bench.switching;

import dev.iov.ethernet.switching.LearnResult;

/**
 * The two per-frame operations a switch asks of its MAC table, so iov and each peer are measured doing the same work:
 * pack (VLAN, MAC) into one {@code long} key, keep a port and a last-seen time per key, and treat entries older than
 * the aging time as missing.
 */
interface MacTable {
    /** The aging time every implementation applies: the 300 s default. */
    long AGING_NANOS = 300_000_000_000L;

    /**
     * @param vlan 12-bit VLAN ID
     * @param mac 48-bit MAC
     * @return the key every implementation uses: VLAN in bits 59..48, MAC in bits 47..0
     */
    static long key(int vlan, long mac) {
        return (long) vlan << 48 | mac;
    }

    /**
     * Records that {@code mac} was seen on {@code port} at {@code now}.
     *
     * @param vlan 12-bit VLAN ID
     * @param mac 48-bit source MAC
     * @param port ingress port
     * @param now time in nanoseconds
     * @return what changed
     */
    LearnResult learn(int vlan, long mac, int port, long now);

    /**
     * @param vlan 12-bit VLAN ID
     * @param mac 48-bit destination MAC
     * @param now time in nanoseconds
     * @return the port, or -1 when unknown or aged out
     */
    int lookup(int vlan, long mac, long now);
}
