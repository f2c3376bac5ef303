package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.fabric.DriftReport;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.fabric.StoredVnics;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several management nodes, each a {@link Fabric} on its own ZooKeeper client, provisioning at once from many threads
 * against one 3-server ensemble, also while the ensemble loses servers. The fabric is the unchanged orchestrator;
 * only its store and pools are the shared ones. {@link InProcessZooKeeperClusterTest} runs it in this process,
 * {@link RealZooKeeperClusterIT} on real server processes.
 */
abstract class ZooKeeperClusterSuite {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperClusterSuite.class);

    private static final int NODES = 3;
    private static final int THREADS_PER_NODE = 4;
    private static final int VNICS_PER_THREAD = 15;
    private static final MacAddress FIRST = MacAddress.parse("02:00:00:00:00:00");
    private static final MacAddress LAST = MacAddress.parse("02:00:00:00:ff:ff");
    private static final Host HOST = Host.of("h1",
            Uplink.ethernet("eth0", Bandwidth.ofGbps(100), BackendKind.VSWITCH_PORT));
    private static final Network TENANT = Network.vlan("tenant-a", VlanId.of(10));
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final List<ZooKeeperStateStore> stores = new ArrayList<>();
    private final List<Fabric> fabrics = new ArrayList<>();
    private final List<EmbeddedBackend> backends = new ArrayList<>();
    /** The host every node reaches, as real management nodes reach the same switch. */
    private EmbeddedDevice device;
    private String namespace;

    /** The ensemble of the concrete class, started once for all its tests. */
    protected abstract Ensemble ensemble();

    @BeforeEach
    void defineTheNetworkOnce() throws Exception {
        device = new EmbeddedDevice();
        ensemble().restoreAndSettle();
        namespace = "fabric-test/t" + NAMESPACES.incrementAndGet();
        try (Fabric admin = node()) {
            admin.defineNetwork(TENANT);
        }
    }

    @AfterEach
    void closeNodes() throws Exception {
        fabrics.forEach(Fabric::close);
        stores.forEach(StateStore::close);
        fabrics.clear();
        stores.clear();
        backends.clear();
        ensemble().restoreAndSettle();
    }

    /** A management node: its own client, its own instances of the shared pools, the same configuration. */
    private Fabric node() {
        ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(ensemble().connectString())
                .namespace(namespace).sessionTimeout(Duration.ofSeconds(10))
                .connectionTimeout(Duration.ofSeconds(3)).build();
        stores.add(store);
        // FIRST_FIT makes every node race for the same chunk: the hardest case for uniqueness. Every node reaches
        // the same host: its backend works on the one device.
        EmbeddedBackend backend = new EmbeddedBackend("h1-vs", BackendKind.VSWITCH_PORT,
                EnumSet.allOf(Capability.class), device);
        AddressPool<MacAddress> macs = SharedAddressPool.macs(store, "iov/pools/mac/", FIRST, LAST,
                ChunkSelection.FIRST_FIT);
        Fabric fabric = Fabric.builder().store(store).nodeId("node-" + fabrics.size()).macPool(macs)
                .vlanPool(SharedAddressPool.vlans(store, "iov/pools/vlan/", VlanId.of(1), VlanId.of(4094)))
                .oversubscription(OversubscriptionPolicy.warn())
                .host(HOST, backend).build();
        fabrics.add(fabric);
        backends.add(backend);
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
                        } catch (IllegalArgumentException lost) {
                            assertThat(lost).hasMessageContaining("same-id");
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

    /** One provision that did not return a vNIC: which node, which vNIC, what it threw, in which phase. */
    private record Failed(int node, VnicId id, String phase, String error) {
    }

    /**
     * Two management nodes provision from several threads while the ensemble loses a follower (restarted once the
     * nodes wrote through the loss), then its leader. Provisions that fail during the elections are counted and
     * logged; what was acknowledged must all be there, read back through a fresh client, with no MAC twice and no
     * vNIC twice, and a failed provision leaves no record whose port is missing (once each node has repaired what
     * it knows to be in doubt).
     */
    @Test
    void provisioningAcrossTheLossOfAFollowerAndThenTheLeaderKeepsEveryAcknowledgedVnic() throws Exception {
        Ensemble ensemble = ensemble();
        int nodeCount = 2;
        int threadsPerNode = 3;
        List<Fabric> nodes = new ArrayList<>();
        List<EmbeddedBackend> nodeBackends = new ArrayList<>();
        for (int n = 0; n < nodeCount; n++) {
            nodes.add(node());
            nodeBackends.add(backends.get(backends.size() - 1));
        }
        Map<VnicId, MacAddress> acknowledged = new ConcurrentHashMap<>();
        Map<VnicId, Integer> acknowledgedBy = new ConcurrentHashMap<>();
        List<VnicId> acknowledgedInOrder = Collections.synchronizedList(new ArrayList<>());
        List<Failed> failed = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> phase = new AtomicReference<>("all up");
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(nodeCount * threadsPerNode);
        List<Future<?>> done = new ArrayList<>();
        long started = System.nanoTime();
        String lossReport;
        try {
            for (int t = 0; t < nodeCount * threadsPerNode; t++) {
                int node = t % nodeCount;
                int thread = t;
                Fabric fabric = nodes.get(node);
                done.add(threads.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        VnicId id = VnicId.of("loss-" + thread + "-" + i);
                        String during = phase.get();
                        try {
                            Vnic vnic = fabric.provision("h1",
                                    VnicSpec.builder(id.value(), "vm-" + thread, "tenant-a").build());
                            acknowledgedInOrder.add(vnic.id());
                            acknowledgedBy.put(vnic.id(), node);
                            acknowledged.put(vnic.id(), vnic.addresses().mac().orElseThrow());
                        } catch (RuntimeException e) {
                            failed.add(new Failed(node, id, during, e.getClass().getSimpleName() + ": "
                                    + e.getMessage()));
                            Thread.sleep(20); // no busy loop against a store that refuses writes
                        }
                    }
                    return null;
                }));
            }
            awaitProgress(acknowledged, 20, "before any loss", ensemble);

            int follower = ensemble.followerIndex();
            assertThat(follower).as(ensemble.describe()).isNotNegative();
            phase.set("follower " + follower + " down");
            ensemble.stop(follower);
            awaitProgress(acknowledged, 20, "with follower " + follower + " down", ensemble);
            phase.set("follower " + follower + " restarting");
            ensemble.restart(follower);

            int leader = ensemble.leaderIndex();
            assertThat(leader).as(ensemble.describe()).isNotNegative();
            phase.set("leader " + leader + " down");
            ensemble.stop(leader);
            Await.until("a new leader among the two left", Ensemble.SETTLE, () -> {
                int next = ensemble.leaderIndex();
                return next >= 0 && next != leader;
            }, ensemble::describe);
            awaitProgress(acknowledged, 20, "after leader " + leader + " was lost", ensemble);
            phase.set("leader " + leader + " restarting");
            ensemble.restart(leader);
            phase.set("all up again");
            awaitProgress(acknowledged, 10, "with every server back", ensemble);
            lossReport = "stopped follower " + follower + ", then leader " + leader;
        } finally {
            stop.set(true);
            threads.shutdown();
        }
        for (Future<?> future : done) {
            future.get(120, TimeUnit.SECONDS);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Map<String, Long> failedByPhase = failed.stream().collect(Collectors.groupingBy(Failed::phase,
                TreeMap::new, Collectors.counting()));
        long duringElections = failed.stream()
                .filter(f -> f.phase().endsWith(" down") || f.phase().endsWith(" restarting")).count();
        LOG.info("server loss while provisioning on the {} ensemble ({}): {} provision(s) acknowledged, {} failed "
                + "({} of them while a server was down or rejoining) in {} ms; failures by phase: {}",
                ensemble.kind(), lossReport, acknowledged.size(), failed.size(), duringElections, millis,
                failedByPhase);
        failed.stream().limit(5).forEach(f -> LOG.info("  e.g. {} on node {} during '{}': {}", f.id(), f.node(),
                f.phase(), f.error()));
        // A provision whose store write had an unknown outcome, or whose undo could not delete its record (the store
        // refused while the ensemble elected), left the vNIC in doubt on its node, by design: the node's repair
        // resolves it, as an operator would run it after the outage, before the records are checked.
        // A write whose answer was lost may reach a node's replica only after a while, and one node's in-doubt
        // vNIC is another's unexpected port until it is resolved: every node repairs, in rounds, until all are clean.
        Await.until("every node repaired after the outage", Await.LONG, () -> {
            boolean clean = true;
            for (int n = 0; n < nodeCount; n++) {
                DriftReport report = nodes.get(n).driftReport();
                if (!report.isClean()) {
                    clean = false;
                    LOG.info("node {} after the outage: {}; repair: {}", n, report.toText(),
                            nodes.get(n).repair(report));
                }
            }
            return clean;
        });

        // No vNIC was acknowledged twice (by two threads or two nodes).
        assertThat(acknowledgedInOrder).doesNotHaveDuplicates();
        assertThat(failed).extracting(Failed::id).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(acknowledged.keySet());

        // A fresh client on the ensemble reads every acknowledged vNIC back, attached, with its MAC.
        ZooKeeperStateStore fresh = ZooKeeperStateStore.builder().connectString(ensemble.connectString())
                .namespace(namespace).build();
        stores.add(fresh);
        Map<VnicId, StoredVnics.Stored> records = StoredVnics.read(fresh);
        for (Map.Entry<VnicId, MacAddress> vnic : acknowledged.entrySet()) {
            StoredVnics.Stored record = records.get(vnic.getKey());
            assertThat(record).as("record of acknowledged " + vnic.getKey()).isNotNull();
            assertThat(record.attached()).as(vnic.getKey() + " attached").isTrue();
            assertThat(record.mac()).as(vnic.getKey() + "'s MAC").contains(vnic.getValue());
        }
        // A failed provision left no record, or a record whose port exists: a write whose outcome was unknown (the
        // connection dropped while it was in flight) left the vNIC in doubt, and the repair above resolved it from
        // what the store holds.
        List<String> recordsWithoutPort = new ArrayList<>();
        for (Failed failure : failed) {
            StoredVnics.Stored record = records.get(failure.id());
            EmbeddedBackend backend = nodeBackends.get(failure.node());
            if (record != null && backend.device().port(backend.handleOf(failure.id())).isEmpty()) {
                recordsWithoutPort.add(failure.id() + " (" + record + ", failed during '" + failure.phase()
                        + "': " + failure.error() + ")");
            }
        }
        assertThat(recordsWithoutPort).as("records of failed provisions without their port").isEmpty();
        // No MAC is held by two vNIC records.
        Map<MacAddress, List<VnicId>> byMac = records.values().stream().filter(r -> r.mac().isPresent())
                .collect(Collectors.groupingBy(r -> r.mac().orElseThrow(),
                        Collectors.mapping(StoredVnics.Stored::id, Collectors.toList())));
        assertThat(byMac.entrySet()).as("MACs held by more than one vNIC record")
                .filteredOn(e -> e.getValue().size() > 1).isEmpty();
        // No vNIC has two ports on the host the nodes share.
        Map<VnicId, Long> portsPerVnic = device.ports().values().stream()
                .collect(Collectors.groupingBy(EmbeddedDevice.Port::owner, Collectors.counting()));
        assertThat(portsPerVnic.entrySet()).as("vNICs with more than one port")
                .filteredOn(e -> e.getValue() > 1).isEmpty();
        // Every acknowledged vNIC has its port on the node that provisioned it.
        acknowledgedBy.forEach((id, node) -> assertThat(nodeBackends.get(node).device()
                .port(nodeBackends.get(node).handleOf(id))).as("port of acknowledged " + id).isPresent());
        // The shared pool counts every acknowledged MAC as allocated.
        SharedAddressPool<MacAddress> view = SharedAddressPool.macs(fresh, "iov/pools/mac/", FIRST, LAST,
                ChunkSelection.PER_NODE);
        assertThat(acknowledged.values()).allMatch(view::isAllocated);
    }

    /** Waits until {@code more} provisions beyond those acknowledged so far are acknowledged. */
    private static void awaitProgress(Map<VnicId, MacAddress> acknowledged, int more, String when,
            Ensemble ensemble) throws InterruptedException {
        int target = acknowledged.size() + more;
        Await.until(more + " more provisions acknowledged " + when, Ensemble.SETTLE,
                () -> acknowledged.size() >= target, () -> acknowledged.size() + " acknowledged; "
                        + ensemble.describe());
    }
}
