package dev.iov.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.event.FabricEvent;
import dev.iov.api.fabric.AdmissionException;
import dev.iov.api.fabric.Drift;
import dev.iov.api.fabric.DriftReport;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.fabric.UplinkLoad;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several management nodes, each a {@link Fabric} with its own store client, on one shared store: what the issue of
 * running one fabric from many nodes asks. Every store that can be shared runs it (in-memory in one JVM, ZooKeeper
 * on an in-process ensemble and on real server processes). The hosts are shared too: each node's backend of a host
 * works on the same {@link EmbeddedDevice}, as two managers would reach the same switch.
 */
public abstract class ClusterFabricSuite {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFabricSuite.class);
    private static final Network TENANT = Network.vlan("tenant", VlanId.of(10));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Map<String, EmbeddedDevice> devices = new ConcurrentHashMap<>();
    private final List<Fabric> fabrics = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeLast = new CopyOnWriteArrayList<>();

    /**
     * @param node the node's id
     * @return a store client of that node on the shared state (a fresh namespace per test); the subclass closes it
     */
    protected abstract StateStore storeFor(String node);

    /**
     * @param node the node's id
     * @param store its store
     * @return its membership; the subclass closes it
     */
    protected abstract Membership join(String node, StateStore store);

    /**
     * Ends a node's membership as a crash would: the other nodes see it gone. Its fabric is not closed; whether its
     * store still works (a node paused, then back) or not (a node whose client died) is the implementation's.
     *
     * @param node the node
     */
    protected abstract void kill(String node);

    /**
     * Closes something after the test's fabrics are closed (stores, memberships).
     *
     * @param closeable what to close
     */
    protected final void closeAfterFabrics(AutoCloseable closeable) {
        closeLast.add(closeable);
    }

    /**
     * @param store a node's store
     * @return a MAC pool whose allocations every node shares
     */
    protected abstract AddressPool<MacAddress> sharedMacs(StateStore store);

    @BeforeEach
    final void clearDevices() {
        devices.clear();
    }

    @AfterEach
    final void closeFabrics() throws Exception {
        for (Fabric fabric : fabrics) {
            fabric.close();
        }
        for (AutoCloseable closeable : closeLast) {
            closeable.close();
        }
    }

    /** A node: its store, membership (when asked), shared MACs, and its backends on the shared hosts. */
    private final class Node {
        final String id;
        final StateStore store;
        final List<FabricEvent> events = new CopyOnWriteArrayList<>();
        final Map<VnicId, Instant> seen = new ConcurrentHashMap<>();
        final Map<String, StallingBackend> stalls = new ConcurrentHashMap<>();
        Fabric fabric;

        Node(String id) {
            this.id = id;
            this.store = storeFor(id);
        }

        /** Starts the node's fabric; the backends of the hosts in {@code stalled} stall their first attach. */
        Node start(boolean member, Clock clock, Set<Host> stalled, Host... hosts) {
            var builder = Fabric.builder().store(store).nodeId(id).macPool(sharedMacs(store))
                    .oversubscription(OversubscriptionPolicy.reject()).clock(clock).listener(event -> {
                        events.add(event);
                        if (event instanceof FabricEvent.VnicProvisioned p) {
                            seen.put(p.vnic().id(), Instant.now());
                        }
                    });
            if (member) {
                Membership membership = join(id, store);
                builder.membership(membership);
            }
            for (Host host : hosts) {
                EmbeddedBackend backend = new EmbeddedBackend(host.id() + "-vs", BackendKind.VSWITCH_PORT,
                        EnumSet.allOf(Capability.class), devices.computeIfAbsent(host.id().value(),
                                h -> new EmbeddedDevice()));
                if (stalled.contains(host)) {
                    StallingBackend stall = new StallingBackend(backend);
                    stalls.put(host.id().value(), stall);
                    builder.host(host, stall);
                } else {
                    builder.host(host, backend);
                }
            }
            fabric = builder.build();
            fabrics.add(fabric);
            return this;
        }

        Node start(boolean member, Host... hosts) {
            return start(member, Clock.systemUTC(), Set.of(), hosts);
        }
    }

    private static Host host(String id, Bandwidth speed) {
        return Host.of(id, Uplink.ethernet("eth0", speed, BackendKind.VSWITCH_PORT));
    }

    /** A vNIC limited to 100 Mbit/s, so that admission lets many onto one uplink. */
    private static VnicSpec.Builder spec(String id) {
        return VnicSpec.builder(id, "vm-" + id, "tenant").maxRate(Bandwidth.ofMbps(100));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void aNodeSeesAnotherNodesVnicsAndEventsMarkedWithThatNode() throws Exception {
        Host h1 = host("h1", Bandwidth.ofGbps(100));
        Host h2 = host("h2", Bandwidth.ofGbps(100));
        Node a = new Node("node-a").start(false, h1, h2);
        Node b = new Node("node-b").start(false, h1, h2);
        a.fabric.defineNetwork(TENANT);
        await("B knows the network A defined", () -> b.fabric.network(TENANT.id()).isPresent());

        List<Long> lagsMicros = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Vnic vnic = a.fabric.provision("h1", spec("v" + i).build());
            Instant acknowledged = Instant.now();
            await("B sees " + vnic.id(), () -> b.seen.containsKey(vnic.id()));
            lagsMicros.add(Math.max(0, Duration.between(acknowledged, b.seen.get(vnic.id())).toNanos() / 1000));
        }
        Collections.sort(lagsMicros);
        LOG.info("{}: lag from A's provision returning to B's event over 40: p50 {} us, max {} us",
                getClass().getSimpleName(), lagsMicros.get(20), lagsMicros.get(39));
        assertThat(b.fabric.vnics()).hasSize(40);
        assertThat(b.events).filteredOn(FabricEvent.VnicProvisioned.class::isInstance).hasSize(40)
                .allMatch(e -> e.node().equals("node-a"));
        assertThat(a.events).filteredOn(FabricEvent.VnicProvisioned.class::isInstance)
                .allMatch(e -> e.node().equals("node-a"));

        a.fabric.migrate(VnicId.of("v0"), h2.id());
        await("B sees v0 moved", () -> b.fabric.vnic(VnicId.of("v0")).map(v -> v.host().equals(h2.id()))
                .orElse(false));
        assertThat(b.events).filteredOn(FabricEvent.VnicMigrated.class::isInstance).singleElement()
                .matches(e -> e.node().equals("node-a"));

        a.fabric.update(VnicId.of("v1"), spec("v1").maxRate(Bandwidth.ofGbps(1)).build());
        await("B sees v1 updated", () -> b.events.stream().anyMatch(FabricEvent.VnicUpdated.class::isInstance));

        assertThat(a.fabric.release(VnicId.of("v2"))).isTrue();
        await("B sees v2 released", () -> b.fabric.vnic(VnicId.of("v2")).isEmpty());
        assertThat(b.events).filteredOn(FabricEvent.VnicReleased.class::isInstance).singleElement()
                .matches(e -> e.node().equals("node-a"));
        assertThat(b.fabric.oversubscriptionReport().uplinks().stream().mapToInt(UplinkLoad::vnics).sum())
                .as("B charges A's vNICs to the shared hosts' uplinks").isEqualTo(39);

        // A vNIC id another node holds is refused on this one.
        assertThatThrownBy(() -> b.fabric.provision("h1", spec("v3").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v3");
    }

    @Test
    void segmentsAreUniqueAcrossNodesThatEachChooseFromTheirOwnPool() throws Exception {
        Host h1 = host("h1", Bandwidth.ofGbps(100));
        Node a = new Node("node-a").start(false, h1);
        Node b = new Node("node-b").start(false, h1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Network>>> made = new ArrayList<>();
            for (Node node : List.of(a, b)) {
                made.add(threads.submit(() -> {
                    List<Network> mine = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        mine.add(node.fabric.createNetwork(NetworkId.of(node.id + "-net" + i), NetworkKind.VLAN));
                    }
                    return mine;
                }));
            }
            Set<Integer> segments = new HashSet<>();
            for (Future<List<Network>> future : made) {
                future.get(60, TimeUnit.SECONDS).forEach(n -> assertThat(segments.add(n.segment()))
                        .as("VLAN %d given twice", n.segment()).isTrue());
            }
            assertThat(segments).hasSize(40);
        } finally {
            threads.shutdownNow();
        }
        await("each node knows all 40 networks", () -> a.fabric.networks().size() == 40
                && b.fabric.networks().size() == 40);
        int taken = a.fabric.networks().get(0).segment();
        assertThatThrownBy(() -> b.fabric.defineNetwork(Network.vlan("again", VlanId.of(taken))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(taken));
    }

    @Test
    void nodesRacingForOneUplinkUnderRejectNeverExceedIt() throws Exception {
        Host h1 = host("h1", Bandwidth.ofGbps(10));
        List<Node> nodes = new ArrayList<>();
        for (String id : List.of("node-a", "node-b", "node-c")) {
            nodes.add(new Node(id).start(true, h1));
        }
        nodes.get(0).fabric.defineNetwork(TENANT);
        for (Node node : nodes) {
            await(node.id + " knows the network", () -> node.fabric.network(TENANT.id()).isPresent());
        }
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                Node node = nodes.get(t % nodes.size());
                int thread = t;
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 2; i++) {
                        try {
                            node.fabric.provision("h1", spec("r" + thread + "-" + i).maxRate(Bandwidth.ofGbps(1))
                                    .build());
                            admitted.incrementAndGet();
                        } catch (AdmissionException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(admitted).as("1 Gbit/s limits on a 10 Gbit/s uplink under reject").hasValue(10);
        assertThat(refused).hasValue(14);
        for (Node node : nodes) {
            await(node.id + " counts the 10 vNICs on the uplink", () -> node.fabric.oversubscriptionReport()
                    .uplinks().get(0).vnics() == 10);
            assertThat(node.fabric.oversubscriptionReport().uplinks().get(0).status())
                    .isNotEqualTo(UplinkLoad.Status.OVER_POLICY);
        }
        // A release anywhere makes room everywhere.
        Vnic any = nodes.get(0).fabric.vnics().get(0);
        Node holder = nodes.stream().filter(n -> n.fabric.vnic(any.id()).isPresent()).findFirst().orElseThrow();
        assertThat(holder.fabric.release(any.id())).isTrue();
        nodes.get(2).fabric.provision("h1", spec("after").maxRate(Bandwidth.ofGbps(1)).build());
        assertThatThrownBy(() -> nodes.get(1).fabric.provision("h1", spec("over").maxRate(Bandwidth.ofGbps(1))
                .build())).isInstanceOf(AdmissionException.class);
    }

    @Test
    void aSurvivorUndoesTheProvisionOfANodeThatDiedMidOperation() throws Exception {
        Host h1 = host("h1", Bandwidth.ofGbps(100));
        MutableClock clock = new MutableClock();
        Node a = new Node("node-a").start(true, Clock.systemUTC(), Set.of(h1), h1);
        Node b = new Node("node-b").start(true, clock, Set.of(), h1);
        a.fabric.defineNetwork(TENANT);
        await("B knows the network", () -> b.fabric.network(TENANT.id()).isPresent());
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread provision = new Thread(() -> {
            try {
                a.fabric.provision("h1", spec("doomed").build());
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        provision.start();
        StallingBackend inA = a.stalls.get("h1");
        assertThat(inA.awaitStalled(20)).as("A stalls in the attach, its intent written").isTrue();
        String key = "iov/vnics/doomed";
        await("B's store has A's intent", () -> b.store.get(key).isPresent());

        Instant killed = Instant.now();
        kill("node-a");
        await("a survivor undoes A's provision", () -> b.store.get(key).isEmpty()
                && b.fabric.driftReport().drifts().stream().noneMatch(d -> d.kind() == Drift.Kind.INTERRUPTED));
        LOG.info("{}: A's interrupted provision undone {} ms after A's membership ended",
                getClass().getSimpleName(), Duration.between(killed, Instant.now()).toMillis());

        // A wakes up (it was paused, not dead): its record is taken, its provision fails. A port it made after it
        // was given up is no record's: the survivor's repair removes it once the grace window has passed.
        inA.resume();
        provision.join(20_000);
        assertThat(outcome.get()).as("A's provision fails: its record was taken over").isNotNull();
        assertThat(b.store.get(key)).isEmpty();
        b.fabric.repair(b.fabric.driftReport());
        clock.advance(Duration.ofSeconds(11));
        b.fabric.repair(b.fabric.driftReport());
        assertThat(devices.get("h1").ports()).as("no port is left on the host").isEmpty();
        Vnic again = b.fabric.provision("h1", spec("doomed").build());
        assertThat(again.host()).isEqualTo(h1.id());
    }

    @Test
    void aNodeStartingWhileAnotherIsMidOperationFollowsThatOperationToItsEnd() throws Exception {
        Host h1 = host("h1", Bandwidth.ofGbps(100));
        Node a = new Node("node-a").start(true, Clock.systemUTC(), Set.of(h1), h1);
        a.fabric.defineNetwork(TENANT);
        Thread provision = new Thread(() -> a.fabric.provision("h1", spec("late").build()));
        provision.start();
        assertThat(a.stalls.get("h1").awaitStalled(20)).isTrue();
        await("A's intent is in the store", () -> a.store.get("iov/vnics/late").isPresent());

        Node b = new Node("node-b").start(true, h1);
        assertThat(b.fabric.recoveryReport().unresolved()).as("A's operation is A's, not B's to wait for")
                .isEmpty();
        a.stalls.get("h1").resume();
        provision.join(20_000);
        await("B sees the vNIC A finished", () -> b.seen.containsKey(VnicId.of("late")));
        assertThat(b.fabric.driftReport().drifts()).as("nothing interrupted or missing on B").isEmpty();
    }

    @Test
    void repairOnOneNodeNeverRemovesAnotherNodesFreshPorts() throws Exception {
        Host h1 = host("h1", Bandwidth.ofGbps(100));
        MutableClock clock = new MutableClock();
        Node a = new Node("node-a").start(true, h1);
        Node b = new Node("node-b").start(true, clock, Set.of(), h1);
        a.fabric.defineNetwork(TENANT);
        await("B knows the network", () -> b.fabric.network(TENANT.id()).isPresent());
        Thread provisioner = new Thread(() -> {
            for (int i = 0; i < 30; i++) {
                a.fabric.provision("h1", spec("p" + i).build());
            }
        });
        provisioner.start();
        List<String> actions = new ArrayList<>();
        while (provisioner.isAlive()) {
            actions.addAll(b.fabric.repair(b.fabric.driftReport()));
        }
        provisioner.join();
        assertThat(devices.get("h1").ports()).as("every port A made is still there").hasSize(30);
        assertThat(actions).noneMatch(action -> action.startsWith("removed"));

        await("B knows A's 30 vNICs", () -> b.fabric.vnics().size() == 30);

        // A port iov made that no record declares, and that is no operation's: gone after the grace window.
        devices.get("h1").addPort("stray", new EmbeddedDevice.Port(VnicId.of("stray"), Optional.of(
                MacAddress.parse("02:00:00:00:00:99")), Optional.empty(), 10, Bandwidth.ofGbps(1)));
        DriftReport first = b.fabric.driftReport();
        assertThat(b.fabric.repair(first)).singleElement().asString().contains("grace");
        assertThat(devices.get("h1").ports()).containsKey("stray");
        clock.advance(Duration.ofSeconds(11));
        assertThat(b.fabric.repair(b.fabric.driftReport())).singleElement().asString().startsWith("removed");
        assertThat(devices.get("h1").ports()).doesNotContainKey("stray").hasSize(30);
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
