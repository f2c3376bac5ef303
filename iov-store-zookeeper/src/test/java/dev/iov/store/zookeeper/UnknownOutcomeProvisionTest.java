package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.StoredVnics;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.store.ForwardingStateStore;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreOutcomeUnknownException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the server-loss test ({@link ZooKeeperClusterSuite}) finds on a ZooKeeper ensemble that loses its leader, made
 * deterministic on the in-memory store: the write of a new vNIC's record reaches the store, but the caller learns
 * only that its outcome is unknown (ZooKeeper's {@code CONNECTIONLOSS} while the write was in flight, which the
 * {@code StateStore} contract allows).
 */
class UnknownOutcomeProvisionTest {

    private static final Host HOST = Host.of("h1",
            Uplink.ethernet("eth0", Bandwidth.ofGbps(100), BackendKind.VSWITCH_PORT));
    private static final Network TENANT = Network.vlan("tenant-a", VlanId.of(10));

    @Test
    void aProvisionWhoseRecordWriteHasAnUnknownOutcomeKeepsItsMacUntilTheRecordIsResolved() {
        InMemoryStateStore memory = new InMemoryStateStore();
        StateStore store = new WrittenButUnknown(memory, "iov/vnics/a", true);
        MacAddress mac = MacAddress.parse("02:69:6f:00:12:34");
        try (Fabric fabric = Fabric.builder().store(store).nodeId("n1")
                .host(HOST, EmbeddedBackend.of("h1-vs", BackendKind.VSWITCH_PORT)).build()) {
            fabric.defineNetwork(TENANT);
            assertThatThrownBy(() -> fabric.provision("h1", VnicSpec.builder("a", "vm-a", "tenant-a").mac(mac)
                    .build())).isInstanceOf(StoreOutcomeUnknownException.class);
            // The write did happen: a's record, with its PROVISION intent and its MAC, is in the store.
            assertThat(StoredVnics.read(memory)).containsKey(VnicId.of("a"));

            // While that record holds the MAC, nobody else may get it (until repair or a restart resolves a).
            assertThatThrownBy(() -> fabric.provision("h1", VnicSpec.builder("b", "vm-b", "tenant-a").mac(mac)
                    .build())).isInstanceOf(IllegalArgumentException.class);
            assertThat(StoredVnics.read(memory).values()).filteredOn(r -> r.mac().equals(Optional.of(mac)))
                    .hasSize(1);
        }
    }

    @Test
    void aProvisionWhoseAttachedRecordWriteHasAnUnknownOutcomeIsRepairedToARecordWithItsPortOrNone() {
        InMemoryStateStore memory = new InMemoryStateStore();
        StateStore store = new WrittenButUnknown(memory, "iov/vnics/a", false);
        EmbeddedBackend backend = EmbeddedBackend.of("h1-vs", BackendKind.VSWITCH_PORT);
        VnicId a = VnicId.of("a");
        try (Fabric fabric = Fabric.builder().store(store).nodeId("n1").host(HOST, backend).build()) {
            fabric.defineNetwork(TENANT);
            assertThatThrownBy(() -> fabric.provision("h1", VnicSpec.builder("a", "vm-a", "tenant-a")
                    .maxRate(Bandwidth.ofGbps(1)).build()))
                    .isInstanceOf(StoreOutcomeUnknownException.class);
            fabric.repair(fabric.driftReport());

            boolean recordPresent = StoredVnics.read(memory).containsKey(a);
            boolean portPresent = backend.device().port(backend.handleOf(a)).isPresent();
            assertThat(recordPresent).as("a's record present (port present: %s)", portPresent)
                    .isEqualTo(portPresent);
            fabric.provision("h1", VnicSpec.builder("b", "vm-b", "tenant-a").maxRate(Bandwidth.ofGbps(1)).build());
            Map<Optional<MacAddress>, Long> macs = StoredVnics.read(memory).values().stream().collect(
                    Collectors.groupingBy(StoredVnics.Stored::mac, Collectors.counting()));
            assertThat(macs.values()).as("records per MAC").allMatch(count -> count == 1);
        }
    }

    /** Writes {@code key}'s first create (or first replace) through, then throws as when the answer was lost. */
    private static final class WrittenButUnknown extends ForwardingStateStore {
        private final String key;
        private final boolean create;
        private boolean failed;

        WrittenButUnknown(StateStore delegate, String key, boolean create) {
            super(delegate);
            this.key = key;
            this.create = create;
        }

        @Override
        public synchronized long put(String k, byte[] value, long expectedVersion) {
            long version = super.put(k, value, expectedVersion);
            if (k.equals(key) && (expectedVersion == StateStore.ABSENT) == create && !failed) {
                failed = true;
                throw new StoreOutcomeUnknownException("put of '" + k + "' failed; its outcome is unknown "
                        + "(CONNECTIONLOSS)", null);
            }
            return version;
        }
    }
}
