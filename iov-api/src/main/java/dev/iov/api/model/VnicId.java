package dev.iov.api.model;

/**
 * The identifier of a vNIC: 1-64 characters of letters, digits, {@code .}, {@code _} and {@code -}, starting with a
 * letter or digit, so that it is safe in state-store keys, file names and log lines.
 *
 * @param value the identifier text
 */
public record VnicId(String value) implements Comparable<VnicId> {

    /**
     * Validates the identifier.
     *
     * @param value the identifier text
     * @throws IllegalArgumentException when the text is not a valid identifier (the message quotes it)
     */
    public VnicId {
        Ids.check("vNIC", value);
    }

    /**
     * @param value the identifier text
     * @return the identifier
     * @throws IllegalArgumentException when the text is not a valid identifier
     */
    public static VnicId of(String value) {
        return new VnicId(value);
    }

    @Override
    public int compareTo(VnicId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
