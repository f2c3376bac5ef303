package dev.iov.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.fabric.Drift;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.fabric.RecoveryReport;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.VlanPool;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.ethernet.switching.EmbeddedSwitch;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What the in-process lab backend does beyond {@link InProcessSwitchBackendContractTest}: a restart through the
 * {@link Fabric} (same process, same switch) after which frames still flow and counters are neither lost nor counted
 * twice; a new process (a new, empty switch), where every recorded port is missing with the reason and a repair makes
 * it again; and what is not the backend's to touch — the uplink, another backend's port, an adopted vNIC's MAC.
 * Frames are the lab's generated ones, addresses in 198.18.0.0/15.
 */
class InProcessSwitchBackendTest {

    private static final HostId H1 = HostId.of("h1");
    private static final NetworkId TENANT = NetworkId.of("tenant-a");
    private static final Network VLAN_101 = Network.vlan("tenant-a", VlanId.of(101));
    private static final int UPLINK = 0;

    private final Object lock = new Object();

    // ------------------------------------------------------------------------------------------ through the fabric

    @Test
    void aFabricRestartedInTheSameProcessAdoptsThePortsAndFramesAndCountersGoOn() {
        InMemoryStateStore store = new InMemoryStateStore("lab-test");
        InProcessSwitch sw = newSwitch();
        Fabric first = fabric(store, new InProcessSwitchBackend(H1, sw, 1, lock));
        first.createNetwork(TENANT, NetworkKind.VLAN);
        Vnic vm1 = first.provision(H1, spec("vm1"));
        Vnic vm2 = first.provision(H1, spec("vm2"));
        assertThat(pings(sw, vm1, vm2, 3)).isEqualTo(3);
        assertThat(first.stats(vm1.id()).txPackets()).isEqualTo(3);
        Map<Integer, String> before = ports(sw);
        first.close();
        assertThat(ports(sw)).as("closing leaves the ports").isEqualTo(before);

        InProcessSwitchBackend backend = new InProcessSwitchBackend(H1, sw, 1, lock);
        Fabric second = fabric(store, backend);

        RecoveryReport recovery = second.recoveryReport();
        assertThat(recovery.adopted()).isEqualTo(2);
        assertThat(recovery.missing()).isEmpty();
        assertThat(ports(sw)).as("restore changes nothing on the switch").isEqualTo(before);
        assertThat(second.driftReport().isClean()).as(second.driftReport().toString()).isTrue();
        assertThat(second.stats(vm1.id())).as("carried by the fabric, not counted again by the switch")
                .isEqualTo(stats(3));
        assertThat(pings(sw, vm1, vm2, 2)).as("frames flow through the adopted ports").isEqualTo(2);
        assertThat(second.stats(vm1.id())).isEqualTo(stats(5));
        assertThat(second.stats(vm2.id())).isEqualTo(stats(5));
        Vnic vm3 = second.provision(H1, spec("vm3"));
        assertThat(vm3.attachment().handle()).isNotIn(vm1.attachment().handle(), vm2.attachment().handle());
        assertThat(vm3.addresses().mac()).isNotIn(vm1.addresses().mac(), vm2.addresses().mac());
        second.close();
    }

    @Test
    void aNewProcessFindsNothingToAdoptSaysWhyAndARepairMakesThePortsAgain() {
        InMemoryStateStore store = new InMemoryStateStore("lab-test");
        Fabric first = fabric(store, new InProcessSwitchBackend(H1, newSwitch(), 1, lock));
        first.createNetwork(TENANT, NetworkKind.VLAN);
        Vnic vm1 = first.provision(H1, spec("vm1"));
        Vnic vm2 = first.provision(H1, spec("vm2"));
        first.close();

        InProcessSwitch fresh = newSwitch(); // what the plane of a new iov process starts with
        Fabric second = fabric(store, new InProcessSwitchBackend(H1, fresh, 1, lock));

        RecoveryReport recovery = second.recoveryReport();
        assertThat(recovery.adopted()).isZero();
        assertThat(recovery.missing()).extracting(Drift::kind).containsOnly(Drift.Kind.MISSING);
        assertThat(recovery.missing()).extracting(d -> d.vnic().orElseThrow())
                .containsExactlyInAnyOrder(vm1.id(), vm2.id());
        assertThat(recovery.missing()).allSatisfy(d -> assertThat(d.detail())
                .contains("no port", "live only in the process that made them"));
        assertThat(ports(fresh)).as("nothing made by a restore").containsOnlyKeys(UPLINK);

        List<String> repaired = second.repair(second.driftReport());

        assertThat(repaired).hasSize(2);
        assertThat(second.driftReport().isClean()).as(second.driftReport().toString()).isTrue();
        assertThat(pings(fresh, second.vnic(vm1.id()).orElseThrow(), second.vnic(vm2.id()).orElseThrow(), 2))
                .isEqualTo(2);
        second.close();
    }

    // ------------------------------------------------------------------------------------- not the backend's own

    @Test
    void theUplinkIsNeverTouched() {
        InProcessSwitch sw = newSwitch();
        InProcessSwitchBackend backend = new InProcessSwitchBackend(H1, sw, 1, lock);
        Attachment a = backend.attach(request(0));
        Map<Integer, String> before = ports(sw);
        VnicId vnic = a.vnic();
        Attachment uplink = Attachment.of(vnic, backend.id(), backend.id() + "/port" + UPLINK);

        assertThatThrownBy(() -> backend.detach(uplink)).isInstanceOf(OwnershipException.class)
                .hasMessageContaining("not a port iov made")
                .satisfies(e -> assertThat(((OwnershipException) e).owner()).isEmpty());
        assertThatThrownBy(() -> backend.update(uplink, request(0))).isInstanceOf(OwnershipException.class);
        assertThatThrownBy(() -> backend.stats(uplink)).isInstanceOf(OwnershipException.class);
        backend.close();
        InProcessSwitchBackend second = new InProcessSwitchBackend(H1, sw, 1, lock);
        RestoreReport report = second.restore(List.of(new RecordedAttachment(request(0), uplink)));
        second.abandon(request(0)); // the vNIC's own port is not held by this instance: abandon removes it ...

        assertThat(report.adopted()).isEmpty();
        assertThat(report.missing()).singleElement()
                .satisfies(m -> assertThat(m.reason()).contains("not a port iov made"));
        assertThat(ports(sw).get(UPLINK)).as("... and never the uplink").isEqualTo(before.get(UPLINK));
        assertThat(ports(sw)).containsOnlyKeys(UPLINK);
        assertThat(second.discover(H1)).isEmpty();
    }

    @Test
    void aPortAddedByHandIsSkippedAndNotReportedAsIovs() {
        InProcessSwitch sw = newSwitch();
        InProcessSwitchBackend backend = new InProcessSwitchBackend(H1, sw, 1, lock);
        sw.embedded().addPort(1, PortConfig.access(101));

        Attachment a = backend.attach(request(0));

        assertThat(a.handle()).isEqualTo("h1/in-process/port2");
        assertThat(backend.discover(H1)).extracting(p -> p.handle()).containsExactly(a.handle());
        assertThatThrownBy(() -> backend.detach(Attachment.of(a.vnic(), backend.id(), "h1/in-process/port1")))
                .isInstanceOf(OwnershipException.class);
        assertThat(sw.portConfig(1)).isNotNull();
    }

    @Test
    void anotherBackendsPortOnTheSameSwitchIsNeitherAdoptedNorRemoved() {
        InProcessSwitch sw = newSwitch();
        InProcessSwitchBackend other = new InProcessSwitchBackend(HostId.of("h9"), sw, 1, lock);
        Attachment theirs = other.attach(request(0));
        Map<Integer, String> before = ports(sw);
        InProcessSwitchBackend backend = new InProcessSwitchBackend(H1, sw, 1, lock);
        Attachment claimed = Attachment.of(theirs.vnic(), backend.id(), "h1/in-process/port1");

        RestoreReport report = backend.restore(List.of(new RecordedAttachment(request(0), claimed)));
        backend.abandon(request(0));

        assertThat(report.adopted()).isEmpty();
        assertThat(report.missing()).singleElement()
                .satisfies(m -> assertThat(m.reason()).contains("marked iov:h9/in-process:" + theirs.vnic()));
        assertThatThrownBy(() -> backend.detach(claimed)).isInstanceOf(OwnershipException.class);
        assertThat(backend.discover(H1)).isEmpty();
        assertThat(ports(sw)).isEqualTo(before);
        Attachment mine = backend.attach(request(1));
        assertThat(mine.handle()).isEqualTo("h1/in-process/port2");
    }

    @Test
    void anAdoptedOrReservedVnicsMacIsNeverGivenToAnotherVnic() {
        InProcessSwitch sw = newSwitch();
        InProcessSwitchBackend first = new InProcessSwitchBackend(H1, sw, 1, lock);
        AttachRequest ra = request(0);
        AttachRequest rb = request(1);
        Attachment a = first.attach(ra);
        Attachment b = first.attach(rb);
        first.close();
        synchronized (lock) {
            sw.removePort(Integer.parseInt(b.details().get("switchPort")));
        }
        InProcessSwitchBackend second = new InProcessSwitchBackend(H1, sw, 1, lock);
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a), new RecordedAttachment(rb, b)));
        assertThat(report.adopted()).extracting(Attachment::vnic).containsExactly(a.vnic());
        assertThat(report.missing()).extracting(RestoreReport.Missing::vnic).containsExactly(b.vnic());
        Map<Integer, String> before = ports(sw);

        assertThatThrownBy(() -> second.attach(request(2, ra.addresses())))
                .as("the adopted vNIC's MAC").isInstanceOf(OwnershipException.class)
                .hasMessageContaining("belongs to vNIC '" + a.vnic() + "'");
        assertThatThrownBy(() -> second.attach(request(3, rb.addresses())))
                .as("the missing vNIC's MAC").isInstanceOf(OwnershipException.class)
                .hasMessageContaining("belongs to vNIC '" + b.vnic() + "'");
        Attachment c = second.attach(request(2));
        assertThatThrownBy(() -> second.update(c, request(2, ra.addresses())))
                .as("nor by an update").isInstanceOf(OwnershipException.class);

        assertThat(ports(sw)).containsAllEntriesOf(before).hasSize(before.size() + 1);
        assertThat(second.attach(rb).handle()).as("the repair takes the reserved index").isEqualTo(b.handle());
    }

    @Test
    void aClosedBackendChangesNothingAndLeavesItsPorts() {
        InProcessSwitch sw = newSwitch();
        InProcessSwitchBackend backend = new InProcessSwitchBackend(H1, sw, 1, lock);
        Attachment a = backend.attach(request(0));
        Map<Integer, String> before = ports(sw);

        backend.close();
        backend.close();

        assertThatThrownBy(() -> backend.attach(request(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> backend.detach(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> backend.restore(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> backend.abandon(request(0))).isInstanceOf(IllegalStateException.class);
        assertThat(ports(sw)).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static InProcessSwitch newSwitch() {
        EmbeddedSwitch sw = new EmbeddedSwitch(16);
        sw.addPort(UPLINK, PortConfig.trunk(VlanSet.all()));
        return new InProcessSwitch(sw);
    }

    private static Fabric fabric(InMemoryStateStore store, InProcessSwitchBackend backend) {
        return Fabric.builder().store(store).vlanPool(VlanPool.ofRange(VlanId.of(101), VlanId.of(199)))
                .oversubscription(OversubscriptionPolicy.allowUpTo(4.0))
                .host(new Host(H1, List.of(Uplink.ethernet("uplink0", Bandwidth.ofGbps(1), BackendKind.VSWITCH_PORT))),
                        backend)
                .build();
    }

    private static VnicSpec spec(String vm) {
        return VnicSpec.builder(vm + "-eth0", vm, TENANT.value()).maxRate(Bandwidth.ofMbps(400)).spoofCheck(true)
                .build();
    }

    private static AttachRequest request(int n) {
        return request(n, VnicAddresses.ofMac(MacAddress.of(0x02_69_6f_00_00_00L + n)));
    }

    private static AttachRequest request(int n, VnicAddresses addresses) {
        VnicSpec spec = VnicSpec.builder("vm" + n + "-eth0", "vm" + n, VLAN_101.id().value())
                .maxRate(Bandwidth.ofMbps(400)).spoofCheck(true).build();
        return new AttachRequest(spec, H1, "uplink0", VLAN_101, addresses);
    }

    private static VnicStats stats(long packetsEachWay) {
        long bytes = GeneratedFrames.echo(MacAddress.of(2), MacAddress.of(4), "198.18.1.1", "198.18.1.2", 1, false)
                .length;
        return new VnicStats(packetsEachWay, packetsEachWay * bytes, 0, 0, packetsEachWay, packetsEachWay * bytes, 0,
                0);
    }

    /** Echo request from one vNIC's port and reply from the other's; how many round trips arrived intact. */
    private int pings(InProcessSwitch sw, Vnic from, Vnic to, int count) {
        synchronized (lock) {
            int from1 = Integer.parseInt(from.attachment().details().get("switchPort"));
            int to1 = Integer.parseInt(to.attachment().details().get("switchPort"));
            MacAddress fromMac = from.addresses().mac().orElseThrow();
            MacAddress toMac = to.addresses().mac().orElseThrow();
            int answered = 0;
            for (int seq = 1; seq <= count; seq++) {
                byte[] request = GeneratedFrames.echo(fromMac, toMac, "198.18.1.1", "198.18.1.2", seq, false);
                byte[] reply = GeneratedFrames.echo(toMac, fromMac, "198.18.1.2", "198.18.1.1", seq, true);
                boolean there = arrived(sw, from1, request, to1);
                if (there && arrived(sw, to1, reply, from1)) {
                    answered++;
                }
            }
            return answered;
        }
    }

    private static boolean arrived(InProcessSwitch sw, int in, byte[] frame, int out) {
        sw.embedded().send(in, frame);
        boolean arrived = sw.embedded().drainOutbound(out).stream().anyMatch(f -> Arrays.equals(f, frame));
        sw.embedded().clearOutbound();
        return arrived;
    }

    /** Every port of the switch with its configuration and mark. */
    private Map<Integer, String> ports(InProcessSwitch sw) {
        synchronized (lock) {
            Map<Integer, String> found = new TreeMap<>();
            for (int index = 0; index < sw.maxPorts(); index++) {
                PortConfig config = sw.portConfig(index);
                if (config != null) {
                    found.put(index, config + " mark " + sw.mark(index).map(Object::toString).orElse("none"));
                } else if (sw.mark(index).isPresent()) {
                    found.put(index, "bare mark " + sw.mark(index).get());
                }
            }
            return found;
        }
    }
}
