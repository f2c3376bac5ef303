package dev.iov.api.net;

/**
 * An IEEE 802.1Q VLAN identifier, 1 to 4094.
 *
 * <p>0 is not a VLAN (a tag with VID 0 only carries a priority) and 4095 is reserved, so both are refused. All 4094
 * instances are created once and shared, so {@link #of} never allocates. Canonical text: the decimal number.
 */
public final class VlanId implements Comparable<VlanId> {

    private static final String KIND = "VLAN ID";
    /** Lowest valid VID. */
    private static final int MIN = 1;
    /** Highest valid VID. */
    private static final int MAX = 4094;
    private static final VlanId[] CACHE = new VlanId[MAX + 1];

    static {
        for (int v = MIN; v <= MAX; v++) {
            CACHE[v] = new VlanId(v);
        }
    }

    private final int value;

    private VlanId(int value) {
        this.value = value;
    }

    /**
     * Returns the VLAN ID.
     *
     * @param value 1 to 4094
     * @return the shared instance for that VID
     * @throws IllegalArgumentException for 0 (priority tag), 4095 (reserved) or any other value outside 1-4094
     */
    public static VlanId of(int value) {
        return checked(value, Integer.toString(value));
    }

    /**
     * Parses a decimal VLAN ID.
     *
     * @param text ASCII digits only, e.g. {@code 100}
     * @return the VLAN ID
     * @throws IllegalArgumentException when the text is not a decimal number or not a valid VID
     */
    public static VlanId parse(String text) {
        long v = Digits.parse(text, 0, text.length(), 10);
        if (v == Digits.NOT_A_NUMBER) {
            throw Invalid.value(KIND, text, "not a decimal number");
        }
        return checked(v, text);
    }

    private static VlanId checked(long value, String input) {
        if (value == 0) {
            throw Invalid.value(KIND, input, "0 is the priority tag, not a VLAN (valid: 1-4094)");
        }
        if (value == 4095) {
            throw Invalid.value(KIND, input, "4095 is reserved (valid: 1-4094)");
        }
        if (value < MIN || value > MAX) {
            throw Invalid.value(KIND, input, "out of range 1-4094");
        }
        return CACHE[(int) value];
    }

    /** @return the VID, 1 to 4094 */
    public int value() {
        return value;
    }

    /**
     * Orders by number.
     *
     * @param other another VLAN ID
     * @return negative, zero or positive as this VID is below, equal to or above {@code other}
     */
    @Override
    public int compareTo(VlanId other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VlanId && ((VlanId) o).value == value;
    }

    @Override
    public int hashCode() {
        return value;
    }

    /** @return the decimal VID, e.g. {@code 100} */
    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
