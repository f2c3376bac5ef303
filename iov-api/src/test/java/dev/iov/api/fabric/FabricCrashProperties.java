package dev.iov.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.pool.MacPool;
import dev.iov.api.store.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A manager that dies at any step of any operation (from step k on, every store write and backend call of the dead
 * process fails, so none of its undos happens) and is restarted on the same store and the same hosts (new backend
 * instances over the same devices): the new fabric re-adopts every port, resolves the interrupted operation, and
 * ends with no orphaned port, no port or address with two owners, every vNIC that was acknowledged still there, and
 * a clean drift report.
 */
class FabricCrashProperties {
    private static final Network[] NETWORKS = {TestFabrics.TENANT_A, TestFabrics.TENANT_B, TestFabrics.STORAGE};
    private static final HostId[] HOSTS = {TestFabrics.H1.id(), TestFabrics.H2.id(), TestFabrics.H3.id()};

    record Op(int kind, int vnic, int host, int network) {
        String describe() {
            return switch (kind) {
                case 0 -> "provision vnic" + vnic + " on " + HOSTS[host] + " into " + NETWORKS[network].id();
                case 1 -> "release vnic" + vnic;
                default -> "migrate vnic" + vnic + " to " + HOSTS[host];
            };
        }
    }

    /** The hosts' devices: what survives the manager. New for every try (jqwik shares one instance). */
    private EmbeddedDevice d1;
    private EmbeddedDevice d2vf;
    private EmbeddedDevice d2vs;
    private EmbeddedDevice d3vs;
    private EmbeddedDevice d3ib;

    private Fabric start(InMemoryStateStore store, Faults faults, FaultyPool<MacAddress> macs,
            FaultyPool<Guid> guids) {
        return Fabric.builder().store(new FaultyStore(store, faults)).macPool(macs).guidPool(guids)
                .host(TestFabrics.H1, new FaultyBackend("h1-vs", BackendKind.VSWITCH_PORT, faults, d1))
                .host(TestFabrics.H2, new FaultyBackend("h2-vf", BackendKind.SRIOV_VF, faults, d2vf),
                        new FaultyBackend("h2-vs", BackendKind.VSWITCH_PORT, faults, d2vs))
                .host(TestFabrics.H3, new FaultyBackend("h3-vs", BackendKind.VSWITCH_PORT, faults, d3vs),
                        new FaultyBackend("h3-ib", BackendKind.IB_VF, faults, d3ib))
                .build();
    }

    private static FaultyPool<MacAddress> macs() {
        return new FaultyPool<>(MacPool.ofRange(MacAddress.parse("02:00:00:00:00:01"),
                MacAddress.parse("02:00:00:00:00:08")), new Faults());
    }

    private static FaultyPool<Guid> guids() {
        return new FaultyPool<>(GuidPool.ofRange(Guid.parse("0x0000000000000001"), Guid.parse("0x0000000000000004")),
                new Faults());
    }

    private static void run(Fabric fabric, Op op) {
        VnicId id = VnicId.of("vnic" + op.vnic());
        switch (op.kind()) {
            case 0 -> fabric.provision(HOSTS[op.host()], VnicSpec.builder(id.value(), "vm" + op.vnic(),
                    NETWORKS[op.network()].id().value()).build());
            case 1 -> fabric.release(id);
            default -> fabric.migrate(id, HOSTS[op.host()]);
        }
    }

    @Property(tries = 200, edgeCases = net.jqwik.api.EdgeCasesMode.MIXIN)
    void aManagerKilledAtAnyStepIsRecoveredWithoutOrphansOrTwoOwners(
            @ForAll("operations") @Size(min = 2, max = 12) List<Op> setup, @ForAll("operation") Op last,
            @ForAll @IntRange(min = 1, max = 8) int crashAt) {
        d1 = new EmbeddedDevice();
        d2vf = new EmbeddedDevice();
        d2vs = new EmbeddedDevice();
        d3vs = new EmbeddedDevice();
        d3ib = new EmbeddedDevice();
        InMemoryStateStore store = new InMemoryStateStore();
        Faults faults = new Faults();
        Fabric first = start(store, faults, macs(), guids());
        for (Network network : NETWORKS) {
            first.defineNetwork(network);
        }
        for (Op op : setup) {
            try {
                run(first, op);
            } catch (AdmissionException | IllegalArgumentException | dev.iov.api.pool.PoolExhaustedException e) {
                // a refusal; go on
            }
        }
        Map<VnicId, Vnic> acknowledged = new TreeMap<>();
        first.vnics().forEach(v -> acknowledged.put(v.id(), v));
        // The kill: from step crashAt of the last operation on, nothing the dead process does reaches anything.
        faults.armAt(IntStream.rangeClosed(crashAt, crashAt + 100).toArray());
        try {
            run(first, last);
        } catch (RuntimeException e) {
            // the process "died" (or refused); whatever it did not undo is the restart's to find
        }
        faults.disarm();

        FaultyPool<MacAddress> macs = macs();
        FaultyPool<Guid> guids = guids();
        Fabric second = start(store, new Faults(), macs, guids);

        RecoveryReport recovery = second.recoveryReport();
        assertThat(recovery.unresolved()).as("after %s killed at step %d", last.describe(), crashAt).isEmpty();
        assertThat(recovery.missing()).isEmpty();
        VnicId subject = VnicId.of("vnic" + last.vnic());
        for (Vnic before : acknowledged.values()) {
            Optional<Vnic> after = second.vnic(before.id());
            if (before.id().equals(subject)) {
                continue; // the interrupted operation either happened or not; checked by consistency below
            }
            assertThat(after).as("acknowledged %s", before.id()).contains(before);
        }
        assertThat(second.driftReport().drifts()).as("drift after %s killed at step %d: %s", last.describe(),
                crashAt, recovery).isEmpty();
        checkOneOwnerEach(second, macs, guids);

        for (Vnic vnic : second.vnics()) {
            second.release(vnic.id());
        }
        assertThat(allPorts()).isEmpty();
        assertThat(store.list("iov/vnics/")).isEmpty();
        assertThat(macs.snapshot()).isEmpty();
        assertThat(guids.snapshot()).isEmpty();
    }

    /** Every port belongs to exactly one recorded vNIC and every recorded vNIC has its port and its address. */
    private void checkOneOwnerEach(Fabric fabric, FaultyPool<MacAddress> macs, FaultyPool<Guid> guids) {
        Map<String, EmbeddedDevice.Port> ports = allPorts();
        List<Vnic> vnics = fabric.vnics();
        assertThat(ports).hasSameSizeAs(vnics);
        List<String> handles = new ArrayList<>();
        for (Vnic vnic : vnics) {
            handles.add(vnic.attachment().backendId() + " " + vnic.attachment().handle());
            EmbeddedDevice.Port port = ports.get(vnic.attachment().backendId() + " " + vnic.attachment().handle());
            assertThat(port).as("port of %s", vnic.id()).isNotNull();
            assertThat(port.owner()).isEqualTo(vnic.id());
        }
        assertThat(handles).doesNotHaveDuplicates();
        assertThat(macs.snapshot()).containsExactlyInAnyOrderElementsOf(
                vnics.stream().flatMap(v -> v.addresses().mac().stream()).toList());
        assertThat(guids.snapshot()).containsExactlyInAnyOrderElementsOf(
                vnics.stream().flatMap(v -> v.addresses().guid().stream()).toList());
    }

    private Map<String, EmbeddedDevice.Port> allPorts() {
        Map<String, EmbeddedDevice.Port> all = new TreeMap<>();
        Map.of("h1-vs", d1, "h2-vf", d2vf, "h2-vs", d2vs, "h3-vs", d3vs, "h3-ib", d3ib)
                .forEach((backend, device) -> device.ports().forEach((h, p) -> all.put(backend + " " + h, p)));
        return all;
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        return operation().list();
    }

    @Provide
    Arbitrary<Op> operation() {
        return Combinators.combine(Arbitraries.frequency(net.jqwik.api.Tuple.of(5, 0), net.jqwik.api.Tuple.of(2, 1),
                        net.jqwik.api.Tuple.of(3, 2)), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2)).as(Op::new);
    }
}
