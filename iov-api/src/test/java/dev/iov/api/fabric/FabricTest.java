package dev.iov.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.event.FabricEvent;
import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressInUseException;
import dev.iov.api.pool.MacPool;
import dev.iov.api.pool.PoolExhaustedException;
import dev.iov.api.store.InMemoryStateStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FabricTest {
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final FaultyBackend vs1 = FaultyBackend.vswitch("h1-vs", null);
    private final FaultyBackend vf2 = new FaultyBackend("h2-vf", BackendKind.SRIOV_VF, null);
    private final FaultyBackend vs2 = FaultyBackend.vswitch("h2-vs", null);
    private final FaultyBackend vs3 = FaultyBackend.vswitch("h3-vs", null);
    private final FaultyBackend ib3 = new FaultyBackend("h3-ib", BackendKind.IB_VF, null);
    private final List<FabricEvent> events = new CopyOnWriteArrayList<>();
    private Fabric fabric;

    @BeforeEach
    void setUp() {
        fabric = newFabric(OversubscriptionPolicy.reject());
        fabric.defineNetwork(TestFabrics.TENANT_A);
        fabric.defineNetwork(TestFabrics.TENANT_B);
        fabric.defineNetwork(TestFabrics.STORAGE);
    }

    private Fabric newFabric(OversubscriptionPolicy policy) {
        return Fabric.builder().store(store).oversubscription(policy).listener(events::add)
                .host(TestFabrics.H1, vs1).host(TestFabrics.H2, vf2, vs2).host(TestFabrics.H3, vs3, ib3).build();
    }

    private static VnicSpec.Builder spec(String id, String network) {
        return VnicSpec.builder(id, "vm-" + id, network);
    }

    @Test
    void provisionAttachesRecordsAndAnnounces() {
        Vnic vnic = fabric.provision("h1", spec("web-1", "tenant-a").build());

        assertThat(vnic.host()).isEqualTo(HostId.of("h1"));
        assertThat(vnic.backendKind()).isEqualTo(BackendKind.VSWITCH_PORT);
        assertThat(vnic.addresses().mac()).hasValueSatisfying(mac -> {
            assertThat(mac.isLocallyAdministered()).isTrue();
            assertThat(mac.isUnicast()).isTrue();
        });
        EmbeddedDevice.Port port = vs1.ports().get(vnic.attachment().handle());
        assertThat(port.owner()).isEqualTo(VnicId.of("web-1"));
        assertThat(port.segment()).isEqualTo(10);
        assertThat(port.maxRate()).as("network default max rate").isEqualTo(Bandwidth.ofGbps(2));
        assertThat(store.get("iov/vnics/web-1")).isPresent();
        assertThat(events).singleElement().isInstanceOf(FabricEvent.VnicProvisioned.class);
    }

    @Test
    void provisionPrefersTheSpecsBackendOrder() {
        Vnic vf = fabric.provision("h2", spec("db-1", "tenant-b").maxRate(Bandwidth.ofGbps(5))
                .backends(BackendKind.SRIOV_VF).build());
        Vnic port = fabric.provision("h2", spec("db-2", "tenant-b").maxRate(Bandwidth.ofGbps(5))
                .backends(BackendKind.VSWITCH_PORT).build());

        assertThat(vf.attachment().backendId()).isEqualTo("h2-vf");
        assertThat(port.attachment().backendId()).isEqualTo("h2-vs");
    }

    @Test
    void infinibandVnicsGetAGuidAndThePartition() {
        Vnic vnic = fabric.provision("h3", spec("mpi-1", "storage").build());

        assertThat(vnic.backendKind()).isEqualTo(BackendKind.IB_VF);
        assertThat(vnic.addresses().guid()).hasValueSatisfying(g -> assertThat(g.isZero()).isFalse());
        assertThat(vnic.addresses().mac()).isEmpty();
        assertThat(ib3.ports().get(vnic.attachment().handle()).segment()).isEqualTo(0x10);
    }

    @Test
    void badInputNamesTheValueAndChangesNothing() {
        assertThatThrownBy(() -> fabric.provision("h9", spec("x", "tenant-a").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'h9'");
        assertThatThrownBy(() -> fabric.provision("h1", spec("x", "tenant-z").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tenant-z'")
                .hasMessageContaining("tenant-a");
        assertThatThrownBy(() -> fabric.provision("h1", spec("x", "tenant-a")
                .mac(MacAddress.parse("00:11:22:33:44:55")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("00:11:22:33:44:55");
        assertThatThrownBy(() -> fabric.provision("h3", spec("x", "storage")
                .mac(MacAddress.parse("02:69:6f:00:00:01")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IB_PARTITION");

        assertThat(fabric.vnics()).isEmpty();
        assertThat(store.list("iov/vnics/")).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void ratesAreCheckedAgainstTheNetworkAndTheLink() {
        assertThatThrownBy(() -> fabric.provision("h1", spec("x", "tenant-a").minRate(Bandwidth.ofGbps(3)).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3Gbit/s")
                .hasMessageContaining("2Gbit/s");
        assertThatThrownBy(() -> spec("x", "tenant-a").maxRate(Bandwidth.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max rate 0");
        assertThatThrownBy(() -> fabric.provision("h1", spec("x", "tenant-b").minRate(Bandwidth.ofGbps(20)).build()))
                .as("a guarantee above the link speed is refused, not shrunk")
                .isInstanceOf(AdmissionException.class).hasMessageContaining("guarantees would reach 20Gbit/s");
        assertThatThrownBy(() -> fabric.provision("h1", spec("x", "tenant-b").backends(BackendKind.IB_VF).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[IB_VF]")
                .hasMessageContaining("VLAN");
        assertThat(fabric.vnics()).isEmpty();
    }

    @Test
    void aFixedMacCannotBeTakenTwice() {
        MacAddress mac = fabric.provision("h1", spec("a", "tenant-a").build()).addresses().mac().orElseThrow();

        assertThatThrownBy(() -> fabric.provision("h2", spec("b", "tenant-a").mac(mac).build()))
                .isInstanceOf(AddressInUseException.class).hasMessageContaining(mac.toString());
        assertThat(vs2.ports()).isEmpty();
        assertThat(vf2.ports()).isEmpty();
    }

    @Test
    void aDuplicateVnicIdIsRefused() {
        fabric.provision("h1", spec("a", "tenant-a").build());

        assertThatThrownBy(() -> fabric.provision("h2", spec("a", "tenant-b").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' already exists");
    }

    @Test
    void admissionRefusesWhatTheUplinkCannotCarry() {
        // h3's vswitch uplink is 1G; tenant-b has no default limit, so an unlimited vNIC takes the whole link.
        fabric.provision("h3", spec("a", "tenant-b").build());

        assertThatThrownBy(() -> fabric.provision("h3", spec("b", "tenant-b").maxRate(Bandwidth.ofMbps(100)).build()))
                .isInstanceOfSatisfying(AdmissionException.class, e -> assertThat(e.reasons())
                        .anySatisfy(r -> assertThat(r).contains("eth0").contains("1.1Gbit/s")));
        assertThat(vs3.ports()).hasSize(1);
    }

    @Test
    void guaranteesNeverExceedTheLinkUnderAnEnforcingPolicy() {
        fabric = newFabricWithNetworks(OversubscriptionPolicy.allowUpTo(100));
        fabric.provision("h3", spec("a", "tenant-b").minRate(Bandwidth.ofMbps(600)).build());

        assertThatThrownBy(() -> fabric.provision("h3", spec("b", "tenant-b").minRate(Bandwidth.ofMbps(600)).build()))
                .isInstanceOf(AdmissionException.class).hasMessageContaining("guarantees");
    }

    @Test
    void aRatioPolicyAdmitsUpToTheRatio() {
        fabric = newFabricWithNetworks(OversubscriptionPolicy.allowUpTo(2.0));
        fabric.provision("h3", spec("a", "tenant-b").build());
        fabric.provision("h3", spec("b", "tenant-b").build());

        assertThatThrownBy(() -> fabric.provision("h3", spec("c", "tenant-b").maxRate(Bandwidth.ofMbps(1)).build()))
                .isInstanceOf(AdmissionException.class).hasMessageContaining("2.00x");
        UplinkLoad h3 = fabric.oversubscriptionReport().uplinks().stream()
                .filter(u -> u.host().equals(HostId.of("h3")) && u.uplink().equals("eth0")).findFirst().orElseThrow();
        assertThat(h3.status()).isEqualTo(UplinkLoad.Status.OVERSUBSCRIBED);
        assertThat(h3.limitRatio()).isEqualTo(2.0);
    }

    @Test
    void aWarningPolicyAdmitsEverythingAndReportsIt() {
        fabric = newFabricWithNetworks(OversubscriptionPolicy.warn());
        for (int i = 0; i < 50; i++) {
            fabric.provision("h3", spec("vm" + i, "tenant-b").build());
        }

        OversubscriptionReport report = fabric.oversubscriptionReport();
        assertThat(report.problems()).singleElement().satisfies(u -> {
            assertThat(u.vnics()).isEqualTo(50);
            assertThat(u.limitRatio()).isEqualTo(50.0);
            assertThat(u.status()).isEqualTo(UplinkLoad.Status.OVER_POLICY);
        });
        assertThat(report.toText()).contains("h3").contains("50.00x").contains("OVER_POLICY");
    }

    @Test
    void backendsAreOnlyAskedForWhatTheyDeclare() {
        FaultyBackend plain = new FaultyBackend("h4-vs", BackendKind.VSWITCH_PORT, null, Capability.VLAN);
        fabric.addHost(Host.of("h4", Uplink.ethernet("eth0", Bandwidth.ofGbps(10), BackendKind.VSWITCH_PORT)),
                plain);

        assertThatThrownBy(() -> fabric.provision("h4", spec("a", "tenant-b").build()))
                .isInstanceOf(AdmissionException.class).hasMessageContaining("SPOOF_CHECK");
        Vnic vnic = fabric.provision("h4", spec("a", "tenant-b").spoofCheck(false).build());
        assertThat(vnic.attachment().backendId()).isEqualTo("h4-vs");
    }

    @Test
    void releaseUndoesProvision() {
        OversubscriptionReport empty = fabric.oversubscriptionReport();
        Vnic vnic = fabric.provision("h1", spec("a", "tenant-a").build());

        assertThat(fabric.release(VnicId.of("a"))).isTrue();

        assertThat(vs1.ports()).isEmpty();
        assertThat(store.list("iov/vnics/")).isEmpty();
        assertThat(fabric.oversubscriptionReport()).isEqualTo(empty);
        assertThat(events).last().isInstanceOf(FabricEvent.VnicReleased.class);
        // the MAC is free again: asking for it explicitly works
        fabric.provision("h1", spec("b", "tenant-a").mac(vnic.addresses().mac().orElseThrow()).build());
        assertThat(fabric.release(VnicId.of("a"))).as("release is idempotent").isFalse();
    }

    @Test
    void migrationKeepsAddressesAndNetworkAndMovesTheCharge() {
        Vnic before = fabric.provision("h1", spec("a", "tenant-a").build());

        Vnic after = fabric.migrate(VnicId.of("a"), HostId.of("h2"));

        assertThat(after.host()).isEqualTo(HostId.of("h2"));
        assertThat(after.addresses()).isEqualTo(before.addresses());
        assertThat(vs1.ports()).isEmpty();
        assertThat(vs2.ports()).containsKey(after.attachment().handle());
        assertThat(vs2.ports().get(after.attachment().handle()).segment()).isEqualTo(10);
        assertThat(fabric.vnic(VnicId.of("a"))).contains(after);
        assertThat(load("h1").vnics()).isZero();
        assertThat(load("h2").vnics()).isOne();
        assertThat(events).last().isInstanceOfSatisfying(FabricEvent.VnicMigrated.class,
                e -> assertThat(e.from()).isEqualTo(before));
    }

    @Test
    void migrationFallsBackOnlyToKindsTheSpecAccepts() {
        fabric.provision("h2", spec("strict", "tenant-a").backends(BackendKind.SRIOV_VF).build());
        fabric.provision("h2", spec("flexible", "tenant-a")
                .backends(BackendKind.SRIOV_VF, BackendKind.VSWITCH_PORT).build());

        assertThatThrownBy(() -> fabric.planMigration(VnicId.of("strict"), HostId.of("h1")))
                .isInstanceOf(AdmissionException.class).hasMessageContaining("SRIOV_VF cannot live-migrate")
                .hasMessageContaining("declares no kind that can live-migrate");
        MigrationPlan plan = fabric.planMigration(VnicId.of("flexible"), HostId.of("h1"));
        assertThat(plan.fallback()).isTrue();
        assertThat(plan.kind()).isEqualTo(BackendKind.VSWITCH_PORT);
        assertThat(plan.reason()).contains("SRIOV_VF cannot live-migrate").contains("declared fallback");
    }

    @Test
    void aVfNeverLiveMigratesAsAVfEvenWhenTheTargetHasVfs() {
        Fabric twoVfHosts = Fabric.builder().store(new InMemoryStateStore())
                .host(Host.of("a", Uplink.ethernet("eth0", Bandwidth.ofGbps(10), BackendKind.SRIOV_VF,
                        BackendKind.VSWITCH_PORT)), new FaultyBackend("a-vf", BackendKind.SRIOV_VF, null),
                        FaultyBackend.vswitch("a-vs", null))
                .host(Host.of("b", Uplink.ethernet("eth0", Bandwidth.ofGbps(10), BackendKind.SRIOV_VF,
                        BackendKind.VSWITCH_PORT)), new FaultyBackend("b-vf", BackendKind.SRIOV_VF, null),
                        FaultyBackend.vswitch("b-vs", null))
                .build();
        twoVfHosts.defineNetwork(Network.vlan("tenant-a", VlanId.of(10)));
        Vnic vf = twoVfHosts.provision("a", spec("db-1", "tenant-a").maxRate(Bandwidth.ofGbps(1))
                .backends(BackendKind.SRIOV_VF, BackendKind.VSWITCH_PORT).build());
        assertThat(vf.backendKind()).isEqualTo(BackendKind.SRIOV_VF);

        MigrationPlan plan = twoVfHosts.planMigration(vf.id(), HostId.of("b"));
        Vnic moved = twoVfHosts.migrate(vf.id(), HostId.of("b"));

        assertThat(plan.kind()).isEqualTo(BackendKind.VSWITCH_PORT);
        assertThat(plan.backendId()).isEqualTo("b-vs");
        assertThat(moved.backendKind()).isEqualTo(BackendKind.VSWITCH_PORT);
        assertThat(moved.addresses()).isEqualTo(vf.addresses());
        Vnic port = twoVfHosts.provision("a", spec("web-1", "tenant-a").maxRate(Bandwidth.ofGbps(1))
                .backends(BackendKind.VSWITCH_PORT).build());
        assertThat(twoVfHosts.planMigration(port.id(), HostId.of("b")).reason()).contains("same kind");
    }

    @Test
    void migrationRefusesATargetWithoutTheNetworksUplinkKind() {
        fabric.provision("h3", spec("mpi", "storage").build());

        assertThatThrownBy(() -> fabric.migrate(VnicId.of("mpi"), HostId.of("h1")))
                .isInstanceOf(AdmissionException.class).hasMessageContaining("h1");
        assertThat(fabric.vnic(VnicId.of("mpi")).orElseThrow().host()).isEqualTo(HostId.of("h3"));
    }

    @Test
    void driftIsFoundAndRepaired() {
        Vnic a = fabric.provision("h1", spec("a", "tenant-a").build());
        Vnic b = fabric.provision("h1", spec("b", "tenant-b").maxRate(Bandwidth.ofGbps(1)).build());
        assertThat(fabric.driftReport().isClean()).isTrue();

        vs1.device().tamper(a.attachment().handle(), p -> p.withSegment(99));
        vs1.device().removePort(b.attachment().handle());
        vs1.device().addPort("h1-vs/leaked", new EmbeddedDevice.Port(VnicId.of("gone"), Optional.empty(), Optional.empty(), 10,
                Bandwidth.ZERO));
        vs1.device().addPort("h1-vs/not-ours", new EmbeddedDevice.Port(null, Optional.empty(), Optional.empty(), 10,
                Bandwidth.ZERO));

        DriftReport report = fabric.driftReport();
        assertThat(report.drifts()).extracting(Drift::kind).containsExactlyInAnyOrder(
                Drift.Kind.MISMATCH, Drift.Kind.MISSING, Drift.Kind.UNEXPECTED);
        assertThat(report.toText()).contains("VLAN segment 99 on the port, 10 declared");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(FabricEvent.DriftFound.class));

        List<String> actions = fabric.repair(report);

        assertThat(actions).hasSize(3);
        assertThat(fabric.driftReport().isClean()).isTrue();
        assertThat(vs1.ports()).containsKey("h1-vs/not-ours");
        Vnic repairedB = fabric.vnic(VnicId.of("b")).orElseThrow();
        assertThat(newFabricWithoutState().vnic(VnicId.of("b"))).as("repaired attachment is stored")
                .contains(repairedB);
    }

    @Test
    void anUnreachableBackendIsReportedNotThrown() {
        vs2.setUnreachable(true);

        DriftReport report = fabric.driftReport();

        assertThat(report.drifts()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Drift.Kind.UNREACHABLE);
            assertThat(d.detail()).contains("does not answer");
        });
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(FabricEvent.BackendFailed.class));
    }

    @Test
    void aRestartedFabricRecoversNetworksVnicsAndAddresses() {
        Vnic a = fabric.provision("h1", spec("a", "tenant-a").build());
        Vnic g = fabric.provision("h3", spec("g", "storage").guid(Guid.of(0x0269_6f00_0000_0042L)).build());

        Fabric restarted = newFabricWithoutState();

        assertThat(restarted.networks()).hasSize(3);
        assertThat(restarted.vnics()).containsExactly(a, g);
        assertThat(restarted.oversubscriptionReport()).isEqualTo(fabric.oversubscriptionReport());
        assertThatThrownBy(() -> restarted.provision("h2", spec("b", "tenant-a")
                .mac(a.addresses().mac().orElseThrow()).build())).isInstanceOf(AddressInUseException.class);
        assertThat(restarted.provision("h2", spec("c", "tenant-a").build()).addresses().mac())
                .isNotEqualTo(a.addresses().mac());
    }

    @Test
    void networksAreDeclaredOnceWithUniqueSegments() {
        assertThat(fabric.defineNetwork(TestFabrics.TENANT_A)).isEqualTo(TestFabrics.TENANT_A);
        assertThatThrownBy(() -> fabric.defineNetwork(TestFabrics.TENANT_A.withMtu(9000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already defined");
        assertThatThrownBy(() -> fabric.defineNetwork(dev.iov.api.model.Network.vlan("other", VlanId.of(10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant-a");

        var created = fabric.createNetwork(NetworkId.of("auto"), NetworkKind.VLAN);
        assertThat(created.segment()).isNotIn(10, 20);
        fabric.provision("h1", spec("a", "auto").build());
        assertThatThrownBy(() -> fabric.removeNetwork(NetworkId.of("auto")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 vNIC");
        fabric.release(VnicId.of("a"));
        assertThat(fabric.removeNetwork(NetworkId.of("auto"))).isTrue();
        assertThat(store.get("iov/networks/auto")).isEmpty();
    }

    @Test
    void anExhaustedMacPoolIsAClearErrorAndLeavesNoPort() {
        fabric = Fabric.builder().store(new InMemoryStateStore())
                .macPool(MacPool.ofRange(MacAddress.parse("02:00:00:00:00:01"), MacAddress.parse("02:00:00:00:00:01")))
                .host(TestFabrics.H1, vs1).build();
        fabric.defineNetwork(TestFabrics.TENANT_A);
        fabric.provision("h1", spec("a", "tenant-a").build());

        assertThatThrownBy(() -> fabric.provision("h1", spec("b", "tenant-a").build()))
                .isInstanceOf(PoolExhaustedException.class).hasMessageContaining("MAC pool");
        assertThat(vs1.ports()).hasSize(1);
    }

    @Test
    void statsComeFromTheBackend() {
        fabric.provision("h1", spec("a", "tenant-a").build());

        assertThat(fabric.stats(VnicId.of("a"))).isEqualTo(dev.iov.api.model.VnicStats.ZERO);
        vs1.device().removePort(fabric.vnic(VnicId.of("a")).orElseThrow().attachment().handle());
        assertThatThrownBy(() -> fabric.stats(VnicId.of("a"))).isInstanceOf(dev.iov.api.spi.BackendException.class)
                .hasMessageContaining("no port");
        assertThatThrownBy(() -> fabric.stats(VnicId.of("nope"))).isInstanceOf(IllegalArgumentException.class);
    }

    private Fabric newFabricWithNetworks(OversubscriptionPolicy policy) {
        Fabric f = Fabric.builder().store(new InMemoryStateStore()).oversubscription(policy)
                .host(TestFabrics.H1, FaultyBackend.vswitch("n-h1", null))
                .host(TestFabrics.H3, FaultyBackend.vswitch("n-h3", null)).build();
        f.defineNetwork(TestFabrics.TENANT_B);
        return f;
    }

    private Fabric newFabricWithoutState() {
        return Fabric.builder().store(store).listener(events::add)
                .host(TestFabrics.H1, vs1).host(TestFabrics.H2, vf2, vs2).host(TestFabrics.H3, vs3, ib3).build();
    }

    private UplinkLoad load(String host) {
        return fabric.oversubscriptionReport().uplinks().stream().filter(u -> u.host().equals(HostId.of(host)))
                .findFirst().orElseThrow();
    }
}
