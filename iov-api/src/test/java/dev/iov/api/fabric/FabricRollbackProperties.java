package dev.iov.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.pool.MacPool;
import dev.iov.api.pool.PoolExhaustedException;
import dev.iov.api.store.InMemoryStateStore;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The orchestrator's central promise: a call that fails leaves pools, store and backends exactly as before it. For
 * random sequences of provision / release / migrate, every operation is first run with a failure injected at its
 * 1st fault point (pool, backend or store call), then its 2nd, and so on until it runs through; after every failed
 * attempt the whole world must equal its state before the attempt.
 */
class FabricRollbackProperties {
    private static final Network[] NETWORKS = {TestFabrics.TENANT_A, TestFabrics.TENANT_B, TestFabrics.STORAGE};
    private static final HostId[] HOSTS = {TestFabrics.H1.id(), TestFabrics.H2.id(), TestFabrics.H3.id()};

    sealed interface Op {
    }

    record Provision(int vnic, int host, int network, int maxRateMbps, int minRateMbps, boolean fixedAddress)
            implements Op {
    }

    record Release(int vnic) implements Op {
    }

    record Migrate(int vnic, int host) implements Op {
    }

    /** Everything a failed call must leave untouched. */
    record World(Map<String, String> store, Map<String, Map<String, EmbeddedDevice.Port>> ports, Set<MacAddress> macs,
            Set<Guid> guids, List<Vnic> vnics, OversubscriptionReport load) {
    }

    private final class Harness {
        final Faults faults = new Faults();
        final InMemoryStateStore memory = new InMemoryStateStore();
        final FaultyStore store = new FaultyStore(memory, faults);
        final FaultyPool<MacAddress> macs = new FaultyPool<>(
                MacPool.ofRange(MacAddress.parse("02:00:00:00:00:01"), MacAddress.parse("02:00:00:00:00:08")), faults);
        final FaultyPool<Guid> guids = new FaultyPool<>(
                GuidPool.ofRange(Guid.parse("0x0000000000000001"), Guid.parse("0x0000000000000004")), faults);
        final FaultyBackend vs1 = FaultyBackend.vswitch("h1-vs", faults);
        final FaultyBackend vf2 = new FaultyBackend("h2-vf", BackendKind.SRIOV_VF, faults);
        final FaultyBackend vs2 = FaultyBackend.vswitch("h2-vs", faults);
        final FaultyBackend vs3 = FaultyBackend.vswitch("h3-vs", faults);
        final FaultyBackend ib3 = new FaultyBackend("h3-ib", BackendKind.IB_VF, faults);
        final List<FaultyBackend> backends = List.of(vs1, vf2, vs2, vs3, ib3);
        final Fabric fabric = Fabric.builder().store(store).macPool(macs).guidPool(guids)
                .host(TestFabrics.H1, vs1).host(TestFabrics.H2, vf2, vs2).host(TestFabrics.H3, vs3, ib3).build();

        final OversubscriptionReport h0load;

        Harness() {
            for (Network network : NETWORKS) {
                fabric.defineNetwork(network);
            }
            h0load = fabric.oversubscriptionReport();
        }

        World world() {
            Map<String, String> records = new TreeMap<>();
            memory.list("").forEach((k, v) -> records.put(k, HexFormat.of().formatHex(v.value())));
            Map<String, Map<String, EmbeddedDevice.Port>> allPorts = new LinkedHashMap<>();
            backends.forEach(b -> allPorts.put(b.id(), b.ports()));
            return new World(records, allPorts, macs.snapshot(), guids.snapshot(), fabric.vnics(),
                    fabric.oversubscriptionReport());
        }

        void run(Op op) {
            if (op instanceof Provision p) {
                Network network = NETWORKS[p.network()];
                VnicSpec.Builder spec = VnicSpec.builder("vnic" + p.vnic(), "vm" + p.vnic(),
                        network.id().value());
                if (p.maxRateMbps() > 0) {
                    spec.maxRate(Bandwidth.ofMbps(p.maxRateMbps()));
                }
                if (p.minRateMbps() > 0 && (p.maxRateMbps() == 0 || p.minRateMbps() <= p.maxRateMbps())) {
                    spec.minRate(Bandwidth.ofMbps(p.minRateMbps()));
                }
                if (p.fixedAddress()) {
                    if (network.kind().uplinkKind() == dev.iov.api.model.UplinkKind.ETHERNET) {
                        spec.mac(MacAddress.of(0x0200_0000_0000L + 1 + p.vnic() % 8));
                    } else {
                        spec.guid(Guid.of(1 + p.vnic() % 4));
                    }
                }
                fabric.provision(HOSTS[p.host()], spec.build());
            } else if (op instanceof Release r) {
                fabric.release(VnicId.of("vnic" + r.vnic()));
            } else if (op instanceof Migrate m) {
                fabric.migrate(VnicId.of("vnic" + m.vnic()), HOSTS[m.host()]);
            }
        }

        /** With faults off, everything can be released, and then nothing is left anywhere. */
        void releaseAllAndCheckEmpty() {
            OversubscriptionReport before = h0load;
            for (Vnic vnic : fabric.vnics()) {
                fabric.release(vnic.id());
            }
            assertThat(fabric.vnics()).isEmpty();
            backends.forEach(b -> assertThat(b.ports()).as("ports of %s", b.id()).isEmpty());
            assertThat(memory.list("iov/vnics/")).isEmpty();
            assertThat(macs.snapshot()).isEmpty();
            assertThat(guids.snapshot()).isEmpty();
            assertThat(fabric.oversubscriptionReport()).isEqualTo(before);
        }

        /** The invariants that hold between operations, whatever happened before. */
        void checkConsistent() {
            List<Vnic> vnics = fabric.vnics();
            Map<String, EmbeddedDevice.Port> allPorts = new TreeMap<>();
            backends.forEach(b -> allPorts.putAll(b.ports()));
            assertThat(allPorts).hasSameSizeAs(vnics);
            for (Vnic vnic : vnics) {
                EmbeddedDevice.Port port = allPorts.get(vnic.attachment().handle());
                assertThat(port).as("port of %s", vnic.id()).isNotNull();
                assertThat(port.owner()).isEqualTo(vnic.id());
                assertThat(memory.get("iov/vnics/" + vnic.id())).isPresent();
            }
            assertThat(memory.list("iov/vnics/")).hasSameSizeAs(vnics);
            assertThat(macs.snapshot()).containsExactlyInAnyOrderElementsOf(
                    vnics.stream().flatMap(v -> v.addresses().mac().stream()).toList());
            assertThat(guids.snapshot()).containsExactlyInAnyOrderElementsOf(
                    vnics.stream().flatMap(v -> v.addresses().guid().stream()).toList());
        }
    }

    @Property(tries = 150, edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
    void aFailureAtAnyStepLeavesTheWorldAsItWas(@ForAll("operations") @Size(min = 1, max = 25) List<Op> ops) {
        Harness h = new Harness();
        for (Op op : ops) {
            for (int k = 1; k <= 30; k++) {
                World before = h.world();
                h.faults.armAt(k);
                try {
                    h.run(op);
                    h.faults.disarm();
                    if (h.faults.fired() != null) {
                        // Only a migration may succeed through a fault: once its record names the target the VM
                        // has moved, and a failed clean-up of the source is left to repair, never rolled back.
                        assertThat(op).as("%s succeeded although %s failed", op, h.faults.fired())
                                .isInstanceOf(Migrate.class);
                        Migrate m = (Migrate) op;
                        assertThat(h.fabric.vnic(VnicId.of("vnic" + m.vnic())).orElseThrow().host())
                                .isEqualTo(HOSTS[m.host()]);
                        h.fabric.repair(h.fabric.driftReport());
                        assertThat(h.fabric.driftReport().drifts()).isEmpty();
                    }
                    break;
                } catch (RuntimeException e) {
                    h.faults.disarm();
                    assertThat(h.world()).as("world after %s failed with '%s'", op, e.getMessage())
                            .isEqualTo(before);
                    if (h.faults.fired() == null) {
                        // The operation failed on its own: only the refusals a caller can cause are acceptable.
                        assertThat(e).isInstanceOfAny(AdmissionException.class, PoolExhaustedException.class,
                                IllegalArgumentException.class);
                        break;
                    }
                }
            }
            h.checkConsistent();
        }
        h.releaseAllAndCheckEmpty();
        // A fabric rebuilt from the store sees the same vNICs and charges the same uplinks.
        Fabric reloaded = Fabric.builder().store(h.memory).nodeId("observer")
                .macPool(MacPool.ofRange(MacAddress.parse("02:00:00:00:00:01"), MacAddress.parse("02:00:00:00:00:08")))
                .guidPool(GuidPool.ofRange(Guid.parse("0x0000000000000001"), Guid.parse("0x0000000000000004")))
                .host(TestFabrics.H1, h.vs1).host(TestFabrics.H2, h.vf2, h.vs2).host(TestFabrics.H3, h.vs3, h.ib3)
                .build();
        assertThat(reloaded.vnics()).isEqualTo(h.fabric.vnics());
        assertThat(reloaded.oversubscriptionReport()).isEqualTo(h.fabric.oversubscriptionReport());
        assertThat(reloaded.driftReport().isClean()).isTrue();
    }

    /**
     * When an undo fails too (a second fault a few steps after the first), the fabric cannot restore the world, but it
     * must stay coherent: what it holds in memory is what its store says, and drift repair finishes or undoes the
     * interrupted operation and removes whatever was left behind.
     */
    @Property(tries = 300, edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
    void whenAnUndoFailsTooTheFabricFollowsItsStoreAndRepairCleansUp(
            @ForAll("operations") @Size(min = 3, max = 15) List<Op> setup,
            @ForAll("operations") @Size(min = 1, max = 4) List<Op> faulted,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 4) int firstFault,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 2) int undoFaultDistance) {
        Harness h = new Harness();
        for (Op op : setup) {
            try {
                h.run(op);
            } catch (AdmissionException | PoolExhaustedException | IllegalArgumentException e) {
                // a refusal; the next operation goes on from the same world
            }
        }
        for (Op op : faulted) {
            h.faults.armAt(firstFault, firstFault + undoFaultDistance);
            try {
                h.run(op);
            } catch (RuntimeException e) {
                // expected often; coherence is checked below
            } finally {
                h.faults.disarm();
            }
            // Another node's view of the store: it must not resolve this node's interrupted operations.
            Fabric reloaded = Fabric.builder().store(h.memory).nodeId("observer")
                    .macPool(MacPool.ofRange(MacAddress.parse("02:00:00:00:00:01"),
                            MacAddress.parse("02:00:00:00:00:08")))
                    .guidPool(GuidPool.ofRange(Guid.parse("0x0000000000000001"), Guid.parse("0x0000000000000004")))
                    .host(TestFabrics.H1, h.vs1).host(TestFabrics.H2, h.vf2, h.vs2)
                    .host(TestFabrics.H3, h.vs3, h.ib3).build();
            assertThat(reloaded.vnics()).as("memory equals store after %s", op).isEqualTo(h.fabric.vnics());
            assertThat(reloaded.oversubscriptionReport()).isEqualTo(h.fabric.oversubscriptionReport());
        }
        h.fabric.repair(h.fabric.driftReport());
        assertThat(h.fabric.driftReport().drifts()).isEmpty();
        h.checkConsistent();
        h.releaseAllAndCheckEmpty();
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> vnic = Arbitraries.integers().between(0, 9);
        Arbitrary<Integer> host = Arbitraries.integers().between(0, 2);
        Arbitrary<Op> provision = Combinators.combine(vnic, host, Arbitraries.integers().between(0, 2),
                        Arbitraries.of(0, 100, 1000, 4000), Arbitraries.of(0, 50, 500, 3000),
                        Arbitraries.of(false, true))
                .as(Provision::new);
        Arbitrary<Op> release = vnic.map(Release::new);
        Arbitrary<Op> migrate = Combinators.combine(vnic, host).as(Migrate::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, provision), net.jqwik.api.Tuple.of(2, release),
                net.jqwik.api.Tuple.of(3, migrate)).list();
    }
}
