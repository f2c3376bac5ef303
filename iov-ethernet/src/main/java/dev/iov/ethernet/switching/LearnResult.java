package dev.iov.ethernet.switching;

/**
 * What {@link MacLearningTable#learn} did with a source address. The constants are shared singletons, so returning one
 * never allocates.
 */
public enum LearnResult {
    /** The (VLAN, MAC) was unknown, or known but expired, and is now learned on the port. */
    NEW,
    /** The (VLAN, MAC) was live on the same port; only its last-seen time changed. */
    REFRESHED,
    /** The (VLAN, MAC) was live on another port (a VM migrated, or a loop); it now points at the new port. */
    MOVED,
    /**
     * The table was full and nothing could be evicted, so the address was not learned. Fair eviction always finds a
     * victim in a full table, so a switch only sees this if that invariant is broken; it still handles it by flooding.
     */
    REJECTED
}
