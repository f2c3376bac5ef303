package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.store.StateStore;
import dev.iov.store.zookeeper.pool.SharedAddressPool;
import dev.iov.store.zookeeper.pool.SharedAddressPool.ChunkSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several management nodes, each a {@link Fabric} on its own ZooKeeper client, provisioning at once from many threads
 * against one 3-server ensemble. The fabric is the unchanged orchestrator; only its store and pools are the shared
 * ones.
 */
class ClusterFabricTest {

    private static final int NODES = 3;
    private static final int THREADS_PER_NODE = 4;
    private static final int VNICS_PER_THREAD = 15;
    private static final MacAddress FIRST = MacAddress.parse("02:00:00:00:00:00");
    private static final MacAddress LAST = MacAddress.parse("02:00:00:00:ff:ff");
    private static final Host HOST = Host.of("h1",
            Uplink.ethernet("eth0", Bandwidth.ofGbps(100), BackendKind.VSWITCH_PORT));
    private static final Network TENANT = Network.vlan("tenant-a", VlanId.of(10));
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private static TestingCluster cluster;
    private final List<ZooKeeperStateStore> stores = new ArrayList<>();
    private final List<Fabric> fabrics = new ArrayList<>();
    private String namespace;

    @BeforeAll
    static void startEnsemble() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void defineTheNetworkOnce() {
        namespace = "fabric-test/t" + NAMESPACES.incrementAndGet();
        try (Fabric admin = node()) {
            admin.defineNetwork(TENANT);
        }
    }

    @AfterEach
    void closeNodes() {
        fabrics.forEach(Fabric::close);
        stores.forEach(StateStore::close);
    }

    /** A management node: its own client, its own instances of the shared pools, the same configuration. */
    private Fabric node() {
        ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(cluster.getConnectString())
                .namespace(namespace).build();
        stores.add(store);
        // FIRST_FIT makes every node race for the same chunk: the hardest case for uniqueness.
        AddressPool<MacAddress> macs = SharedAddressPool.macs(store, "iov/pools/mac/", FIRST, LAST,
                ChunkSelection.FIRST_FIT);
        Fabric fabric = Fabric.builder().store(store).nodeId("node-" + fabrics.size()).macPool(macs)
                .vlanPool(SharedAddressPool.vlans(store, "iov/pools/vlan/", VlanId.of(1), VlanId.of(4094)))
                .oversubscription(OversubscriptionPolicy.warn())
                .host(HOST, EmbeddedBackend.of("h1-vs", BackendKind.VSWITCH_PORT)).build();
        fabrics.add(fabric);
        return fabric;
    }

    @Test
    void nodesProvisioningConcurrentlyNeverShareAnAddressAndAllSeeEveryVnic() throws Exception {
        List<Fabric> nodes = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            nodes.add(node());
        }
        Map<VnicId, MacAddress> acknowledged = new ConcurrentHashMap<>();
        // Every node also tries to take one fixed MAC, and one vNIC id: exactly one may win each.
        MacAddress contested = MacAddress.parse("02:00:00:00:ab:cd");
        AtomicInteger contestedWins = new AtomicInteger();
        AtomicInteger sameIdWins = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(NODES * THREADS_PER_NODE);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < NODES * THREADS_PER_NODE; t++) {
                int thread = t;
                Fabric fabric = nodes.get(t % NODES);
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < VNICS_PER_THREAD; i++) {
                        Vnic vnic = fabric.provision("h1",
                                VnicSpec.builder("t" + thread + "-" + i, "vm-" + thread, "tenant-a").build());
                        acknowledged.put(vnic.id(), vnic.addresses().mac().orElseThrow());
                    }
                    if (thread < NODES) {
                        try {
                            Vnic fixed = fabric.provision("h1", VnicSpec.builder("fixed-" + thread, "vm-f",
                                    "tenant-a").mac(contested).build());
                            acknowledged.put(fixed.id(), contested);
                            contestedWins.incrementAndGet();
                        } catch (IllegalArgumentException lost) {
                            assertThat(lost).hasMessageContaining(contested.toString());
                        }
                        try {
                            Vnic same = fabric.provision("h1",
                                    VnicSpec.builder("same-id", "vm-s", "tenant-a").build());
                            acknowledged.put(same.id(), same.addresses().mac().orElseThrow());
                            sameIdWins.incrementAndGet();
                        } catch (dev.iov.api.store.VersionConflictException lost) {
                            assertThat(lost.key()).endsWith("same-id");
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(90, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(contestedWins).hasValue(1);
        assertThat(sameIdWins).hasValue(1);
        int expected = NODES * THREADS_PER_NODE * VNICS_PER_THREAD + 2;
        assertThat(acknowledged).hasSize(expected);
        Map<MacAddress, List<VnicId>> byMac = acknowledged.entrySet().stream().collect(
                Collectors.groupingBy(Map.Entry::getValue, Collectors.mapping(Map.Entry::getKey,
                        Collectors.toList())));
        assertThat(byMac.values()).as("vNICs per MAC address").allMatch(owners -> owners.size() == 1);

        // Every node's store has every acknowledged vNIC (each node learns the others' through its watch).
        for (ZooKeeperStateStore store : stores) {
            Await.until(store + " lists every vNIC", Await.LONG,
                    () -> store.list("iov/vnics/").size() == expected);
        }
        // A fabric built on any node's store sees all of them, with their addresses, and their MACs are allocated.
        for (ZooKeeperStateStore store : stores.subList(1, stores.size())) {
            Fabric restarted = Fabric.builder().store(store).nodeId("reader-" + fabrics.size())
                    .macPool(SharedAddressPool.macs(store, "iov/pools/mac/", FIRST, LAST, ChunkSelection.PER_NODE))
                    .host(HOST, EmbeddedBackend.of("h1-vs", BackendKind.VSWITCH_PORT)).build();
            fabrics.add(restarted);
            Map<VnicId, MacAddress> seen = restarted.vnics().stream().collect(
                    Collectors.toMap(Vnic::id, vnic -> vnic.addresses().mac().orElseThrow()));
            assertThat(seen).isEqualTo(acknowledged);
        }
        SharedAddressPool<MacAddress> view = SharedAddressPool.macs(stores.get(0), "iov/pools/mac/", FIRST, LAST,
                ChunkSelection.PER_NODE);
        Await.until("the pool counts every vNIC's address", Await.LONG,
                () -> view.available() == view.capacity() - expected);
        assertThat(acknowledged.values()).allMatch(view::isAllocated);
    }

    @Test
    void anAddressReleasedOnOneNodeCanBeTakenOnAnother() throws Exception {
        Fabric one = node();
        Fabric two = node();
        MacAddress fixed = MacAddress.parse("02:00:00:00:12:34");
        Vnic first = one.provision("h1", VnicSpec.builder("a", "vm-a", "tenant-a").mac(fixed).build());
        assertThat(first.addresses().mac()).contains(fixed);

        assertThat(one.release(first.id())).isTrue();
        Vnic again = two.provision("h1", VnicSpec.builder("b", "vm-b", "tenant-a").mac(fixed).build());
        assertThat(again.addresses().mac()).contains(fixed);
        Await.until("node one's store sees b", Await.LONG, () -> stores.get(1).get("iov/vnics/b").isPresent());
        assertThat(stores.get(1).get("iov/vnics/a")).isEmpty();
    }
}
