package dev.iov.infiniband.partition;

import java.util.Objects;

/**
 * A multicast group that OpenSM creates in a partition before anyone joins it: an {@code mgid=} entry in the
 * partition's port list, {@code mgid=ff12:401b::0707,sl=1,Q_Key=0xdead}, taking the rest of its line (up to
 * {@code ;}) as the group's flags.
 *
 * <p>As OpenSM's {@code mgroup_create} reads it: the MGID is IPv6 text ({@code inet_pton(AF_INET6)}: hex groups,
 * {@code ::} for zeros, a dotted IPv4 quad at the end) whose first byte is {@code 0xff}; the flags are the group flags
 * of a partition header ({@code mtu}, {@code rate}, {@code scope}, {@code Q_Key}, {@code TClass}, {@code sl},
 * {@code FlowLabel}); the flags not given are the partition's. An IP group (signature {@code 0x401b} or
 * {@code 0x601b} in bytes 2-3) carries the partition's P_Key in bytes 4-5, or {@code 0x0000} for "this partition's",
 * and the partition's rate and MTU.
 *
 * <p>The MGID is kept as written (in value, not in spelling); it is written back as eight groups of four hex digits.
 */
public final class MulticastGroup {

    private final long high;
    private final long low;
    private final PartitionFlags flags;

    private MulticastGroup(long high, long low, PartitionFlags flags) {
        this.high = high;
        this.low = low;
        this.flags = Objects.requireNonNull(flags, "flags");
    }

    /**
     * @param mgid the MGID as IPv6 text, as {@code inet_pton(AF_INET6)} reads it
     * @param flags the group's own flags (only the group flags: no {@code ipoib}, {@code indx0})
     * @return the group
     * @throws IllegalArgumentException when the MGID is not IPv6 text, not multicast, or a flag is not a group flag
     */
    public static MulticastGroup of(String mgid, PartitionFlags flags) {
        long[] bits = parseIpv6(mgid);
        if (bits == null) {
            throw new IllegalArgumentException("mgid '" + mgid + "' is not an IPv6-style GID (hex groups separated "
                    + "by ':', '::' for zeros)");
        }
        if ((bits[0] >>> 56) != 0xff) {
            throw new IllegalArgumentException("mgid '" + mgid + "' is not multicast: its first byte must be 0xff");
        }
        if (flags.ipoib() || flags.indx0()) {
            throw new IllegalArgumentException("mgid '" + mgid + "': ipoib and indx0 are partition flags, not group "
                    + "flags");
        }
        return new MulticastGroup(bits[0], bits[1], flags);
    }

    /** @return the MGID's high 64 bits */
    public long high() {
        return high;
    }

    /** @return the MGID's low 64 bits */
    public long low() {
        return low;
    }

    /** @return the flags given on the {@code mgid=} entry */
    public PartitionFlags flags() {
        return flags;
    }

    /** @return whether this is an IP group: signature 0x401b (IPv4) or 0x601b (IPv6) in bytes 2-3 */
    public boolean isIp() {
        int signature = (int) (high >>> 32) & 0xffff;
        return signature == 0x401b || signature == 0x601b;
    }

    /** @return the P_Key bytes 4-5 of the MGID (meaningful for an IP group; 0 means the partition's) */
    public int pkeyBits() {
        return (int) (high >>> 16) & 0xffff;
    }

    /** @return the MGID as eight groups of four lowercase hex digits */
    public String mgid() {
        return String.format("%04x:%04x:%04x:%04x:%04x:%04x:%04x:%04x", high >>> 48, (high >>> 32) & 0xffff,
                (high >>> 16) & 0xffff, high & 0xffff, low >>> 48, (low >>> 32) & 0xffff, (low >>> 16) & 0xffff,
                low & 0xffff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MulticastGroup g && g.high == high && g.low == low && g.flags.equals(flags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(high, low, flags);
    }

    /** @return the entry as written in {@code partitions.conf}: {@code mgid=ff12:401b:...,sl=1} */
    @Override
    public String toString() {
        return "mgid=" + mgid() + flags;
    }

    /**
     * {@code inet_pton(AF_INET6)}'s grammar (glibc): 1-4 hex digits per group, at most one {@code ::} standing for at
     * least one zero group, an optional dotted IPv4 quad (decimal octets, no leading zeros) as the last 32 bits.
     *
     * @return {high, low}, or null when the text is not in that grammar
     */
    static long[] parseIpv6(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        int[] words = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.charAt(0) == ':') {
            return null;
        }
        while (i < n) {
            if (text.indexOf('.', i) >= 0 && text.indexOf(':', i) < 0) {
                int[] quad = parseIpv4(text.substring(i));
                if (quad == null || count > 6) {
                    return null;
                }
                words[count++] = quad[0] << 8 | quad[1];
                words[count++] = quad[2] << 8 | quad[3];
                i = n;
                break;
            }
            int start = i;
            while (i < n && Character.digit(text.charAt(i), 16) >= 0 && text.charAt(i) < 0x80) {
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || count == 8) {
                return null;
            }
            words[count++] = Integer.parseInt(text.substring(start, i), 16);
            if (i == n) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && text.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
            } else if (i == n) {
                return null; // a single trailing ':'
            }
        }
        if (gap >= 0) {
            if (count == 8) {
                return null; // '::' must stand for at least one group
            }
            int tail = count - gap;
            System.arraycopy(words, gap, words, 8 - tail, tail);
            for (int k = gap; k < 8 - tail; k++) {
                words[k] = 0;
            }
        } else if (count != 8) {
            return null;
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++) {
            high = high << 16 | words[k];
            low = low << 16 | words[k + 4];
        }
        return new long[] {high, low};
    }

    private static int[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int[] quad = new int[4];
        for (int k = 0; k < 4; k++) {
            String p = parts[k];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            quad[k] = Integer.parseInt(p);
            if (quad[k] > 255) {
                return null;
            }
        }
        return quad;
    }
}
