package dev.iov.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.event.FabricEvent;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.store.InMemoryStateStore;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What an embedding product sees across a fabric's life: restarts over the same hosts (new backend instances over
 * the same devices), close, hosts coming and going, live updates, counters that follow the vNIC.
 */
class FabricLifecycleTest {
    private static final HostId H1 = TestFabrics.H1.id();
    private static final HostId H2 = TestFabrics.H2.id();

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final EmbeddedDevice d1 = new EmbeddedDevice();
    private final EmbeddedDevice d2 = new EmbeddedDevice();
    private final List<FabricEvent> events = new CopyOnWriteArrayList<>();
    private EmbeddedBackend vs1;
    private EmbeddedBackend vs2;

    /** A manager process: new backend instances over the hosts' devices, on the shared store. */
    private Fabric start() {
        vs1 = new EmbeddedBackend("h1-vs", BackendKind.VSWITCH_PORT, EnumSet.allOf(Capability.class), d1);
        vs2 = new EmbeddedBackend("h2-vs", BackendKind.VSWITCH_PORT, EnumSet.allOf(Capability.class), d2);
        return Fabric.builder().store(store).listener(events::add)
                .host(TestFabrics.H1, vs1).host(TestFabrics.H2, vs2).build();
    }

    private Fabric startWithNetworks() {
        Fabric fabric = start();
        fabric.defineNetwork(TestFabrics.TENANT_A);
        fabric.defineNetwork(TestFabrics.TENANT_B);
        return fabric;
    }

    private static VnicSpec spec(String id, String network) {
        return VnicSpec.builder(id, "vm-" + id, network).build();
    }

    @Test
    void afterARestartNoRecordedHandleIsReusedAndAReleaseTouchesOnlyItsOwnPort() {
        Fabric before = startWithNetworks();
        Vnic a = before.provision(H1, spec("a", "tenant-a"));
        Vnic b = before.provision(H1, spec("b", "tenant-a"));
        before.close();

        Fabric after = start();
        assertThat(after.recoveryReport().adopted()).isEqualTo(2);
        assertThat(after.recoveryReport().isClean()).isTrue();
        Vnic c = after.provision(H1, spec("c", "tenant-a"));
        assertThat(c.attachment().handle()).isNotIn(a.attachment().handle(), b.attachment().handle());
        assertThat(c.addresses().mac()).isNotIn(a.addresses().mac(), b.addresses().mac());

        after.release(a.id());
        assertThat(d1.ports()).containsOnlyKeys(b.attachment().handle(), c.attachment().handle());
        assertThat(after.driftReport().isClean()).isTrue();
    }

    @Test
    void aPortGoneDuringTheRestartIsReportedMissingAndRepairMakesItAgain() {
        Fabric before = startWithNetworks();
        Vnic a = before.provision(H1, spec("a", "tenant-a"));
        before.close();
        d1.removePort(a.attachment().handle());
        events.clear();

        Fabric after = start();
        assertThat(after.recoveryReport().missing()).singleElement()
                .satisfies(d -> assertThat(d.vnic()).contains(a.id()))
                .satisfies(d -> assertThat(d.kind()).isEqualTo(Drift.Kind.MISSING));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(FabricEvent.DriftFound.class));
        after.repair(after.driftReport());
        assertThat(d1.ports()).containsKey(a.attachment().handle());
        assertThat(after.driftReport().isClean()).isTrue();
    }

    @Test
    void aClosedFabricRefusesEveryCallAndClosesTwiceQuietly() {
        Fabric fabric = startWithNetworks();
        fabric.close();
        fabric.close();
        assertThatThrownBy(() -> fabric.provision(H1, spec("a", "tenant-a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(fabric::vnics).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(fabric::driftReport).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> fabric.release(VnicId.of("a"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHostWithoutUplinksOrBackendsIsRefusedByName() {
        Fabric fabric = start();
        assertThatThrownBy(() -> fabric.addHost(Host.of("bare"), EmbeddedBackend.of("bare-vs",
                BackendKind.VSWITCH_PORT))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bare'").hasMessageContaining("no uplinks");
        Host lonely = Host.of("lonely", Uplink.ethernet("eth0", Bandwidth.ofGbps(10), BackendKind.VSWITCH_PORT));
        assertThatThrownBy(() -> fabric.addHost(lonely)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lonely'").hasMessageContaining("no backends");
        assertThatThrownBy(() -> Fabric.builder().store(new InMemoryStateStore()).host(lonely).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lonely'");
        assertThat(fabric.hosts()).extracting(Host::id).containsExactly(H1, H2);
    }

    @Test
    void aHostIsRemovedOnlyWhenNoVnicLivesThere() {
        Fabric fabric = startWithNetworks();
        Vnic a = fabric.provision(H2, spec("a", "tenant-a"));
        assertThatThrownBy(() -> fabric.removeHost(H2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 vNIC(s) live there");
        fabric.migrate(a.id(), H1);
        fabric.removeHost(H2);
        assertThat(fabric.hosts()).extracting(Host::id).containsExactly(H1);
        assertThatThrownBy(() -> fabric.provision(H2, spec("b", "tenant-a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown host 'h2'");
    }

    @Test
    void vnicsAreFoundByHostAndByNetwork() {
        Fabric fabric = startWithNetworks();
        Vnic a = fabric.provision(H1, spec("a", "tenant-a"));
        Vnic b = fabric.provision(H2, spec("b", "tenant-a"));
        Vnic c = fabric.provision(H1, VnicSpec.builder("c", "vm-c", "tenant-b").maxRate(Bandwidth.ofGbps(1)).build());
        assertThat(fabric.vnics(H1)).containsExactly(a, c);
        assertThat(fabric.vnics(NetworkId.of("tenant-a"))).containsExactly(a, b);
        assertThat(fabric.vnics(NetworkId.of("nowhere"))).isEmpty();
    }

    @Test
    void admissionNamesOnlyWhatMattersOnThatHost() {
        Fabric fabric = startWithNetworks();
        VnicSpec tooFast = VnicSpec.builder("a", "vm-a", "tenant-b").minRate(Bandwidth.ofGbps(20)).build();
        assertThatThrownBy(() -> fabric.provision(H1, tooFast)).isInstanceOf(AdmissionException.class)
                .hasMessageContaining("guarantees").hasMessageNotContaining("SRIOV_VF")
                .hasMessageNotContaining("IB_VF");
    }

    @Test
    void anUpdateChangesTheLivePortTheRecordAndTheUplinkCharge() {
        Fabric fabric = startWithNetworks();
        Vnic a = fabric.provision(H1, spec("a", "tenant-b"));
        VnicSpec faster = VnicSpec.builder("a", "vm-a", "tenant-b").maxRate(Bandwidth.ofMbps(300))
                .minRate(Bandwidth.ofMbps(100)).build();

        Vnic updated = fabric.update(a.id(), faster);

        assertThat(updated.spec()).isEqualTo(faster);
        assertThat(updated.addresses()).isEqualTo(a.addresses());
        assertThat(d1.port(a.attachment().handle()).orElseThrow().maxRate()).isEqualTo(Bandwidth.ofMbps(300));
        assertThat(fabric.oversubscriptionReport().toText()).contains("100");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(FabricEvent.VnicUpdated.class));
        fabric.close();
        assertThat(start().vnic(a.id()).orElseThrow().spec()).isEqualTo(faster);
    }

    @Test
    void anUpdateTheUplinkCannotTakeOrThatNeedsANewVnicChangesNothing() {
        Fabric fabric = startWithNetworks();
        Vnic a = fabric.provision(H1, spec("a", "tenant-b"));
        OversubscriptionReport load = fabric.oversubscriptionReport();

        assertThatThrownBy(() -> fabric.update(a.id(), VnicSpec.builder("a", "vm-a", "tenant-b")
                .minRate(Bandwidth.ofGbps(20)).build())).isInstanceOf(AdmissionException.class);
        assertThatThrownBy(() -> fabric.update(a.id(), spec("a", "tenant-a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("release it and provision");
        assertThatThrownBy(() -> fabric.update(a.id(), VnicSpec.builder("a", "vm-a", "tenant-b")
                .mac(dev.iov.api.net.MacAddress.parse("02:69:6f:00:99:99")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot change");
        assertThatThrownBy(() -> fabric.update(a.id(), spec("b", "tenant-b")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(fabric.vnic(a.id())).contains(a);
        assertThat(fabric.oversubscriptionReport()).isEqualTo(load);
        assertThat(fabric.driftReport().isClean()).isTrue();
    }

    @Test
    void countersNeverDecreaseAcrossTwoMigrationsAndARestart() {
        Fabric fabric = startWithNetworks();
        Vnic a = fabric.provision(H1, spec("a", "tenant-a"));
        VnicStats burst = new VnicStats(10, 1000, 0, 0, 20, 3000, 0, 0);
        VnicStats last = VnicStats.ZERO;

        deviceOf(a).addTraffic(a.attachment().handle(), burst);
        last = checkGrew(fabric, a.id(), last);
        a = fabric.migrate(a.id(), H2);
        last = checkGrew(fabric, a.id(), last);
        deviceOf(a).addTraffic(a.attachment().handle(), burst);
        last = checkGrew(fabric, a.id(), last);
        a = fabric.migrate(a.id(), H1);
        last = checkGrew(fabric, a.id(), last);
        fabric.close();
        Fabric restarted = start();
        last = checkGrew(restarted, a.id(), last);
        deviceOf(a).addTraffic(a.attachment().handle(), burst);
        last = checkGrew(restarted, a.id(), last);

        assertThat(last).isEqualTo(burst.plus(burst).plus(burst));
    }

    private EmbeddedDevice deviceOf(Vnic vnic) {
        return vnic.host().equals(H1) ? d1 : d2;
    }

    private static VnicStats checkGrew(Fabric fabric, VnicId id, VnicStats before) {
        VnicStats now = fabric.stats(id);
        assertThat(now.rxPackets()).isGreaterThanOrEqualTo(before.rxPackets());
        assertThat(now.rxBytes()).isGreaterThanOrEqualTo(before.rxBytes());
        assertThat(now.txPackets()).isGreaterThanOrEqualTo(before.txPackets());
        assertThat(now.txBytes()).isGreaterThanOrEqualTo(before.txBytes());
        return now;
    }

    @Test
    void anInterruptedReleaseKeepsTheVnicBusyUntilRepairFinishesIt() {
        Faults faults = new Faults();
        FaultyStore faulty = new FaultyStore(store, faults);
        FaultyBackend backend = new FaultyBackend("h1-vs", BackendKind.VSWITCH_PORT, faults, d1);
        Fabric fabric = Fabric.builder().store(faulty).host(TestFabrics.H1, backend).build();
        fabric.defineNetwork(TestFabrics.TENANT_A);
        Vnic a = fabric.provision(H1, spec("a", "tenant-a"));

        // intent written (1), port detached (2), record delete fails (3), re-attach fails too (4)
        faults.armAt(3, 4);
        assertThatThrownBy(() -> fabric.release(a.id())).isInstanceOf(RuntimeException.class);
        faults.disarm();

        assertThatThrownBy(() -> fabric.release(a.id())).isInstanceOf(VnicBusyException.class)
                .hasMessageContaining("repair");
        DriftReport drift = fabric.driftReport();
        assertThat(drift.drifts()).singleElement().satisfies(d -> assertThat(d.kind())
                .isEqualTo(Drift.Kind.INTERRUPTED));
        assertThat(fabric.repair(drift)).singleElement().asString().contains("finished");
        assertThat(fabric.vnics()).isEmpty();
        assertThat(d1.ports()).isEmpty();
        assertThat(store.list("iov/vnics/")).isEmpty();
        assertThat(fabric.driftReport().isClean()).isTrue();
    }
}
