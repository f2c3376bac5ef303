package dev.iov.api.store;

/** A compare-and-set write found another version than the caller expected; nothing was written. */
public class VersionConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** The key written. */
    private final String key;
    /** The version the caller expected. */
    private final long expectedVersion;
    /** The version found. */
    private final long actualVersion;

    /**
     * Creates the exception.
     *
     * @param key the key written
     * @param expectedVersion the version the caller expected
     * @param actualVersion the version found ({@link StateStore#ABSENT} when the key does not exist)
     */
    public VersionConflictException(String key, long expectedVersion, long actualVersion) {
        super("write " + key, "version conflict on '" + key + "': expected " + describe(expectedVersion)
                + ", found " + describe(actualVersion), null);
        this.key = key;
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    private static String describe(long version) {
        return version == StateStore.ABSENT ? "no record" : "version " + version;
    }

    /** @return the key written */
    public String key() {
        return key;
    }

    /** @return the version the caller expected */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** @return the version found ({@link StateStore#ABSENT} when the key does not exist) */
    public long actualVersion() {
        return actualVersion;
    }
}
