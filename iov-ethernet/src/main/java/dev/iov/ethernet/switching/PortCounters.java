package dev.iov.ethernet.switching;

/**
 * The counters of one switch port: frames and bytes received and transmitted, and ingress drops by
 * {@link DropReason}. Written only by the switch's forwarding thread; another thread reading them may see slightly
 * stale values (plain fields, no fences on the per-frame path), but each is a monotonic {@code long}.
 */
public final class PortCounters {
    long rxPackets;
    long rxBytes;
    long txPackets;
    long txBytes;
    final long[] drops = new long[DropReason.values().length];

    PortCounters() {
    }

    /** @return frames received, dropped or not */
    public long rxPackets() {
        return rxPackets;
    }

    /** @return bytes received (frame lengths without FCS) */
    public long rxBytes() {
        return rxBytes;
    }

    /** @return frames transmitted, including mirrored copies to this port */
    public long txPackets() {
        return txPackets;
    }

    /** @return bytes transmitted, as they left the port (after tag push or pop) */
    public long txBytes() {
        return txBytes;
    }

    /**
     * @param reason a drop reason
     * @return frames received on this port and dropped for that reason
     */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** @return frames received on this port and dropped for any reason */
    public long totalDrops() {
        long n = 0;
        for (long d : drops) {
            n += d;
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PortCounters{rx=").append(rxPackets).append('/').append(rxBytes)
                .append("B, tx=").append(txPackets).append('/').append(txBytes).append('B');
        for (DropReason r : DropReason.values()) {
            if (drops[r.ordinal()] != 0) {
                sb.append(", ").append(r).append('=').append(drops[r.ordinal()]);
            }
        }
        return sb.append('}').toString();
    }
}
