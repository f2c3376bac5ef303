package dev.iov.api.internal.store;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

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

    /**
     * Decides a {@link StateStore#commit}: checks every step against the keys' current versions, in order, and lists
     * the changes the transaction makes.
     *
     * @param steps the transaction's steps, already validated
     * @param currentVersion a key's current version, {@link StateStore#ABSENT} when it does not exist
     * @param valueOf the value to store for the put at a step's index (the store's own copy)
     * @param changes receives one event per changed key, in step order
     * @return the versions {@code commit} returns, one per step
     * @throws VersionConflictException for the first step whose key is not at the expected version
     */
    public static List<Long> decideCommit(List<StoreOp> steps, ToLongFunction<String> currentVersion,
            IntFunction<byte[]> valueOf, List<StoreEvent> changes) {
        List<Long> versions = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            StoreOp op = steps.get(i);
            long current = currentVersion.applyAsLong(op.key());
            if (op instanceof StoreOp.Put put) {
                long version = versionAfterPut(put.key(), current, put.expectedVersion());
                changes.add(new StoreEvent(put.key(), StoreEvent.Type.PUT, version, valueOf.apply(i)));
                versions.add(version);
            } else if (op instanceof StoreOp.Delete delete) {
                if (deletes(delete.key(), current, delete.expectedVersion())) {
                    changes.add(new StoreEvent(delete.key(), StoreEvent.Type.DELETE, current, new byte[0]));
                }
                versions.add(StateStore.ABSENT);
            } else {
                checks(op.key(), current, op.expectedVersion());
                versions.add(current);
            }
        }
        return versions;
    }
}
