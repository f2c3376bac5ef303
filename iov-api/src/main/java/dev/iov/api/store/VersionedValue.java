package dev.iov.api.store;

import java.util.Arrays;

/**
 * One record of a {@link StateStore}: its value and version.
 *
 * @param version the record's version, 1 or more
 * @param value the value; treat as read-only
 */
public record VersionedValue(long version, byte[] value) {

    /**
     * Validates the record.
     *
     * @param version the record's version, 1 or more
     * @param value the value
     */
    public VersionedValue {
        if (version < 1) {
            throw new IllegalArgumentException("record version must be >= 1, got " + version);
        }
        if (value == null) {
            throw new IllegalArgumentException("record value must not be null");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedValue other && version == other.version && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(version) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "VersionedValue[version=" + version + ", " + value.length + " bytes]";
    }
}
