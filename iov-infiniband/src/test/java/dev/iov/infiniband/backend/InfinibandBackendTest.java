package dev.iov.infiniband.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.fabric.Drift;
import dev.iov.api.fabric.DriftReport;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.FabricBuilder;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.journal.JournalStateStore;
import dev.iov.infiniband.partition.ManagedPartitionsFile;
import dev.iov.infiniband.partition.Membership;
import dev.iov.infiniband.sm.FakeUfm;
import dev.iov.infiniband.sm.OpenSmSubnetManager;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.infiniband.sm.SubnetMember;
import dev.iov.infiniband.sm.UfmSubnetManager;
import dev.iov.linux.Errno;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.sriov.backend.FakeVfDriver;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code infiniband} backend under a {@link Fabric}: VFs of a ConnectX-5 in InfiniBand mode laid out as sysfs
 * does ({@link FakeSysfs}), a model of the PF driver's rtnetlink answers ({@link FakeVfDriver}; the real request is
 * proven against the kernel in iov-linux and iov-cli), and real subnet-manager plug-ins: OpenSM's
 * {@code partitions.conf} in a temporary directory and UFM's REST API served in-process ({@link FakeUfm}).
 */
class InfinibandBackendTest {

    private static final String PF = "0000:86:00.0";
    private static final Network STORAGE = Network.ibPartition("storage", PKey.of(0x8001));
    private static final Network COMPUTE = Network.ibPartition("compute", PKey.of(0x8002));
    private static final Guid FOREIGN = Guid.of(0x0002_c903_0000_00aaL);

    @TempDir
    Path dir;

    private FakeSysfs sysfs;
    private final FakeVfDriver driver = new FakeVfDriver().pf("ib0", 4);
    private SubnetManager sm;
    private InfinibandBackend backend;
    private Fabric fabric;

    @BeforeEach
    void setUp() throws Exception {
        sysfs = FakeSysfs.builder().pf(PF, FakeSysfs.Model.CONNECTX5_IB).netdev("ib0").vfs(4).and()
                .build(Files.createDirectory(dir.resolve("sys")));
        Files.writeString(partitions(), "Default=0x7fff,ipoib : ALL=full ;\n"
                + "Lab=0x0003 : " + String.format("0x%016x", FOREIGN.toLong()) + "=full ;\n");
        sm = OpenSmSubnetManager.of(ManagedPartitionsFile.of(partitions()), true);
        backend = backend(sm, null);
        fabric = fabric(backend, null);
    }

    @AfterEach
    void tearDown() {
        fabric.close();
        backend.close();
    }

    private Path partitions() {
        return dir.resolve("partitions.conf");
    }

    private InfinibandBackend backend(SubnetManager manager, StateStore leases) {
        InfinibandBackend.Builder b = InfinibandBackend.builder("h1-ib").discovery(SriovDiscovery.on(sysfs.sysfs()))
                .netlink(driver).subnetManager(manager);
        if (leases != null) {
            b.leaseStore(leases);
        }
        return b.build();
    }

    private static Fabric fabric(InfinibandBackend ib, StateStore store) {
        FabricBuilder b = Fabric.builder()
                .host(Host.of("h1", Uplink.infiniband("ib0", Bandwidth.ofGbps(200))), ib);
        // IB VFs have no per-VF rate limit: each may use the whole port, so admission may only warn here.
        Fabric f = b.store(store != null ? store : new InMemoryStateStore()).oversubscription(OversubscriptionPolicy.warn())
                .build();
        if (f.network(STORAGE.id()).isEmpty()) {
            f.defineNetwork(STORAGE);
            f.defineNetwork(COMPUTE);
        }
        return f;
    }

    private Vnic provision(String id) {
        return fabric.provision("h1", VnicSpec.builder(id, "vm-" + id, "storage").backends(BackendKind.IB_VF)
                .build());
    }

    private Set<Guid> members(int partition) {
        return sm.partitions().getOrDefault(PKey.of(partition), Set.of()).stream().map(SubnetMember::guid)
                .collect(Collectors.toSet());
    }

    @Test
    void attachGivesTheVfTheVnicsGuidAndThePartitionAFullMember() throws Exception {
        Vnic vnic = provision("mpi-1");

        Guid guid = vnic.addresses().guid().orElseThrow();
        assertThat(vnic.attachment().handle()).isEqualTo(guid.toString());
        assertThat(vnic.attachment().details()).containsEntry(InfinibandBackend.PF, PF)
                .containsEntry(InfinibandBackend.PF_NETDEV, "ib0").containsEntry(InfinibandBackend.VF, "0")
                .containsEntry(InfinibandBackend.PKEY, "0x8001");
        assertThat(driver.vf("ib0", 0).portGuid()).contains(guid);
        assertThat(driver.vf("ib0", 0).nodeGuid()).contains(guid);
        assertThat(sm.partitions().get(PKey.of(0x0001))).containsExactly(SubnetMember.full(guid));
        assertThat(Files.readString(partitions())).as("OpenSM reads the GUID in iov's block")
                .contains(String.format("0x%016x=full", guid.toLong()))
                .startsWith("Default=0x7fff,ipoib : ALL=full ;\n");
        assertThat(backend.pool().free()).isEqualTo(3);
        assertThat(fabric.driftReport().isClean()).isTrue();
    }

    @Test
    void releaseTakesTheMembershipAndTheGuidsAwayAndFreesTheVf() {
        Vnic vnic = provision("mpi-1");
        Guid guid = vnic.addresses().guid().orElseThrow();

        assertThat(fabric.release(vnic.id())).isTrue();

        assertThat(members(1)).doesNotContain(guid);
        assertThat(driver.vf("ib0", 0).portGuid()).isEmpty();
        assertThat(driver.vf("ib0", 0).nodeGuid()).isEmpty();
        assertThat(backend.pool().free()).isEqualTo(4);
        assertThat(backend.leases()).isEmpty();
        assertThat(members(3)).as("the administrator's partition").containsExactly(FOREIGN);
    }

    @Test
    void aSubnetManagerRefusalUndoesEveryStep() throws Exception {
        try (FakeUfm ufm = FakeUfm.http(null)) {
            fabric.close();
            backend.close();
            sm = UfmSubnetManager.builder(ufm.url()).build();
            backend = backend(sm, null);
            fabric = fabric(backend, null);
            ufm.failNext(500, "{\"error\":\"internal\"}");

            assertThatThrownBy(() -> provision("mpi-1")).hasMessageContaining("500");

            assertThat(driver.vf("ib0", 0).portGuid()).as("GUID cleared again").isEmpty();
            assertThat(backend.pool().free()).isEqualTo(4);
            assertThat(backend.leases()).isEmpty();
            assertThat(fabric.vnics()).isEmpty();
            Vnic next = provision("mpi-2");
            assertThat(next.attachment().details()).as("the same VF is free again")
                    .containsEntry(InfinibandBackend.VF, "0");
        }
    }

    @Test
    void aRefusedGuidWriteCarriesErrnoAndLeavesNothing() {
        driver.failSetVf(0, Errno.EOPNOTSUPP);

        assertThatThrownBy(() -> provision("mpi-1")).isInstanceOfSatisfying(BackendException.class,
                e -> assertThat(e.errno()).hasValue(Errno.EOPNOTSUPP.number()));

        assertThat(members(1)).isEmpty();
        assertThat(backend.pool().free()).isEqualTo(4);
        assertThat(backend.leases()).isEmpty();
    }

    @Test
    void aLeakedMembershipIsReportedAndRepairRemovesItButNeverAForeignOne() {
        Vnic kept = provision("mpi-1");
        Guid leaked = Guid.of(GuidPool.DEFAULT_FIRST.toLong() + 0x100);
        sm.addMembers(PKey.of(0x8001), List.of(SubnetMember.full(leaked)));

        DriftReport report = fabric.driftReport();

        assertThat(report.drifts()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Drift.Kind.UNEXPECTED);
            assertThat(d.handle()).isEqualTo(leaked.toString());
            assertThat(d.vnic().orElseThrow().value()).startsWith(InfinibandBackend.LEAKED_PREFIX);
        });
        fabric.repair(report);
        assertThat(members(1)).containsExactly(kept.addresses().guid().orElseThrow());
        assertThat(members(3)).containsExactly(FOREIGN);
        assertThat(fabric.driftReport().isClean()).isTrue();
    }

    @Test
    void driftInTheSubnetManagerOrOnTheVfIsFoundAndRepaired() {
        Vnic a = provision("mpi-1");
        Vnic b = provision("mpi-2");
        Vnic c = provision("mpi-3");
        Guid ga = a.addresses().guid().orElseThrow();
        Guid gb = b.addresses().guid().orElseThrow();
        Guid gc = c.addresses().guid().orElseThrow();
        sm.removeMembers(PKey.of(0x0001), List.of(ga));                       // someone edited partitions.conf
        sm.addMembers(PKey.of(0x0002), List.of(SubnetMember.full(gb)));       // b also in compute
        driver.tamper("ib0", 2, VfConfig.forVf(2).portGuid(FOREIGN).build()); // c's VF re-programmed

        DriftReport report = fabric.driftReport();

        assertThat(report.drifts()).extracting(Drift::kind, d -> d.vnic().orElseThrow().value())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Drift.Kind.MISSING, "mpi-1"),
                        org.assertj.core.groups.Tuple.tuple(Drift.Kind.MISMATCH, "mpi-2"),
                        org.assertj.core.groups.Tuple.tuple(Drift.Kind.MISMATCH, "mpi-3"));
        assertThat(report.drifts()).filteredOn(d -> d.vnic().orElseThrow().value().equals("mpi-3"))
                .singleElement().satisfies(d -> assertThat(d.detail()).contains("GUID"));

        fabric.repair(report);

        assertThat(fabric.driftReport().isClean()).isTrue();
        assertThat(members(1)).containsExactlyInAnyOrder(ga, gb, gc);
        assertThat(members(2)).isEmpty();
        assertThat(driver.vf("ib0", 2).portGuid()).contains(gc);
        assertThat(backend.pool().free()).as("repair re-used the VFs it holds").isEqualTo(1);
    }

    @Test
    void leasesAndGuidsSurviveARestartOnTheJournal() {
        fabric.close();
        backend.close();
        Path journal = dir.resolve("journal");
        Guid first;
        try (JournalStateStore store = JournalStateStore.open(journal)) {
            backend = backend(sm, store);
            fabric = fabric(backend, store);
            first = provision("mpi-1").addresses().guid().orElseThrow();
            fabric.close();
            backend.close();
        }
        try (JournalStateStore store = JournalStateStore.open(journal)) {
            backend = backend(sm, store);
            fabric = fabric(backend, store);

            assertThat(backend.leases()).containsOnlyKeys(first.toString());
            assertThat(backend.pool().free()).isEqualTo(3);
            assertThat(fabric.driftReport().isClean()).as("owners known after the restart").isTrue();
            Guid second = provision("mpi-2").addresses().guid().orElseThrow();
            assertThat(second).as("the GUID pool is rebuilt from the records").isNotEqualTo(first);
            assertThat(driver.vf("ib0", 1).portGuid()).contains(second);

            fabric.release(fabric.vnics().get(0).id());
            fabric.release(fabric.vnics().get(0).id());
            assertThat(members(1)).isEmpty();
            assertThat(store.list("iov/ib-leases/")).isEmpty();
            fabric.close();
            backend.close();
        }
        backend = backend(sm, null);
        fabric = fabric(backend, null);
    }

    @Test
    void aConfiguredGuidRangeIsTheFabricsPoolAndTheBackendsOwnership() {
        fabric.close();
        backend.close();
        Guid first = Guid.of(0x0002_c903_00ab_0000L);
        Guid last = Guid.of(0x0002_c903_00ab_0003L);
        backend = InfinibandBackend.builder("h1-ib").discovery(SriovDiscovery.on(sysfs.sysfs())).netlink(driver)
                .subnetManager(sm).ownedGuids(first, last).membership(Membership.LIMITED).build();
        fabric = Fabric.builder().store(new InMemoryStateStore()).oversubscription(OversubscriptionPolicy.warn()).guidPool(GuidPool.ofRange(first, last))
                .host(Host.of("h1", Uplink.infiniband("ib0", Bandwidth.ofGbps(200))), backend).build();
        fabric.defineNetwork(STORAGE);

        Vnic vnic = provision("mpi-1");

        assertThat(vnic.addresses().guid()).contains(first);
        assertThat(sm.partitions().get(PKey.of(1)))
                .containsExactly(SubnetMember.of(first, Membership.LIMITED, false));
        assertThat(vnic.attachment().details()).containsEntry(InfinibandBackend.PKEY, "0x0001");
        assertThat(fabric.driftReport().isClean()).as("the default range's leak rule does not apply").isTrue();
    }

    @Test
    void badRequestsNameTheValueAndChangeNothing() {
        fabric.defineNetwork(Network.vlan("tenant-a", dev.iov.api.net.VlanId.of(10)));
        assertThatThrownBy(() -> fabric.provision("h1", VnicSpec.builder("x", "vm-x", "tenant-a").build()))
                .hasMessageContaining("no backend of the host joins VLAN networks");
        InfinibandBackend.Builder builder = InfinibandBackend.builder("b");
        assertThatThrownBy(() -> builder.membership(Membership.BOTH)).hasMessageContaining("both");
        assertThatThrownBy(() -> builder.ownedGuids(Guid.of(5), Guid.of(4))).hasMessageContaining("below");
        assertThatThrownBy(() -> builder.build()).hasMessageContaining("netlink");
        VnicId x = VnicId.of("x");
        assertThatThrownBy(() -> backend.detach(Attachment.of(x, "h1-ib", "vf0")))
                .hasMessageContaining("'vf0' is not a port GUID");
        assertThatThrownBy(() -> backend.detach(Attachment.of(x, "h1-ib", FOREIGN.toString())))
                .isInstanceOf(OwnershipException.class).hasMessageContaining("is not a port iov made");
        assertThat(members(3)).as("detaching a foreign GUID changes nothing").containsExactly(FOREIGN);
        assertThat(backend.pool().free()).isEqualTo(4);
    }

    @Test
    void statsAreTheVfCountersFromTheVmsSide() {
        Vnic vnic = provision("mpi-1");

        var stats = fabric.stats(vnic.id());

        var vf = driver.vf("ib0", 0).stats().orElseThrow();
        assertThat(stats.rxPackets()).isEqualTo(vf.rxPackets());
        assertThat(stats.txBytes()).isEqualTo(vf.txBytes());
    }
}
