package dev.iov.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.fabric.AdmissionException;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.fabric.VnicBusyException;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.MacPool;
import dev.iov.api.store.ForwardingStateStore;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionedValue;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Cluster admission over random interleavings: three management nodes provision and release on one 10 Gbit/s uplink
 * under the reject policy, and an operation may be cut in two by others: its decision is made, then other nodes'
 * whole operations run, then its transaction is committed (each node's store runs the next waiting operations of the
 * schedule just before it commits). Whatever the schedule, the uplink never carries more than its speed in limits,
 * and the shared sums equal the sums of the recorded vNICs.
 */
class ClusterAdmissionProperties {
    private static final Host HOST = Host.of("h1", Uplink.ethernet("eth0", Bandwidth.ofGbps(10),
            BackendKind.VSWITCH_PORT));
    private static final long SPEED = Bandwidth.ofGbps(10).bitsPerSecond();

    /** One step of a schedule: which node, what, and how many later steps run inside its commit. */
    record Step(int node, boolean provision, int rateGbps, int interlopers) {
    }

    @Provide
    Arbitrary<List<Step>> schedules() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers()
                .between(0, 3).map(n -> n > 0), Arbitraries.integers().between(1, 4), Arbitraries.integers()
                .between(0, 2)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 200)
    void theUplinkIsNeverOversubscribedWhateverTheInterleaving(@ForAll("schedules") @Size(max = 40) List<Step> steps) {
        try (InMemoryStateStore shared = new InMemoryStateStore("cluster")) {
            InMemoryCluster cluster = new InMemoryCluster();
            MacPool macs = MacPool.defaultPool();
            EmbeddedDevice device = new EmbeddedDevice();
            Deque<Runnable> waiting = new ArrayDeque<>();
            List<Fabric> nodes = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                Fabric fabric = Fabric.builder().store(new InterleavingStore(shared, waiting))
                        .membership(cluster.join("node-" + n)).macPool(macs)
                        .oversubscription(OversubscriptionPolicy.reject())
                        .host(HOST, new EmbeddedBackend("h1-vs", BackendKind.VSWITCH_PORT,
                                EnumSet.allOf(Capability.class), device)).build();
                nodes.add(fabric);
            }
            nodes.get(0).defineNetwork(Network.vlan("tenant", VlanId.of(10)));
            int[] ids = {0};
            Map<String, Long> limitOf = new HashMap<>();
            List<Runnable> operations = new ArrayList<>();
            for (Step step : steps) {
                Fabric fabric = nodes.get(step.node());
                operations.add(() -> {
                    try {
                        if (step.provision()) {
                            String id = "v" + ids[0]++;
                            limitOf.put("iov/vnics/" + id, Bandwidth.ofGbps(step.rateGbps()).bitsPerSecond());
                            fabric.provision("h1", VnicSpec.builder(id, "vm", "tenant")
                                    .maxRate(Bandwidth.ofGbps(step.rateGbps())).build());
                        } else {
                            fabric.vnics().stream().findFirst().map(Vnic::id).ifPresent(fabric::release);
                        }
                    } catch (AdmissionException | VnicBusyException | IllegalArgumentException | StoreException e) {
                        // Refused, busy with an operation this one interrupted, or taken by another node first: all fine.
                    }
                });
            }
            for (int i = 0; i < steps.size(); i++) {
                // The next steps' operations wait to run inside this one's commit.
                for (int j = 1; j <= steps.get(i).interlopers() && i + j < steps.size(); j++) {
                    waiting.add(operations.get(i + j));
                }
                int skip = (int) Math.min(steps.get(i).interlopers(), steps.size() - i - 1L);
                operations.get(i).run();
                while (!waiting.isEmpty()) {
                    waiting.poll().run();
                }
                i += skip;
                assertWithinSpeedAndConsistent(shared, limitOf);
            }
            nodes.forEach(Fabric::close);
        }
    }

    private static void assertWithinSpeedAndConsistent(StateStore store, Map<String, Long> limitOf) {
        long limits = 0;
        int vnics = 0;
        for (String key : store.list("iov/vnics/").keySet()) {
            // Every recorded vNIC, attached or being provisioned, is charged: its limit is its max rate.
            limits += limitOf.get(key);
            vnics++;
        }
        Optional<VersionedValue> ledger = store.get("iov/uplinks/h1/eth0");
        ByteBuffer sums = ByteBuffer.wrap(ledger.map(VersionedValue::value).orElse(new byte[20]));
        long guaranteed = sums.getLong();
        long limit = sums.getLong();
        int counted = sums.getInt();
        assertThat(guaranteed).isZero();
        assertThat(limit).as("limits on the uplink").isLessThanOrEqualTo(SPEED);
        assertThat(counted).as("vNICs the shared sums count").isEqualTo(vnics);
        assertThat(limit).as("the shared sums against the records").isEqualTo(limits);
        assertThat(limits).as("limits of the recorded vNICs").isLessThanOrEqualTo(SPEED);
    }

    /** A node's view of the shared store that runs the schedule's waiting operations just before it commits. */
    private static final class InterleavingStore extends ForwardingStateStore {
        private final Deque<Runnable> waiting;

        InterleavingStore(StateStore shared, Deque<Runnable> waiting) {
            super(shared);
            this.waiting = waiting;
        }

        @Override
        public List<Long> commit(List<? extends StoreOp> ops) {
            Runnable interloper = waiting.poll();
            if (interloper != null) {
                interloper.run();
            }
            return super.commit(ops);
        }

        @Override
        public void close() {
            // The shared store is closed by the property.
        }
    }
}
