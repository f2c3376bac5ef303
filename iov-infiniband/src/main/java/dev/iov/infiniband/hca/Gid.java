package dev.iov.infiniband.hca;

import dev.iov.api.net.Guid;

/**
 * A 128-bit InfiniBand GID: 64-bit subnet prefix and 64-bit interface ID (for a port GID, the port GUID).
 *
 * <p>Text is the kernel's {@code %pI6} form that {@code show_port_gid} prints: eight groups of four lowercase hex
 * digits, no compression, e.g. {@code fe80:0000:0000:0000:b859:9f03:00d4:1a2c}.
 *
 * @param subnetPrefix the high 64 bits
 * @param interfaceId the low 64 bits
 */
public record Gid(long subnetPrefix, Guid interfaceId) {

    /**
     * @param subnetPrefix the high 64 bits
     * @param interfaceId the low 64 bits, not null
     */
    public Gid {
        if (interfaceId == null) {
            throw new IllegalArgumentException("GID interface ID is null");
        }
    }

    /**
     * Parses eight colon-separated groups of 1-4 hex digits (either case), the uncompressed IPv6 form.
     *
     * @param text e.g. {@code fe80:0000:0000:0000:b859:9f03:00d4:1a2c}
     * @return the GID
     * @throws IllegalArgumentException naming the text when it is not in that form
     */
    public static Gid parse(String text) {
        String[] groups = text.split(":", -1);
        if (groups.length != 8) {
            throw new IllegalArgumentException("invalid GID '" + text + "': expected 8 groups of hex digits");
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            String group = groups[i];
            if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(Gid::isHex)) {
                throw new IllegalArgumentException("invalid GID '" + text + "': group '" + group
                        + "' is not 1-4 hex digits");
            }
            long bits = Long.parseLong(group, 16);
            if (i < 4) {
                high = high << 16 | bits;
            } else {
                low = low << 16 | bits;
            }
        }
        return new Gid(high, Guid.of(low));
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** @return true for the all-zero GID, which sysfs shows for an unused table entry */
    public boolean isZero() {
        return subnetPrefix == 0 && interfaceId.isZero();
    }

    /** @return the kernel's form: eight groups of four lowercase hex digits */
    @Override
    public String toString() {
        return String.format("%04x:%04x:%04x:%04x:", (subnetPrefix >>> 48) & 0xffff, (subnetPrefix >>> 32) & 0xffff,
                (subnetPrefix >>> 16) & 0xffff, subnetPrefix & 0xffff) + interfaceId;
    }
}
