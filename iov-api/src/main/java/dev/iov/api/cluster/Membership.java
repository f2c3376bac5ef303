package dev.iov.api.cluster;

import java.util.Set;
import java.util.function.Consumer;

/**
 * This management node's place among the nodes that share a fabric's store: who is alive now, and word when that
 * changes. A node is alive while its session lasts (on ZooKeeper, its ephemeral znode); a node that dies, is cut off
 * past its session timeout, or {@linkplain #close leaves} is gone, and the survivors may take over its unfinished
 * operations.
 *
 * <p>Every node joins under an id that no other live node has; the id is the one the fabric writes into its intents
 * ({@code FabricBuilder.nodeId}). Implementations are thread-safe.
 *
 * <p>A membership is one incarnation of its node: it is a member from the moment it is obtained until it is closed or
 * its session ends. A node that crashed or left may join again under the same id as a new membership; closing the old
 * one later does not touch the new one. How long the others take to see a crashed node gone depends on the
 * implementation (on ZooKeeper, about the session timeout). Every implementation passes {@code MembershipContract}
 * (in iov-api's test-jar).
 */
public interface Membership extends AutoCloseable {

    /** @return this node's id */
    String self();

    /**
     * @return the ids of the nodes alive now, this one included while it is a member; an immutable set
     * @throws IllegalStateException when closed
     */
    Set<String> members();

    /**
     * Tells whether a node is alive now.
     *
     * @param node a node id
     * @return true when it is a member
     */
    default boolean isAlive(String node) {
        return members().contains(node);
    }

    /**
     * Registers a listener for changes of the member set. It is called with the new set after each change that this
     * node sees (several quick changes may arrive as one call), on a thread of the implementation's choosing, and
     * must not block for long. A listener that throws is logged and skipped. The calls of one listener never overlap,
     * and once changes stop, its last call carried the member set this node sees. The listener is not called at once
     * with the current set: read {@link #members()} after subscribing for that.
     *
     * @param listener receives the member set after each change
     * @return a handle whose {@code close()} stops the calls
     * @throws IllegalStateException when closed
     */
    Subscription subscribe(Consumer<Set<String>> listener);

    /**
     * Leaves the cluster: the other nodes see this one gone, and this node's listeners are no longer called.
     * Idempotent, and harmless after the session ended by itself.
     */
    @Override
    void close();

    /** A registration made by {@link #subscribe}; closing it stops the calls. Idempotent. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
