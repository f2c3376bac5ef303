package dev.iov.infiniband.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.api.net.PciAddress;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.infiniband.partition.ManagedPartitionsFile;
import dev.iov.infiniband.sm.FakeUfm;
import dev.iov.infiniband.sm.OpenSmSubnetManager;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.infiniband.sm.SubnetMember;
import dev.iov.infiniband.sm.UfmSubnetManager;
import dev.iov.sriov.backend.FakeVfDriver;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart, ownership and clean-up of the {@code infiniband} backend beyond what the contract
 * ({@link OpenSmInfinibandBackendContractTest}, {@link UfmInfinibandBackendContractTest}) reaches: the fabric's
 * records against a lease store that says otherwise, a VF gone, leaked and foreign memberships, records that are not
 * this backend's. OpenSM's {@code partitions.conf} is the subnet manager; a restart is a new backend over the same
 * file, sysfs tree and PF driver.
 */
class InfinibandBackendRestoreTest {

    private static final String PF = "0000:86:00.0";
    private static final Network STORAGE = Network.ibPartition("storage", PKey.of(0x8001));
    private static final Network COMPUTE = Network.ibPartition("compute", PKey.of(0x8002));
    private static final Guid FOREIGN = Guid.of(0x0002_c903_0000_00aaL);

    @TempDir
    Path dir;

    private FakeSysfs sysfs;
    private final FakeVfDriver driver = new FakeVfDriver().pf("ib0", 4);
    private SubnetManager sm;

    @BeforeEach
    void setUp() throws Exception {
        sysfs = FakeSysfs.builder().pf(PF, FakeSysfs.Model.CONNECTX5_IB).netdev("ib0").vfs(4).and()
                .build(Files.createDirectory(dir.resolve("sys")));
        Path partitions = dir.resolve("partitions.conf");
        Files.writeString(partitions, "Default=0x7fff,ipoib : ALL=full ;\n"
                + "Lab=0x0003 : " + String.format("0x%016x", FOREIGN.toLong()) + "=full ;\n");
        sm = OpenSmSubnetManager.of(ManagedPartitionsFile.of(partitions), true);
    }

    private InfinibandBackend backend(StateStore leases) {
        return backend(sm, leases);
    }

    private InfinibandBackend backend(SubnetManager manager, StateStore leases) {
        InfinibandBackend.Builder b = InfinibandBackend.builder("h1-ib").discovery(SriovDiscovery.on(sysfs.sysfs()))
                .netlink(driver).subnetManager(manager);
        if (leases != null) {
            b.leaseStore(leases);
        }
        return b.build();
    }

    private static Guid guid(int n) {
        return Guid.of(GuidPool.DEFAULT_FIRST.toLong() + 1 + n);
    }

    private static AttachRequest request(String vnic, int n, Network network) {
        return new AttachRequest(VnicSpec.builder(vnic, "vm-" + vnic, network.id().value()).build(), HostId.of("h1"),
                "ib0", network, VnicAddresses.ofGuid(guid(n)));
    }

    private static RecordedAttachment record(AttachRequest request, Attachment attachment) {
        return new RecordedAttachment(request, attachment);
    }

    private Set<Guid> members(int partition) {
        return sm.partitions().getOrDefault(PKey.of(partition), Set.of()).stream().map(SubnetMember::guid)
                .collect(Collectors.toSet());
    }

    @Test
    void withoutALeaseStoreTheRecordsAreEnoughToTakeEverythingBack() {
        InfinibandBackend first = backend(null);
        AttachRequest ra = request("mpi-1", 1, STORAGE);
        Attachment a = first.attach(ra);
        first.close();

        InfinibandBackend second = backend(null);
        assertThat(second.leases()).as("an in-memory lease store forgets").isEmpty();
        RestoreReport report = second.restore(List.of(record(ra, a)));

        assertThat(report.adopted()).containsExactly(a);
        assertThat(second.leases()).containsOnlyKeys(a.handle());
        assertThat(second.pool().free()).isEqualTo(3);
        assertThat(second.discover(HostId.of("h1"))).singleElement()
                .satisfies(p -> assertThat(p.owner()).contains(a.vnic()));
    }

    @Test
    void whenTheLeaseStoreDisagreesWithTheRecordsTheRecordsWinAndTheStoreIsCorrected() {
        StateStore leases = new InMemoryStateStore();
        InfinibandBackend first = backend(leases);
        AttachRequest ra = request("mpi-1", 1, STORAGE);
        Attachment a = first.attach(ra);
        first.close();
        // The fabric's record says another vNIC holds that GUID (the lease store is from an older run).
        AttachRequest rb = new AttachRequest(VnicSpec.builder("mpi-2", "vm-2", "storage").build(), HostId.of("h1"),
                "ib0", STORAGE, VnicAddresses.ofGuid(guid(1)));
        Attachment b = new Attachment(rb.spec().id(), a.backendId(), a.handle(), a.details());

        InfinibandBackend second = backend(leases);
        assertThat(second.leases().get(a.handle()).vnic()).isEqualTo(a.vnic());
        RestoreReport report = second.restore(List.of(record(rb, b)));

        assertThat(report.adopted()).extracting(Attachment::vnic).containsExactly(rb.spec().id());
        assertThat(second.leases().get(a.handle()).vnic()).isEqualTo(rb.spec().id());
        assertThat(second.pool().free()).as("one VF, held once").isEqualTo(3);
        InfinibandBackend third = backend(leases);
        assertThat(third.leases().get(a.handle()).vnic()).as("the store says what the records say")
                .isEqualTo(rb.spec().id());
    }

    @Test
    void aLeaseOnlyTheStoreKnowsIsKeptUntilAbandoned() {
        StateStore leases = new InMemoryStateStore();
        InfinibandBackend first = backend(leases);
        AttachRequest kept = request("mpi-1", 1, STORAGE);
        AttachRequest cutShort = request("mpi-2", 2, STORAGE);
        Attachment a = first.attach(kept);
        first.attach(cutShort);
        first.close();

        InfinibandBackend second = backend(leases);
        second.restore(List.of(record(kept, a)));
        assertThat(second.discover(HostId.of("h1"))).extracting(p -> p.owner().orElseThrow().value())
                .containsExactlyInAnyOrder("mpi-1", "mpi-2");
        second.abandon(cutShort);

        assertThat(second.leases()).containsOnlyKeys(a.handle());
        assertThat(members(1)).containsExactly(guid(1));
        assertThat(driver.vf("ib0", 1).portGuid()).isEmpty();
        assertThat(second.pool().free()).isEqualTo(3);
        assertThat(leases.list("iov/ib-leases/")).hasSize(1);
    }

    @Test
    void aVfThatIsGoneIsMissingAndTheRepairMovesTheGuidToAnotherVf() {
        StateStore leases = new InMemoryStateStore();
        InfinibandBackend first = backend(leases);
        AttachRequest ra = request("mpi-1", 1, STORAGE);
        AttachRequest rb = request("mpi-2", 2, STORAGE);
        first.attach(ra);
        Attachment b = first.attach(rb);
        assertThat(b.details()).containsEntry(InfinibandBackend.VF, "1");
        first.close();
        // The administrator re-enables the PF with one VF (sriov_numvfs 4 -> 0 -> 1): VF 1 is gone, VF 0 is new.
        SriovControl.on(sysfs.sysfs()).setNumVfs(PciAddress.parse(PF), 1);
        driver.pf("ib0", 1);

        InfinibandBackend second = backend(leases);
        RestoreReport report = second.restore(List.of(record(rb, b)));

        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .isEqualTo("VF 1 of PF 0000:86:00.0 (ib0) is not enabled: the PF has 1 VF(s) enabled now [0]"));
        assertThatThrownBy(() -> second.stats(b)).isInstanceOf(BackendException.class)
                .hasMessageContaining("is gone");
        // VF 0 carried mpi-1, which the records do not name; the lease store's lease keeps it until abandoned.
        assertThatThrownBy(() -> second.attach(rb)).hasMessageContaining("no other VF is free");
        second.abandon(ra);
        Attachment repaired = second.attach(rb);
        assertThat(repaired.handle()).isEqualTo(b.handle());
        assertThat(repaired.details()).containsEntry(InfinibandBackend.VF, "0");
        assertThat(driver.vf("ib0", 0).portGuid()).contains(guid(2));
        assertThat(members(1)).containsExactly(guid(2));
        assertThat(backend(leases).leases().get(b.handle()).vf().vf()).as("the store follows").isZero();
    }

    @Test
    void abandonWithoutALeaseRemovesTheMembershipAndTheVfGuidsButNothingElse() {
        InfinibandBackend first = backend(null);
        AttachRequest kept = request("mpi-1", 1, STORAGE);
        AttachRequest cutShort = request("mpi-2", 2, STORAGE);
        Attachment a = first.attach(kept);
        first.attach(cutShort);
        first.close();

        InfinibandBackend second = backend(null);
        second.restore(List.of(record(kept, a)));
        second.abandon(new AttachRequest(kept.spec(), kept.host(), kept.uplink(), kept.network(),
                VnicAddresses.ofGuid(FOREIGN)));
        second.abandon(request("mpi-9", 1, STORAGE)); // mpi-1's GUID, asked for by another vNIC
        second.abandon(cutShort);

        assertThat(members(1)).containsExactly(guid(1));
        assertThat(members(3)).containsExactly(FOREIGN);
        assertThat(driver.vf("ib0", 0).portGuid()).contains(guid(1));
        assertThat(driver.vf("ib0", 1).portGuid()).isEmpty();
        assertThat(driver.vf("ib0", 1).nodeGuid()).isEmpty();
        assertThat(second.pool().free()).isEqualTo(3);
    }

    @Test
    void aLeakedMembershipIsRemovedOnlyWhenDetachedAsItsLeakedOwner() {
        InfinibandBackend backend = backend(null);
        Guid leaked = guid(7);
        sm.addMembers(PKey.of(0x8001), List.of(SubnetMember.full(leaked)));
        sm.addMembers(PKey.of(0x8002), List.of(SubnetMember.full(leaked)));
        DiscoveredPort port = backend.discover(HostId.of("h1")).get(0);
        assertThat(port.owner()).contains(VnicId.of("leaked-02696f0000000008"));

        assertThatThrownBy(() -> backend.detach(Attachment.of(VnicId.of("mpi-1"), backend.id(), leaked.toString())))
                .isInstanceOf(OwnershipException.class).hasMessageContaining("leaked-02696f0000000008");
        assertThat(members(1)).containsExactly(leaked);

        backend.detach(Attachment.of(port.owner().orElseThrow(), backend.id(), port.handle()));

        assertThat(members(1)).isEmpty();
        assertThat(members(2)).isEmpty();
        assertThat(backend.discover(HostId.of("h1"))).isEmpty();
    }

    @Test
    void anotherVnicsGuidIsRefusedAndAnUpdateCannotChangeTheGuid() {
        InfinibandBackend backend = backend(null);
        AttachRequest ra = request("mpi-1", 1, STORAGE);
        Attachment a = backend.attach(ra);
        AttachRequest sameGuidOtherVnic = new AttachRequest(VnicSpec.builder("mpi-2", "vm-2", "storage").build(),
                HostId.of("h1"), "ib0", STORAGE, VnicAddresses.ofGuid(guid(1)));

        assertThatThrownBy(() -> backend.attach(sameGuidOtherVnic)).isInstanceOf(OwnershipException.class)
                .hasMessageContaining("belongs to vNIC 'mpi-1'");
        assertThatThrownBy(() -> backend.update(a, request("mpi-1", 5, STORAGE)))
                .isInstanceOf(BackendException.class).hasMessageContaining("a new GUID is a detach and an attach");
        assertThatThrownBy(() -> backend.update(a, request("mpi-1", 1, COMPUTE)))
                .hasMessageContaining("is a detach and an attach");
        assertThatThrownBy(() -> backend.stats(Attachment.of(VnicId.of("mpi-2"), backend.id(), a.handle())))
                .isInstanceOf(OwnershipException.class);
        assertThat(members(1)).containsExactly(guid(1));
    }

    @Test
    void recordsThatAreNotThisBackendsLeasesAreRefusedBeforeAnythingChanges() {
        InfinibandBackend first = backend(null);
        AttachRequest ra = request("mpi-1", 1, STORAGE);
        Attachment a = first.attach(ra);
        first.close();
        InfinibandBackend second = backend(null);
        Map<String, String> noPkey = new HashMap<>(a.details());
        noPkey.remove(InfinibandBackend.PKEY);
        Map<String, String> badVf = new HashMap<>(a.details());
        badVf.put(InfinibandBackend.VF, "-1");
        Map<String, String> otherPartition = new HashMap<>(a.details());
        otherPartition.put(InfinibandBackend.PKEY, "0x8002");

        assertThatThrownBy(() -> second.restore(List.of(record(ra, a),
                record(ra, new Attachment(a.vnic(), "h2-ib", a.handle(), a.details())))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("made by backend 'h2-ib'");
        assertThatThrownBy(() -> second.restore(List.of(record(ra, new Attachment(a.vnic(), a.backendId(),
                a.handle(), noPkey))))).hasMessageContaining("detail 'pkey' is missing");
        assertThatThrownBy(() -> second.restore(List.of(record(ra, new Attachment(a.vnic(), a.backendId(),
                a.handle(), badVf))))).hasMessageContaining("vf '-1' is invalid");
        assertThatThrownBy(() -> second.restore(List.of(record(ra, new Attachment(a.vnic(), a.backendId(),
                a.handle(), otherPartition))))).hasMessageContaining("P_Key 0x8002 is not in network 'storage'");
        assertThat(second.leases()).isEmpty();
        assertThat(second.pool().free()).isEqualTo(4);
    }

    @Test
    void aSubnetManagerThatCannotBeReadFailsTheRestoreWithNothingTaken() throws Exception {
        try (FakeUfm ufm = FakeUfm.http(null)) {
            SubnetManager client = UfmSubnetManager.builder(ufm.url()).build();
            InfinibandBackend first = backend(client, null);
            AttachRequest ra = request("mpi-1", 1, STORAGE);
            Attachment a = first.attach(ra);
            InfinibandBackend second = backend(client, null);
            ufm.failNext(503, "{\"error\": \"Service Unavailable\"}");

            assertThatThrownBy(() -> second.restore(List.of(record(ra, a)))).isInstanceOf(BackendException.class)
                    .hasMessageContaining("503");

            assertThat(second.leases()).isEmpty();
            assertThat(second.pool().free()).isEqualTo(4);
            assertThat(second.restore(List.of(record(ra, a))).adopted()).hasSize(1);
        }
    }

    @Test
    void theIndex0FlagTravelsInTheDetails() {
        InfinibandBackend first = InfinibandBackend.builder("h1-ib").discovery(SriovDiscovery.on(sysfs.sysfs()))
                .netlink(driver).subnetManager(sm).index0(true).build();
        AttachRequest ra = request("mpi-1", 1, STORAGE);
        Attachment a = first.attach(ra);
        assertThat(a.details()).containsEntry(InfinibandBackend.INDEX0, "true");
        first.close();

        InfinibandBackend second = backend(null); // configured without index0
        second.restore(List.of(record(ra, a)));

        assertThat(second.leases().get(a.handle()).index0()).isTrue();
    }
}
