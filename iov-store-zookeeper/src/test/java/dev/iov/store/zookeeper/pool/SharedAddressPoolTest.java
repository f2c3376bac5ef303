package dev.iov.store.zookeeper.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressInUseException;
import dev.iov.api.pool.PoolExhaustedException;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.store.zookeeper.Await;
import dev.iov.store.zookeeper.ZooKeeperStateStore;
import dev.iov.store.zookeeper.pool.SharedAddressPool.ChunkSelection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SharedAddressPoolTest {

    private static final MacAddress FIRST = MacAddress.parse("02:00:00:00:00:00");
    /** 5000 addresses: one full chunk of 4096 and a short one of 904. */
    private static final MacAddress LAST = MacAddress.of(FIRST.toLong() + 4999);

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeLater) {
            closeable.close();
        }
        store.close();
    }

    @ParameterizedTest
    @EnumSource(ChunkSelection.class)
    void handsOutEveryValueOnceThenReportsExhaustion(ChunkSelection selection) {
        SharedAddressPool<MacAddress> pool = SharedAddressPool.macs(store, "pools/mac/", FIRST, LAST, selection);
        Set<MacAddress> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            MacAddress mac = pool.allocate();
            assertThat(pool.contains(mac)).isTrue();
            assertThat(seen.add(mac)).as("%s handed out twice", mac).isTrue();
        }
        assertThat(pool.available()).isZero();
        assertThatThrownBy(pool::allocate).isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("5000");

        MacAddress back = MacAddress.of(FIRST.toLong() + 4321);
        assertThat(pool.release(back)).isTrue();
        assertThat(pool.release(back)).isFalse();
        assertThat(pool.available()).isEqualTo(1);
        assertThat(pool.allocate()).isEqualTo(back);
        // Two chunk records hold the whole pool.
        assertThat(store.list("pools/mac/")).hasSize(2);
    }

    @Test
    void reserveAdoptAndReleaseFollowTheAddressPoolContract() {
        SharedAddressPool<MacAddress> pool = SharedAddressPool.macs(store, "pools/mac/", FIRST, LAST,
                ChunkSelection.FIRST_FIT);
        MacAddress fixed = MacAddress.of(FIRST.toLong() + 7);
        pool.reserve(fixed);
        assertThat(pool.isAllocated(fixed)).isTrue();
        assertThatThrownBy(() -> pool.reserve(fixed)).isInstanceOf(AddressInUseException.class)
                .hasMessageContaining(fixed.toString());
        // A stored record's address is already allocated in a shared pool: adopting it is fine, twice too.
        pool.adopt(fixed);
        pool.adopt(fixed);
        MacAddress carriedOver = MacAddress.of(FIRST.toLong() + 8);
        pool.adopt(carriedOver);
        assertThat(pool.isAllocated(carriedOver)).isTrue();

        MacAddress outside = MacAddress.parse("02:00:00:ff:00:00");
        assertThatThrownBy(() -> pool.reserve(outside)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("02:00:00:ff:00:00").hasMessageContaining(pool.name());
        assertThat(pool.release(outside)).isFalse();
        assertThat(pool.isAllocated(outside)).isFalse();
        assertThat(pool.capacity()).isEqualTo(5000);
        assertThat(pool.available()).isEqualTo(4998);
    }

    @Test
    void invalidConfigurationIsRefusedNamingIt() {
        assertThatThrownBy(() -> SharedAddressPool.macs(store, "p/", MacAddress.parse("01:00:00:00:00:00"),
                MacAddress.parse("01:00:00:00:00:ff"), ChunkSelection.PER_NODE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("01:00:00:00:00:00");
        assertThatThrownBy(() -> SharedAddressPool.macs(store, "", FIRST, LAST, ChunkSelection.PER_NODE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key prefix");
        assertThatThrownBy(() -> SharedAddressPool.macs(store, "a b/", FIRST, LAST, ChunkSelection.PER_NODE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b/'");
        assertThatThrownBy(() -> SharedAddressPool.slots(store, "vf/", "VFs of 0000:3b:00.0", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0'");
    }

    @Test
    void aChunkRecordOfAnotherShapeIsRefused() {
        store.put("pools/vlan/0", new byte[3], StateStore.ABSENT);
        SharedAddressPool<VlanId> vlans = SharedAddressPool.vlans(store, "pools/vlan/", VlanId.of(1),
                VlanId.of(4094));
        assertThatThrownBy(vlans::allocate).isInstanceOf(StoreException.class)
                .hasMessageContaining("'pools/vlan/0'").hasMessageContaining("3 bytes");
    }

    @Test
    void slotsAndVlansAreSharedToo() {
        SharedAddressPool<Integer> one = SharedAddressPool.slots(store, "vf/pf0/", "VFs of 0000:3b:00.0", 4);
        SharedAddressPool<Integer> two = SharedAddressPool.slots(store, "vf/pf0/", "VFs of 0000:3b:00.0", 4);
        Set<Integer> slots = new HashSet<>(List.of(one.allocate(), two.allocate(), one.allocate(), two.allocate()));
        assertThat(slots).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThatThrownBy(one::allocate).isInstanceOf(PoolExhaustedException.class);

        SharedAddressPool<VlanId> vlans = SharedAddressPool.vlans(store, "vlan/", VlanId.of(100), VlanId.of(101));
        assertThat(vlans.allocate()).isEqualTo(VlanId.of(100));
        assertThat(vlans.name()).contains("100").contains("101");
    }

    /** Three nodes, each its own ZooKeeper client and pool instance, four threads each, racing for one range. */
    @ParameterizedTest
    @EnumSource(ChunkSelection.class)
    void nodesOnSeparateZooKeeperClientsNeverHandOutTheSameValue(ChunkSelection selection) throws Exception {
        TestingServer server = new TestingServer(true);
        closeLater.add(server);
        int nodes = 3;
        int threadsPerNode = 4;
        int perThread = 40;
        List<SharedAddressPool<MacAddress>> pools = new ArrayList<>();
        List<ZooKeeperStateStore> stores = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            ZooKeeperStateStore node = ZooKeeperStateStore.builder().connectString(server.getConnectString())
                    .namespace("pool-test").build();
            stores.add(node);
            pools.add(SharedAddressPool.macs(node, "pools/mac/", FIRST, LAST, selection));
        }
        Set<MacAddress> handedOut = ConcurrentHashMap.newKeySet();
        List<MacAddress> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(nodes * threadsPerNode);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < nodes * threadsPerNode; t++) {
                SharedAddressPool<MacAddress> pool = pools.get(t % nodes);
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        MacAddress mac = pool.allocate();
                        if (!handedOut.add(mac)) {
                            duplicates.add(mac);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        int total = nodes * threadsPerNode * perThread;
        assertThat(handedOut).hasSize(total);
        for (int n = 0; n < nodes; n++) {
            SharedAddressPool<MacAddress> pool = pools.get(n);
            Await.until("node " + n + " counts every allocation", Await.LONG,
                    () -> pool.available() == 5000 - total);
            assertThat(handedOut).allMatch(pool::isAllocated);
        }
        stores.forEach(ZooKeeperStateStore::close);
    }
}
