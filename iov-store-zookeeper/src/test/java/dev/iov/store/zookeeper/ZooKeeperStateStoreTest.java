package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the ZooKeeper store adds to the contract: several clients, znode versions, namespaces, ACLs, the builder. */
class ZooKeeperStateStoreTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static TestingServer server;
    private final List<StateStore> opened = new ArrayList<>();
    private String namespace;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void freshNamespace() {
        namespace = "store-test/t" + NAMESPACES.incrementAndGet();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(StateStore::close);
    }

    private ZooKeeperStateStore open(ZooKeeperStateStore.Builder builder) {
        ZooKeeperStateStore store = builder.build();
        opened.add(store);
        return store;
    }

    private ZooKeeperStateStore open() {
        return open(ZooKeeperStateStore.builder().connectString(server.getConnectString()).namespace(namespace));
    }

    @Test
    void twoClientsShareRecordsAndSeeEachOthersChanges() throws Exception {
        ZooKeeperStateStore a = open();
        ZooKeeperStateStore b = open();
        BlockingQueue<StoreEvent> seenByB = new LinkedBlockingQueue<>();
        b.watch("vnic/", seenByB::add);

        a.put("vnic/web-7", bytes("on h1"), StateStore.ABSENT);
        StoreEvent created = seenByB.poll(10, TimeUnit.SECONDS);
        assertThat(created).isNotNull();
        assertThat(created.type()).isEqualTo(StoreEvent.Type.PUT);
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.value()).isEqualTo(bytes("on h1"));
        assertThat(b.get("vnic/web-7")).contains(new VersionedValue(1, bytes("on h1")));

        // b writes with the version it saw; a, holding the same version, loses the next round.
        assertThat(b.put("vnic/web-7", bytes("on h2"), 1)).isEqualTo(2);
        assertThatThrownBy(() -> a.put("vnic/web-7", bytes("stale"), 1))
                .isInstanceOfSatisfying(VersionConflictException.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(2));
        // The conflict re-read the record: a's next compare-and-set uses the winner's version.
        assertThat(a.get("vnic/web-7")).contains(new VersionedValue(2, bytes("on h2")));

        a.delete("vnic/web-7", 2);
        Await.until("b sees the delete", Await.LONG, () -> b.get("vnic/web-7").isEmpty());
        // Listeners are called after the replica changed, on the delivery thread: wait for the event itself.
        List<StoreEvent> rest = new ArrayList<>();
        Await.until("b's listener hears the delete", Await.LONG, () -> {
            seenByB.drainTo(rest);
            return !rest.isEmpty() && rest.get(rest.size() - 1).type() == StoreEvent.Type.DELETE;
        });
        assertThat(rest).extracting(StoreEvent::key).containsOnly("vnic/web-7");
    }

    @Test
    void recordVersionIsTheZnodeVersionPlusOne() throws Exception {
        ZooKeeperStateStore store = open();
        store.put("k", bytes("1"), StateStore.ABSENT);
        store.put("k", bytes("2"), 1);
        store.put("k", bytes("3"), 2);

        Stat stat = store.curator().checkExists().forPath(ZooKeeperStateStore.RECORDS + "/k");
        assertThat(stat.getVersion()).isEqualTo(2);
        assertThat(store.get("k").orElseThrow().version()).isEqualTo(3);

        // A change made directly on the znode is a new version to the store, reached through the watch.
        store.curator().setData().withVersion(2).forPath(ZooKeeperStateStore.RECORDS + "/k", bytes("direct"));
        Await.until("the direct write reaches the replica", Await.LONG,
                () -> store.get("k").orElseThrow().version() == 4);
        assertThat(store.get("k").orElseThrow().value()).isEqualTo(bytes("direct"));
    }

    @Test
    void manyQuickChangesByAnotherClientConvergeInOrder() throws Exception {
        ZooKeeperStateStore writer = open();
        ZooKeeperStateStore reader = open();
        List<Long> versions = Collections.synchronizedList(new ArrayList<>());
        reader.watch("counter", event -> versions.add(event.version()));

        for (int i = 0; i < 50; i++) {
            writer.put("counter", bytes(Integer.toString(i)), StateStore.ANY_VERSION);
        }

        Await.until("reader at version 50", Await.LONG,
                () -> reader.get("counter").map(VersionedValue::version).orElse(0L) == 50);
        assertThat(reader.get("counter").orElseThrow().value()).isEqualTo(bytes("49"));
        Await.until("the last event is version 50", Await.LONG,
                () -> !versions.isEmpty() && versions.get(versions.size() - 1) == 50);
        // Changes by another client may be coalesced, but never arrive out of order.
        assertThat(versions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aStoreOpenedLaterLoadsEverything() {
        ZooKeeperStateStore first = open();
        for (int i = 0; i < 20; i++) {
            first.put("r/" + i, bytes("v" + i), StateStore.ABSENT);
        }
        first.put("r/0", bytes("again"), 1);
        first.delete("r/19", 1);

        ZooKeeperStateStore later = open();
        assertThat(later.list("")).isEqualTo(first.list("")).hasSize(19);
        assertThat(later.get("r/0")).contains(new VersionedValue(2, bytes("again")));
    }

    @Test
    void namespacesAreSeparateStores() {
        ZooKeeperStateStore one = open();
        ZooKeeperStateStore other = open(ZooKeeperStateStore.builder().connectString(server.getConnectString())
                .namespace(namespace + "-other"));
        one.put("k", bytes("one"), StateStore.ABSENT);
        other.put("k", bytes("other"), StateStore.ABSENT);

        assertThat(one.get("k")).contains(new VersionedValue(1, bytes("one")));
        assertThat(other.get("k")).contains(new VersionedValue(1, bytes("other")));
    }

    @Test
    void digestAuthenticationKeepsOtherClientsOut() {
        ZooKeeperStateStore owner = open(ZooKeeperStateStore.builder().connectString(server.getConnectString())
                .namespace(namespace).digestAuthentication("iov", "s3cret"));
        owner.put("vnic/a", bytes("private"), StateStore.ABSENT);

        assertThatThrownBy(() -> open(ZooKeeperStateStore.builder().connectString(server.getConnectString())
                .namespace(namespace)))
                .isInstanceOf(StoreException.class).hasMessageContaining("NOAUTH");
        assertThatThrownBy(() -> open(ZooKeeperStateStore.builder().connectString(server.getConnectString())
                .namespace(namespace).digestAuthentication("iov", "wrong")))
                .isInstanceOf(StoreException.class).hasMessageContaining("NOAUTH");

        ZooKeeperStateStore sameUser = open(ZooKeeperStateStore.builder().connectString(server.getConnectString())
                .namespace(namespace).digestAuthentication("iov", "s3cret"));
        assertThat(sameUser.get("vnic/a")).contains(new VersionedValue(1, bytes("private")));
    }

    @Test
    void valueAboveTheZooKeeperLimitIsRefusedNamingKeyAndLimit() {
        ZooKeeperStateStore store = open();
        byte[] big = new byte[ZooKeeperStateStore.Builder.DEFAULT_MAX_VALUE_BYTES + 1];

        assertThatThrownBy(() -> store.put("big", big, StateStore.ABSENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'big'")
                .hasMessageContaining(Integer.toString(ZooKeeperStateStore.Builder.DEFAULT_MAX_VALUE_BYTES));
        assertThat(store.get("big")).isEmpty();
        byte[] largest = new byte[ZooKeeperStateStore.Builder.DEFAULT_MAX_VALUE_BYTES];
        store.put("big", largest, StateStore.ABSENT);
        assertThat(store.get("big").orElseThrow().value()).hasSize(largest.length);
    }

    @Test
    void unreachableEnsembleFailsWithinTheConnectionTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ZooKeeperStateStore.builder().connectString("127.0.0.1:1")
                .connectionTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("no connection");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        ZooKeeperStateStore.Builder builder = ZooKeeperStateStore.builder();
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connectString");
        assertThatThrownBy(() -> builder.connectString("")).hasMessageContaining("''");
        assertThatThrownBy(() -> builder.connectString("zk1:0")).hasMessageContaining("'0'");
        assertThatThrownBy(() -> builder.connectString("zk1:2181,:2181")).hasMessageContaining("':2181'");
        assertThatThrownBy(() -> builder.connectString("zk1:port")).hasMessageContaining("'port'");
        assertThatThrownBy(() -> builder.connectString("zk1:2181/a//b")).hasMessageContaining("'a//b'");
        builder.connectString("zk1:2181,zk2:2182/apps/iov");
        for (String bad : List.of("", "/iov", "iov/", "a//b", "..", "a/./b", "zookeeper", "sp ace")) {
            assertThatThrownBy(() -> builder.namespace(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> builder.sessionTimeout(Duration.ofMillis(10))).hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> builder.connectionTimeout(Duration.ofHours(1))).hasMessageContaining("PT1H");
        assertThatThrownBy(() -> builder.digestAuthentication("a:b", "pw")).hasMessageContaining("'a:b'");
        assertThatThrownBy(() -> builder.digestAuthentication("iov", "")).hasMessageContaining("'iov'");
        assertThatThrownBy(() -> builder.maxValueBytes(0)).hasMessageContaining("0");
        builder.sessionTimeout(Duration.ofSeconds(2)).connectionTimeout(Duration.ofSeconds(3));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT3S").hasMessageContaining("PT2S");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
