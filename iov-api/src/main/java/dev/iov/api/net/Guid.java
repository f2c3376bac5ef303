package dev.iov.api.net;

/**
 * A 64-bit InfiniBand GUID (node, port or system image GUID), held as a {@code long}.
 *
 * <p>Canonical text is the sysfs form {@code xxxx:xxxx:xxxx:xxxx} (four lowercase groups of four hex digits);
 * {@link #toHexString()} gives the {@code 0x%016x} form OpenSM and UFM use. The zero GUID is a valid value of this
 * type ("unset" in sysfs); pools refuse to hand it out. Ordering is unsigned.
 */
public final class Guid implements Comparable<Guid> {

    private static final String KIND = "GUID";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The all-zero GUID {@code 0000:0000:0000:0000}. */
    public static final Guid ZERO = new Guid(0);

    private final long value;

    private Guid(long value) {
        this.value = value;
    }

    /**
     * Returns the GUID with these 64 bits.
     *
     * @param value any {@code long}; the GUID is its unsigned reading
     * @return the GUID
     */
    public static Guid of(long value) {
        return value == 0 ? ZERO : new Guid(value);
    }

    /**
     * Parses {@code xxxx:xxxx:xxxx:xxxx} (1-4 hex digits per group) or {@code 0x} followed by 1-16 hex digits, hex
     * digits in either case.
     *
     * @param text the GUID text, e.g. {@code 0002:c903:0045:6b21} or {@code 0x0002c90300456b21}
     * @return the GUID
     * @throws IllegalArgumentException when the text is in neither form
     */
    public static Guid parse(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            int digits = text.length() - 2;
            if (digits < 1 || digits > 16 || !Digits.isHex(text, 2, text.length())) {
                throw Invalid.value(KIND, text, "expected 0x followed by 1-16 hex digits");
            }
            return of(hexBits(text, 2, text.length()));
        }
        String[] groups = text.split(":", -1);
        if (groups.length != 4) {
            throw Invalid.value(KIND, text, "expected xxxx:xxxx:xxxx:xxxx or 0x followed by 1-16 hex digits");
        }
        long v = 0;
        for (String group : groups) {
            if (group.isEmpty() || group.length() > 4 || !Digits.isHex(group, 0, group.length())) {
                throw Invalid.value(KIND, text, "group '" + group + "' is not 1-4 hex digits");
            }
            v = (v << 16) | hexBits(group, 0, group.length());
        }
        return of(v);
    }

    /** Reads at most 16 checked hex digits as raw bits, so a set top bit is not an overflow. */
    private static long hexBits(String text, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = (v << 4) | Digits.hex(text.charAt(i));
        }
        return v;
    }

    /** @return the 64 bits */
    public long toLong() {
        return value;
    }

    /** @return true for the zero GUID */
    public boolean isZero() {
        return value == 0;
    }

    /** @return {@code 0x} and 16 lowercase hex digits, e.g. {@code 0x0002c90300456b21} */
    public String toHexString() {
        return String.format("0x%016x", value);
    }

    /**
     * Orders by the unsigned value.
     *
     * @param other another GUID
     * @return negative, zero or positive as this GUID is below, equal to or above {@code other}
     */
    @Override
    public int compareTo(Guid other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Guid && ((Guid) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    /** @return the sysfs form, four groups of four lowercase hex digits: {@code 0002:c903:0045:6b21} */
    @Override
    public String toString() {
        char[] text = new char[19];
        int at = 0;
        for (int nibble = 15; nibble >= 0; nibble--) {
            text[at++] = HEX[(int) (value >>> (nibble * 4)) & 0xF];
            if (nibble % 4 == 0 && nibble > 0) {
                text[at++] = ':';
            }
        }
        return new String(text);
    }
}
