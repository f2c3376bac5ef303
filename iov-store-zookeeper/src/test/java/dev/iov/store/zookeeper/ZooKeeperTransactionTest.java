package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ZooKeeperStateStore#commit} across nodes: one node's transactions reach another node's replica, readers
 * and listeners whole, never part of one.
 */
class ZooKeeperTransactionTest {

    private static final int COUNTERS = 4;
    private static final int INITIAL = 1000;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static TestingCluster ensemble;
    private final List<StateStore> opened = new ArrayList<>();
    private String namespace;

    @BeforeAll
    static void startEnsemble() throws Exception {
        ensemble = new TestingCluster(3);
        ensemble.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        ensemble.close();
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "tx-test/t" + NAMESPACES.incrementAndGet();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(StateStore::close);
    }

    /** A node of the cluster, connected to one server of the ensemble. */
    private ZooKeeperStateStore open(int server) {
        ZooKeeperStateStore store = ZooKeeperStateStore.builder()
                .connectString(ensemble.getServers().get(server).getInstanceSpec().getConnectString())
                .namespace(namespace).build();
        opened.add(store);
        return store;
    }

    /**
     * Node A moves units between counters, two records per transaction; node B (on another server of the ensemble)
     * lists the counters continuously and from every listener call. Every snapshot B ever shows must hold the
     * total: a replica that applied another node's re-reads one record at a time would show one side of a
     * transfer without the other.
     */
    @Test
    void anotherNodesTransactionsAreSeenWhole() throws Exception {
        ZooKeeperStateStore a = open(0);
        ZooKeeperStateStore b = open(1);
        for (int k = 0; k < COUNTERS; k++) {
            a.put(key(k), bytes(Integer.toString(INITIAL)), StateStore.ABSENT);
        }
        Await.until("b holds the counters", Await.LONG, () -> b.list("bank/").size() == COUNTERS);
        List<String> broken = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger listened = new AtomicInteger();
        b.watch("bank/", event -> {
            Map<String, VersionedValue> snapshot = b.list("bank/");
            if (sum(snapshot) != COUNTERS * INITIAL) {
                broken.add("listener on " + event.key() + " saw " + describe(snapshot));
            }
            listened.incrementAndGet();
        });
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger snapshots = new AtomicInteger();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        int transfers = 400;
        try {
            Future<?> reading = reader.submit(() -> {
                while (writing.get()) {
                    Map<String, VersionedValue> snapshot = b.list("bank/");
                    if (sum(snapshot) != COUNTERS * INITIAL) {
                        broken.add("reader saw " + describe(snapshot));
                    }
                    snapshots.incrementAndGet();
                }
            });
            Random random = new Random(7);
            for (int i = 0; i < transfers; i++) {
                int from = random.nextInt(COUNTERS);
                int to = (from + 1 + random.nextInt(COUNTERS - 1)) % COUNTERS;
                VersionedValue source = a.get(key(from)).orElseThrow();
                VersionedValue target = a.get(key(to)).orElseThrow();
                a.commit(List.of(
                        new StoreOp.Put(key(from), bytes(Integer.toString(number(source) - 1)), source.version()),
                        new StoreOp.Put(key(to), bytes(Integer.toString(number(target) + 1)), target.version())));
            }
            Await.until("b catches up with a", Await.LONG, () -> b.list("bank/").equals(a.list("bank/")));
            writing.set(false);
            reading.get(30, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            reader.shutdownNow();
        }

        assertThat(broken).as("snapshots on b that show part of a transaction").isEmpty();
        assertThat(snapshots.get()).isPositive();
        assertThat(listened.get()).isPositive();
        assertThat(sum(b.list("bank/"))).isEqualTo(COUNTERS * INITIAL);
    }

    /** Two nodes transfer concurrently: conflicts are detected by the ensemble, and no unit is lost or made. */
    @Test
    void twoNodesTransferConcurrentlyWithoutLosingAnUpdate() throws Exception {
        ZooKeeperStateStore a = open(0);
        ZooKeeperStateStore b = open(2);
        for (int k = 0; k < COUNTERS; k++) {
            a.put(key(k), bytes(Integer.toString(INITIAL)), StateStore.ABSENT);
        }
        Await.until("b holds the counters", Await.LONG, () -> b.list("bank/").size() == COUNTERS);
        int transfersPerNode = 60;
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (ZooKeeperStateStore node : List.of(a, b)) {
                running.add(nodes.submit(() -> {
                    Random random = new Random(node == a ? 1 : 2);
                    for (int done = 0; done < transfersPerNode; ) {
                        int from = random.nextInt(COUNTERS);
                        int to = (from + 1 + random.nextInt(COUNTERS - 1)) % COUNTERS;
                        VersionedValue source = node.get(key(from)).orElseThrow();
                        VersionedValue target = node.get(key(to)).orElseThrow();
                        try {
                            node.commit(List.of(
                                    new StoreOp.Put(key(from), bytes(Integer.toString(number(source) - 1)),
                                            source.version()),
                                    new StoreOp.Put(key(to), bytes(Integer.toString(number(target) + 1)),
                                            target.version())));
                            done++;
                        } catch (VersionConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> node : running) {
                node.get(120, TimeUnit.SECONDS);
            }
        } finally {
            nodes.shutdownNow();
        }
        Await.until("the nodes agree", Await.LONG, () -> b.list("bank/").equals(a.list("bank/")));
        Map<String, VersionedValue> end = a.list("bank/");
        assertThat(sum(end)).isEqualTo(COUNTERS * INITIAL);
        long touches = end.values().stream().mapToLong(record -> record.version() - 1).sum();
        assertThat(touches).isEqualTo(2L * 2 * transfersPerNode);
    }

    /** ANY_VERSION steps are planned from the replica; a replica that is behind costs a retry, not a conflict. */
    @Test
    void anyVersionStepsSucceedWhenTheReplicaIsBehind() throws Exception {
        ZooKeeperStateStore a = open(0);
        ZooKeeperStateStore b = open(1);
        a.put("k/put", bytes("1"), StateStore.ABSENT);
        a.put("k/del", bytes("1"), StateStore.ABSENT);
        Await.until("b holds both", Await.LONG, () -> b.list("k/").size() == 2);
        // Change both behind b's back, directly on the znodes: b's replica may lag for a moment.
        b.curator().setData().forPath(ZooKeeperStateStore.RECORDS + "/" + ZnodeNames.encode("k/put"), bytes("2"));
        b.curator().create().forPath(ZooKeeperStateStore.RECORDS + "/" + ZnodeNames.encode("k/new"), bytes("n"));

        List<Long> versions = b.commit(List.of(
                new StoreOp.Put("k/put", bytes("3"), StateStore.ANY_VERSION),
                new StoreOp.Delete("k/del", StateStore.ANY_VERSION),
                new StoreOp.Delete("k/new", StateStore.ANY_VERSION)));

        assertThat(versions).containsExactly(3L, StateStore.ABSENT, StateStore.ABSENT);
        assertThat(b.list("k/")).containsOnlyKeys("k/put");
        assertThat(b.get("k/put")).contains(new VersionedValue(3, bytes("3")));
        Await.until("a agrees", Await.LONG, () -> a.list("k/").equals(b.list("k/")));
    }

    @Test
    void conflictOnAnotherNodesChangeNamesTheKeyWithTheRefreshedVersion() throws Exception {
        ZooKeeperStateStore a = open(0);
        ZooKeeperStateStore b = open(1);
        a.put("x", bytes("1"), StateStore.ABSENT);
        a.put("y", bytes("1"), StateStore.ABSENT);
        Await.until("b holds both", Await.LONG, () -> b.list("").size() == 2);
        a.put("y", bytes("2"), 1);

        assertThatThrownBy(() -> b.commit(List.of(new StoreOp.Put("x", bytes("b"), 1),
                new StoreOp.Put("y", bytes("b"), 1))))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo("y");
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        // The conflict re-read the record: b's next try uses the winner's version, and x was not written.
        assertThat(b.get("y").orElseThrow().version()).isEqualTo(2);
        assertThat(a.get("x")).contains(new VersionedValue(1, bytes("1")));
    }

    private static String key(int k) {
        return "bank/" + k;
    }

    private static int sum(Map<String, VersionedValue> snapshot) {
        return snapshot.values().stream().mapToInt(ZooKeeperTransactionTest::number).sum();
    }

    private static int number(VersionedValue record) {
        return Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8));
    }

    private static String describe(Map<String, VersionedValue> snapshot) {
        StringBuilder text = new StringBuilder("{");
        snapshot.forEach((key, record) -> text.append(key).append('=').append(number(record)).append('@')
                .append(record.version()).append(' '));
        return text.append('}').toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
