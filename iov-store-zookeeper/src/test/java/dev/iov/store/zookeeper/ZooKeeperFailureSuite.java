package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store on a 3-server ensemble while servers die, clients are cut off and sessions expire: acknowledged records
 * survive, a client without a quorum refuses writes, and everyone converges. {@link InProcessZooKeeperFailureTest}
 * runs it in this process, {@link RealZooKeeperFailureIT} on real server processes.
 */
abstract class ZooKeeperFailureSuite {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private final List<StateStore> opened = new ArrayList<>();
    private String namespace;

    /** The ensemble of the concrete class, started once for all its tests. */
    protected abstract Ensemble ensemble();

    /**
     * Every test starts on a settled ensemble: all three servers serving and one leader. A server that joins late
     * drops the connections of its clients: a test that started then saw connection losses it did not cause.
     */
    @BeforeEach
    void freshNamespaceOnASettledEnsemble() throws Exception {
        namespace = "failure-test/t" + NAMESPACES.incrementAndGet();
        ensemble().restoreAndSettle();
    }

    @AfterEach
    void restoreEnsemble() throws Exception {
        opened.forEach(StateStore::close);
        opened.clear();
        ensemble().restoreAndSettle();
    }

    @Test
    void ensembleLosingAFollowerAndThenItsLeaderKeepsServing() throws Exception {
        Ensemble ensemble = ensemble();
        ZooKeeperStateStore store = open(ensemble.connectString());
        Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
        writeUntilAcknowledged(store, "before", 10, acknowledged);

        int follower = ensemble.followerIndex();
        assertThat(follower).as(ensemble.describe()).isNotNegative();
        ensemble.stop(follower);
        writeUntilAcknowledged(store, "one-down", 10, acknowledged);

        ensemble.restart(follower);
        int leader = ensemble.leaderIndex();
        assertThat(leader).as(ensemble.describe()).isNotNegative();
        ensemble.stop(leader);
        Await.until("a new leader among the two left", Ensemble.SETTLE, () -> {
            int next = ensemble.leaderIndex();
            return next >= 0 && next != leader;
        }, ensemble::describe);
        writeUntilAcknowledged(store, "new-leader", 10, acknowledged);

        ZooKeeperStateStore reader = open(ensemble.connectString());
        Map<String, VersionedValue> all = reader.list("");
        assertThat(all.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
        acknowledged.forEach((key, value) -> assertThat(all.get(key).value()).isEqualTo(value));
    }

    @Test
    void partitionedClientRefusesWritesInsteadOfDiverging() throws Exception {
        Ensemble ensemble = ensemble();
        int lonely = 0;
        // Kept to its one server: a client that follows the ensemble's configuration would reconnect elsewhere.
        ZooKeeperStateStore cutOff = ZooKeeperStateStore.builder().connectString(ensemble.connectString(lonely))
                .namespace(namespace).sessionTimeout(Duration.ofSeconds(10)).connectionTimeout(Duration.ofSeconds(3))
                .followEnsembleChanges(false).build();
        opened.add(cutOff);
        ZooKeeperStateStore healthy = open(ensemble.connectString());
        cutOff.put("shared", bytes("v1"), StateStore.ABSENT);
        Await.until("healthy sees v1", Await.LONG, () -> healthy.get("shared").isPresent());

        ensemble.stop(lonely);
        Await.until("the cut-off client notices", Await.LONG, () -> !cutOff.isWritable());
        assertThatThrownBy(() -> cutOff.put("shared", bytes("diverged"), 1))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("refusing put of 'shared'")
                .hasMessageContaining("nothing was written");
        assertThatThrownBy(() -> cutOff.delete("shared", StateStore.ANY_VERSION))
                .isInstanceOf(StoreException.class).hasMessageContaining("refusing delete");
        assertThatThrownBy(() -> cutOff.put("new", bytes("x"), StateStore.ABSENT))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> cutOff.commit(List.of(new StoreOp.Put("shared", bytes("diverged"), 1),
                new StoreOp.Put("new", bytes("x"), StateStore.ABSENT))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("refusing commit of 'shared'")
                .hasMessageContaining("nothing was written");
        // Meanwhile the majority goes on.
        writeUntilAcknowledged(healthy, "majority", 1, new ConcurrentHashMap<>());
        long healthyVersion = healthy.put("shared", bytes("v2"), 1);
        // The cut-off replica still answers reads, with what it last knew.
        assertThat(cutOff.get("shared")).contains(new VersionedValue(1, bytes("v1")));

        ensemble.restart(lonely);
        Await.until("the client is back", Await.LONG, cutOff::isWritable);
        Await.until("it caught up with the majority", Await.LONG,
                () -> cutOff.get("shared").map(VersionedValue::version).orElse(0L) == healthyVersion);
        assertThat(cutOff.get("shared").orElseThrow().value()).isEqualTo(bytes("v2"));
        assertThat(healthy.get("new")).isEmpty();
        assertThat(cutOff.put("shared", bytes("v3"), healthyVersion)).isEqualTo(healthyVersion + 1);
    }

    @Test
    void clientWhoseSessionExpiresRecoversWithoutLosingAcknowledgedRecords() throws Exception {
        ZooKeeperStateStore expiring = open(ensemble().connectString());
        ZooKeeperStateStore other = open(ensemble().connectString());
        for (int i = 0; i < 10; i++) {
            expiring.put("mine/" + i, bytes("m" + i), StateStore.ABSENT);
        }
        other.put("theirs/gone", bytes("x"), StateStore.ABSENT);
        Await.until("expiring sees theirs/gone", Await.LONG, () -> expiring.get("theirs/gone").isPresent());
        List<StoreEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        expiring.watch("theirs/", events::add);
        long sessionBefore = expiring.curator().getZookeeperClient().getZooKeeper().getSessionId();

        expiring.curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        // While the session is gone, another node changes things.
        other.put("theirs/new", bytes("y"), StateStore.ABSENT);
        other.delete("theirs/gone", 1);

        Await.until("a new session", Await.LONG, () -> {
            try {
                return expiring.isWritable()
                        && expiring.curator().getZookeeperClient().getZooKeeper().getSessionId() != sessionBefore;
            } catch (Exception e) {
                return false;
            }
        });
        Await.until("changes made during the outage are re-read", Await.LONG,
                () -> expiring.get("theirs/new").isPresent() && expiring.get("theirs/gone").isEmpty());
        assertThat(expiring.list("mine/")).hasSize(10);
        assertThat(other.list("mine/")).isEqualTo(expiring.list("mine/"));
        Await.until("listeners heard about both", Await.LONG, () -> events.stream()
                .anyMatch(e -> e.key().equals("theirs/gone") && e.type() == StoreEvent.Type.DELETE)
                && events.stream().anyMatch(e -> e.key().equals("theirs/new")));

        // The watch works again on the new session, and so do writes.
        other.put("theirs/after", bytes("z"), StateStore.ABSENT);
        Await.until("a change after recovery arrives", Await.LONG,
                () -> events.stream().anyMatch(e -> e.key().equals("theirs/after")));
        expiring.put("mine/10", bytes("m10"), StateStore.ABSENT);
        Await.until("other sees the write", Await.LONG, () -> other.get("mine/10").isPresent());
        // A transaction on the new session, seen whole by the other node.
        expiring.commit(List.of(new StoreOp.Put("mine/11", bytes("m11"), StateStore.ABSENT),
                new StoreOp.Delete("mine/0", 1)));
        Await.until("other sees the transaction", Await.LONG,
                () -> other.get("mine/11").isPresent() && other.get("mine/0").isEmpty());
    }

    // ---- helpers ----

    private ZooKeeperStateStore open(String connectString) {
        ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(connectString).namespace(namespace)
                .sessionTimeout(Duration.ofSeconds(10)).connectionTimeout(Duration.ofSeconds(3)).build();
        opened.add(store);
        return store;
    }

    /**
     * Writes {@code count} new records, retrying each until the store acknowledges it; a write refused or failed
     * while the ensemble elects a leader is not acknowledged and is retried under the same key only if it is not
     * there (its outcome was unknown).
     */
    private static void writeUntilAcknowledged(ZooKeeperStateStore store, String prefix, int count,
            Map<String, byte[]> acknowledged) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            String key = prefix + "/" + i;
            byte[] value = bytes(key);
            Await.until("write of " + key + " acknowledged", Await.LONG, () -> {
                try {
                    store.put(key, value, StateStore.ANY_VERSION);
                    return true;
                } catch (StoreException e) {
                    return false;
                }
            });
            acknowledged.put(key, value);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
