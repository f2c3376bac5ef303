package dev.iov.api.model;

/**
 * The identifier of a host: 1-64 characters of letters, digits, {@code .}, {@code _} and {@code -}, starting with a
 * letter or digit, so that it is safe in state-store keys, file names and log lines.
 *
 * @param value the identifier text
 */
public record HostId(String value) implements Comparable<HostId> {

    /**
     * Validates the identifier.
     *
     * @param value the identifier text
     * @throws IllegalArgumentException when the text is not a valid identifier (the message quotes it)
     */
    public HostId {
        Ids.check("host", value);
    }

    /**
     * @param value the identifier text
     * @return the identifier
     * @throws IllegalArgumentException when the text is not a valid identifier
     */
    public static HostId of(String value) {
        return new HostId(value);
    }

    @Override
    public int compareTo(HostId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
