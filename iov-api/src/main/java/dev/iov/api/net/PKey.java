package dev.iov.api.net;

/**
 * A 16-bit InfiniBand partition key (P_Key).
 *
 * <p>Bit 15 is the membership type (set = full, clear = limited); the low 15 bits are the partition number.
 * Partition 0 does not exist, so {@code 0x0000} and {@code 0x8000} are refused. {@link #DEFAULT} ({@code 0xffff},
 * full member of partition {@code 0x7fff}) is the default partition every port is in. Canonical text: {@code 0x%04x}.
 */
public final class PKey implements Comparable<PKey> {

    private static final String KIND = "P_Key";
    private static final int FULL_BIT = 0x8000;
    private static final int PARTITION_MASK = 0x7fff;

    /** Full membership of the default partition, {@code 0xffff}. */
    public static final PKey DEFAULT = new PKey(0xffff);

    private final int value;

    private PKey(int value) {
        this.value = value;
    }

    /**
     * Returns the P_Key.
     *
     * @param value 0 to 0xffff, except 0x0000 and 0x8000
     * @return the P_Key
     * @throws IllegalArgumentException when the value is out of range or names partition 0
     */
    public static PKey of(int value) {
        return checked(value, value < 0 ? Integer.toString(value) : String.format("0x%04x", value));
    }

    /**
     * Parses {@code 0x} followed by hex digits (either case), or a decimal number.
     *
     * @param text e.g. {@code 0x8001} or {@code 32769}
     * @return the P_Key
     * @throws IllegalArgumentException when the text is not a number in those forms or not a valid P_Key
     */
    public static PKey parse(String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        long v = hex ? Digits.parse(text, 2, text.length(), 16) : Digits.parse(text, 0, text.length(), 10);
        if (v == Digits.NOT_A_NUMBER) {
            throw Invalid.value(KIND, text,
                    hex ? "expected hex digits after 0x" : "expected 0x and hex digits, or a decimal number");
        }
        return checked(v, text);
    }

    private static PKey checked(long value, String input) {
        if (value < 0 || value > 0xffff) {
            throw Invalid.value(KIND, input, "out of range 0x0001-0xffff (16 bits)");
        }
        if ((value & PARTITION_MASK) == 0) {
            throw Invalid.value(KIND, input, "partition 0 is invalid");
        }
        return value == DEFAULT.value ? DEFAULT : new PKey((int) value);
    }

    /** @return the 16-bit value including the membership bit */
    public int value() {
        return value;
    }

    /** @return the partition number, the low 15 bits (1 to 0x7fff) */
    public int partition() {
        return value & PARTITION_MASK;
    }

    /** @return true when bit 15 (full membership) is set */
    public boolean isFullMember() {
        return (value & FULL_BIT) != 0;
    }

    /** @return the full-membership key of the same partition */
    public PKey asFull() {
        return isFullMember() ? this : new PKey(value | FULL_BIT);
    }

    /** @return the limited-membership key of the same partition */
    public PKey asLimited() {
        return isFullMember() ? new PKey(value & PARTITION_MASK) : this;
    }

    /**
     * Tells whether two ports holding these keys can exchange packets: the partition must match and at least one of
     * them must be a full member (two limited members cannot talk).
     *
     * @param other the other port's key
     * @return true when the two can communicate
     */
    public boolean canCommunicateWith(PKey other) {
        return partition() == other.partition() && (isFullMember() || other.isFullMember());
    }

    /**
     * Orders by the 16-bit value, so all limited keys sort before all full keys.
     *
     * @param other another P_Key
     * @return negative, zero or positive as this key's value is below, equal to or above {@code other}'s
     */
    @Override
    public int compareTo(PKey other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PKey && ((PKey) o).value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }

    /** @return {@code 0x} and four lowercase hex digits, e.g. {@code 0x8001} */
    @Override
    public String toString() {
        return String.format("0x%04x", value);
    }
}
