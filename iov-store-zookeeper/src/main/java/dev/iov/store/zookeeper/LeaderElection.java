package dev.iov.store.zookeeper;

import dev.iov.api.store.StoreException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;

/**
 * This node's place in the election of the one node that runs a cluster-wide job, such as reconciling the fabric
 * or producing drift reports: Curator's {@link LeaderLatch}. Made by {@link ZooKeeperStateStore#leaderElection}.
 *
 * <p>Leadership is revoked as soon as the connection is suspended, not only when the session is lost, so a node
 * cut off from the quorum stops leading before another can be elected. Check {@link #isLeader()} before each run of
 * the job, not once at start. Thread-safe.
 */
public final class LeaderElection implements AutoCloseable {

    private final LeaderLatch latch;
    private final String path;
    private final String participantId;

    LeaderElection(CuratorFramework client, String path, String participantId) {
        this.path = path;
        this.participantId = participantId;
        this.latch = new LeaderLatch(client, path, participantId, LeaderLatch.CloseMode.NOTIFY_LEADER);
        try {
            latch.start();
        } catch (Exception e) {
            throw new StoreException("cannot join the leader election " + path + " as '" + participantId + "'", e);
        }
    }

    /** @return true while this node is the leader */
    public boolean isLeader() {
        return latch.hasLeadership();
    }

    /**
     * Waits until this node leads.
     *
     * @param timeout how long to wait at most
     * @return true when this node leads, false when the time ran out
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitLeadership(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Asks ZooKeeper who leads now.
     *
     * @return the leader's participant id, or empty while nobody leads
     * @throws StoreException when ZooKeeper cannot be asked
     */
    public Optional<String> leaderId() {
        try {
            Participant leader = latch.getLeader();
            return leader.isLeader() ? Optional.of(leader.getId()) : Optional.empty();
        } catch (Exception e) {
            throw new StoreException("cannot read the leader of election " + path, e);
        }
    }

    /**
     * Calls {@code elected} when this node becomes leader and {@code revoked} when it stops, on Curator's event
     * thread; neither may block.
     *
     * @param elected run when leadership is gained
     * @param revoked run when leadership is lost
     */
    public void onChange(Runnable elected, Runnable revoked) {
        Objects.requireNonNull(elected, "elected");
        Objects.requireNonNull(revoked, "revoked");
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                elected.run();
            }

            @Override
            public void notLeader() {
                revoked.run();
            }
        });
    }

    /** @return this node's id in the election */
    public String participantId() {
        return participantId;
    }

    /**
     * Leaves the election, handing leadership to another node if this one held it. Idempotent, and harmless after
     * the store was closed.
     */
    @Override
    public void close() {
        if (latch.getState() == LeaderLatch.State.STARTED) {
            try {
                latch.close();
            } catch (Exception e) {
                // Closed concurrently, or the store (and its session) closed first: the latch's ephemeral znode
                // goes with the session, so the other nodes elect a new leader either way.
            }
        }
    }

    @Override
    public String toString() {
        return "LeaderElection[" + path + " as " + participantId + (isLeader() ? ", leader" : "") + "]";
    }
}
