package dev.iov.api.store;

/**
 * An acknowledged change to one key, delivered to {@link StateStore#watch watchers}.
 *
 * @param key the key that changed
 * @param type whether the key was written or deleted
 * @param version the new version after a put, or the deleted record's last version after a delete
 * @param value the new value after a put; empty after a delete
 */
public record StoreEvent(String key, Type type, long version, byte[] value) {

    /** What happened to the key. */
    public enum Type {
        /** The key was created or overwritten. */
        PUT,
        /** The key was deleted. */
        DELETE
    }
}
