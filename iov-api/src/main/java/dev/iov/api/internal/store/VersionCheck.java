package dev.iov.api.internal.store;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.VersionConflictException;

/**
 * The compare-and-set rules of {@link StateStore}, in one place so that every implementation agrees on them:
 * which expected versions are legal, when a write conflicts, and which version a write produces.
 *
 * <p>A record's version is 1 when created and goes up by one with each write. A deleted record is gone: creating
 * it again starts over at version 1.
 */
public final class VersionCheck {

    private VersionCheck() {
    }

    /**
     * Decides a {@link StateStore#put}.
     *
     * @param key the key written, for the conflict's message
     * @param currentVersion the key's current version, {@link StateStore#ABSENT} when it does not exist
     * @param expectedVersion the version the caller expects
     * @return the version the written record gets
     * @throws IllegalArgumentException when {@code expectedVersion} is below {@link StateStore#ANY_VERSION}
     * @throws VersionConflictException when the current version is not the expected one
     */
    public static long versionAfterPut(String key, long currentVersion, long expectedVersion) {
        if (expectedVersion < StateStore.ANY_VERSION) {
            throw new IllegalArgumentException("invalid expected version " + expectedVersion + " for put of '" + key
                    + "': use a record version, ABSENT (0) or ANY_VERSION (-1)");
        }
        if (expectedVersion != StateStore.ANY_VERSION && expectedVersion != currentVersion) {
            throw new VersionConflictException(key, expectedVersion, currentVersion);
        }
        return currentVersion + 1;
    }

    /**
     * Decides a {@link StateStore#delete}.
     *
     * @param key the key deleted, for the conflict's message
     * @param currentVersion the key's current version, {@link StateStore#ABSENT} when it does not exist
     * @param expectedVersion the version the caller expects
     * @return true when a record is to be deleted; false when there is none and any version was accepted
     * @throws IllegalArgumentException when {@code expectedVersion} is {@link StateStore#ABSENT} or below
     *     {@link StateStore#ANY_VERSION}
     * @throws VersionConflictException when the record has another version, or is absent and a version was
     *     expected
     */
    public static boolean deletes(String key, long currentVersion, long expectedVersion) {
        if (expectedVersion == StateStore.ABSENT || expectedVersion < StateStore.ANY_VERSION) {
            throw new IllegalArgumentException("invalid expected version " + expectedVersion + " for delete of '"
                    + key + "': use a record version or ANY_VERSION (-1)");
        }
        if (expectedVersion == StateStore.ANY_VERSION) {
            return currentVersion != StateStore.ABSENT;
        }
        if (expectedVersion != currentVersion) {
            throw new VersionConflictException(key, expectedVersion, currentVersion);
        }
        return true;
    }

    /**
     * Decides a {@link dev.iov.api.store.StoreOp.Check}.
     *
     * @param key the key checked, for the conflict's message
     * @param currentVersion the key's current version, {@link StateStore#ABSENT} when it does not exist
     * @param expectedVersion the version the caller expects
     * @throws VersionConflictException when they differ
     */
    public static void checks(String key, long currentVersion, long expectedVersion) {
        if (expectedVersion != currentVersion) {
            throw new VersionConflictException(key, expectedVersion, currentVersion);
        }
    }
}
