package dev.iov.api.fabric;

/**
 * A value read from or written to the state store, with the version the store gave it (for the next
 * compare-and-set).
 *
 * @param value the value
 * @param version its record's version
 * @param <T> the value type
 */
record Stored<T>(T value, long version) {
}
