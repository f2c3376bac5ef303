package dev.iov.sriov.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PciAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.linux.Errno;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend on a kernel-shaped sysfs tree and a model of the PF driver (this machine has no SR-IOV NIC): what the
 * contract ({@link SriovBackendContractTest}) does not reach — selectors, libvirt XML, counters, and the ways a VF can
 * be gone or changed when a restarted backend looks for it.
 */
class SriovBackendTest {

    private static final HostId HOST = HostId.of("h1");
    private static final String PF0 = "0000:3b:00.0";
    private static final String VF0_DIR = "bus/pci/devices/0000:3b:00.2";
    private static final VfSelector ENS1F0 = VfSelector.parse(Map.of("pf", "ens1f0"), "test");

    @TempDir
    Path root;

    private FakeSysfs sysfs;
    private FakeVfDriver driver;

    @BeforeEach
    void host() {
        sysfs = FakeSysfs.builder().pf(PF0, Model.CONNECTX5).netdev("ens1f0").numaNode(0).vfs(2).and()
                .pf("0000:5e:00.0", Model.XL710).netdev("ens2f0").numaNode(1).vfs(3).and().build(root);
        driver = new FakeVfDriver().pf("ens1f0", 2).pf("ens2f0", 3);
    }

    private SriovBackend backend(VfSelector selector, boolean vfio) {
        return SriovBackend.builder("h1/sriov")
                .sysfs(SriovDiscovery.on(sysfs.sysfs()), SriovControl.on(sysfs.sysfs()))
                .netlink(driver).selector(selector).bindVfio(vfio).build();
    }

    private static AttachRequest request(String vnic, int vlan, MacAddress mac) {
        VnicSpec spec = VnicSpec.builder(vnic, "vm-" + vnic, "net" + vlan).mac(mac).maxRate(Bandwidth.ofMbps(2500))
                .trust(true).build();
        return new AttachRequest(spec, HOST, "uplink0", Network.vlan("net" + vlan, VlanId.of(vlan)),
                new VnicAddresses(Optional.of(mac), Optional.empty()));
    }

    @Test
    void attachProgramsTheVfBindsItToVfioAndDescribesItForLibvirt() {
        SriovBackend backend = backend(ENS1F0, true);

        Attachment a = backend.attach(request("web-1", 42, FakeVfDriver.mac(1)));

        assertThat(a.handle()).isEqualTo("0000:3b:00.0/vf0");
        assertThat(a.details()).containsEntry(SriovBackend.PCI, "0000:3b:00.2").containsEntry(SriovBackend.PF, "ens1f0")
                .containsEntry(SriovBackend.VF, "0");
        assertThat(a.details().get(SriovBackend.LIBVIRT_XML)).contains("<mac address='02:69:6f:00:00:01'/>")
                .contains("<tag id='42'/>").contains("bus='0x3b' slot='0x00' function='0x2'");
        VfInfo vf = driver.vf("ens1f0", 0);
        assertThat(vf.mac()).contains(FakeVfDriver.mac(1));
        assertThat(vf.vlan()).contains(VlanId.of(42));
        assertThat(vf.maxTxRate()).isEqualTo(Bandwidth.ofMbps(2500));
        assertThat(vf.spoofCheck()).contains(true);
        assertThat(vf.trusted()).contains(true);
        assertThat(sysfs.driverOf("0000:3b:00.2")).contains("vfio-pci");
        assertThat(backend.pool().free()).isEqualTo(1);
    }

    @Test
    void detachResetsTheVfGivesItBackToItsDriverAndFreesIt() {
        SriovBackend backend = backend(ENS1F0, true);
        Attachment a = backend.attach(request("web-1", 42, FakeVfDriver.mac(1)));

        backend.detach(a);
        backend.detach(a);

        VfInfo vf = driver.vf("ens1f0", 0);
        assertThat(vf.mac()).isEmpty();
        assertThat(vf.vlan()).isEmpty();
        assertThat(vf.maxTxRate()).isEqualTo(Bandwidth.ZERO);
        assertThat(vf.spoofCheck()).contains(true);
        assertThat(vf.trusted()).contains(false);
        assertThat(vf.linkState()).isEqualTo(VfLinkState.AUTO);
        assertThat(sysfs.driverOf("0000:3b:00.2")).contains("mlx5_core");
        assertThat(sysfs.content(VF0_DIR + "/driver_override")).isEqualTo("(null)\n");
        assertThat(backend.pool().free()).isEqualTo(2);
        assertThat(backend.attach(request("web-2", 7, FakeVfDriver.mac(2))).handle()).isEqualTo("0000:3b:00.0/vf0");
    }

    @Test
    void aRefusedVfProgramLeavesNothingBehind() {
        SriovBackend backend = backend(ENS1F0, true);
        driver.failSetVf(0, Errno.EOPNOTSUPP);

        assertThatThrownBy(() -> backend.attach(request("web-1", 42, FakeVfDriver.mac(1))))
                .isInstanceOf(BackendException.class).hasMessageContaining("refused VF 0 of ens1f0")
                .hasMessageContaining("Operation not supported")
                .satisfies(e -> assertThat(((BackendException) e).errno()).hasValue(Errno.EOPNOTSUPP.number()));
        assertThat(backend.pool().free()).isEqualTo(2);
        assertThat(sysfs.writes()).isEmpty();
        assertThat(driver.vf("ens1f0", 0).mac()).isEmpty();
    }

    @Test
    void aFailedVfioBindResetsTheVfAndFreesIt() {
        SriovBackend backend = backend(ENS1F0, true);
        sysfs.failWrites("bus/pci/drivers_probe", Errno.ENOMEM);

        assertThatThrownBy(() -> backend.attach(request("web-1", 42, FakeVfDriver.mac(1))))
                .isInstanceOf(BackendException.class).hasMessageContaining("0000:3b:00.0/vf0");

        assertThat(backend.pool().free()).isEqualTo(2);
        assertThat(driver.vf("ens1f0", 0).mac()).as("VF reset").isEmpty();
        assertThat(driver.vf("ens1f0", 0).vlan()).isEmpty();
        assertThat(sysfs.driverOf("0000:3b:00.2")).as("driver restored").contains("mlx5_core");
        assertThat(sysfs.content(VF0_DIR + "/driver_override")).isEqualTo("(null)\n");
    }

    @Test
    void selectorsChooseThePfAndAnEmptyPoolSaysSo() {
        SriovBackend numa1 = backend(VfSelector.parse(Map.of("numa-node", "1", "vendor", "0x8086"), "test"), false);

        assertThat(numa1.pool().capacity()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(numa1.attach(request("v" + i, 10, FakeVfDriver.mac(i))).details())
                    .containsEntry(SriovBackend.PF, "ens2f0");
        }
        assertThatThrownBy(() -> numa1.attach(request("v3", 10, FakeVfDriver.mac(3))))
                .isInstanceOf(BackendException.class).hasMessageContaining("no free VF: all 3 VFs");
        assertThat(sysfs.writes()).as("vfio off: no driver changes").isEmpty();
    }

    @Test
    void aVxlanNetworkIsRefusedBeforeAnythingHappens() {
        SriovBackend backend = backend(VfSelector.any(), false);
        AttachRequest r = request("web-1", 42, FakeVfDriver.mac(1));
        AttachRequest vxlan = new AttachRequest(r.spec(), HOST, "uplink0", Network.vxlan("net42", 5000),
                r.addresses());

        assertThatThrownBy(() -> backend.attach(vxlan)).isInstanceOf(BackendException.class)
                .hasMessageContaining("VXLAN").hasMessageContaining("VLAN networks only");
        assertThat(backend.pool().free()).isEqualTo(5);
        assertThat(driver.calls()).isEmpty();
    }

    @Test
    void discoverReportsWhatTheDriverHoldsSoTamperingShowsUp() {
        SriovBackend backend = backend(ENS1F0, false);
        Attachment a = backend.attach(request("web-1", 42, FakeVfDriver.mac(1)));
        driver.tamper("ens1f0", 0, VfConfig.forVf(0).vlan(VlanId.of(99)).build());
        driver.tamper("ens1f0", 1, VfConfig.forVf(1).mac(MacAddress.parse("02:00:00:00:00:99")).build());

        assertThat(backend.discover(HOST)).containsExactly(
                new DiscoveredPort(a.handle(), Optional.of(request("web-1", 42, FakeVfDriver.mac(1)).spec().id()),
                        Optional.of(FakeVfDriver.mac(1)), Optional.empty(), OptionalInt.of(99),
                        Optional.of(Bandwidth.ofMbps(2500))),
                new DiscoveredPort("0000:3b:00.0/vf1", Optional.empty(),
                        Optional.of(MacAddress.parse("02:00:00:00:00:99")), Optional.empty(), OptionalInt.of(0),
                        Optional.of(Bandwidth.ZERO)));
    }

    @Test
    void statsAreTheVfCountersFromTheVmsSide() {
        SriovBackend backend = backend(VfSelector.parse(Map.of("pf", "ens2f0"), "test"), false);
        backend.attach(request("a", 10, FakeVfDriver.mac(1)));
        Attachment b = backend.attach(request("b", 10, FakeVfDriver.mac(2)));

        var stats = backend.stats(b);

        assertThat(stats.rxPackets()).isEqualTo(10);
        assertThat(stats.txPackets()).isEqualTo(20);
        assertThat(stats.rxBytes()).isEqualTo(1000);
        assertThat(stats.txBytes()).isEqualTo(2000);
    }

    @Test
    void updateReprogramsAndUnknownHandlesAreClearErrors() {
        SriovBackend backend = backend(ENS1F0, false);
        Attachment a = backend.attach(request("web-1", 42, FakeVfDriver.mac(1)));

        backend.update(a, request("web-1", 43, FakeVfDriver.mac(1)));

        assertThat(driver.vf("ens1f0", 0).vlan()).contains(VlanId.of(43));
        assertThatThrownBy(() -> backend.stats(Attachment.of(a.vnic(), "h1/sriov", "0000:3b:00.0/vf9")))
                .isInstanceOf(BackendException.class).hasMessageContaining("no VF '0000:3b:00.0/vf9'");
    }

    // ------------------------------------------------------------------------------- restart (a new backend)

    private static RecordedAttachment record(AttachRequest request, Attachment attachment) {
        return new RecordedAttachment(request, attachment);
    }

    /** Attaches on one backend over ens1f0 (vfio off), closed afterwards as before a manager restart. */
    private List<Attachment> attachedBeforeARestart(AttachRequest... requests) {
        try (SriovBackend first = backend(ENS1F0, false)) {
            return Arrays.stream(requests).map(first::attach).toList();
        }
    }

    @Test
    void aVfWhosePfHasFewerVfsNowIsMissingAndOnlyTheVfThatExistsStaysReserved() {
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        AttachRequest rb = request("web-2", 42, FakeVfDriver.mac(2));
        List<Attachment> made = attachedBeforeARestart(ra, rb);
        Attachment a = made.get(0);
        Attachment b = made.get(1);
        // The administrator re-enables the PF with one VF: the kernel creates VF 0 afresh and VF 1 is gone.
        SriovControl.on(sysfs.sysfs()).setNumVfs(PciAddress.parse(PF0), 1);
        driver.pf("ens1f0", 1);

        SriovBackend second = backend(ENS1F0, false);
        RestoreReport report = second.restore(List.of(record(ra, a), record(rb, b)));

        assertThat(report.adopted()).isEmpty();
        assertThat(report.missing()).extracting(RestoreReport.Missing::handle, RestoreReport.Missing::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("0000:3b:00.0/vf0",
                                "VF 0 of ens1f0 carries no MAC (reset?), the vNIC's is 02:69:6f:00:00:01"),
                        org.assertj.core.groups.Tuple.tuple("0000:3b:00.0/vf1",
                                "VF 1 of PF 0000:3b:00.0 (ens1f0) is not enabled: the PF has 1 VF(s) enabled now [0]"));
        assertThat(second.pool().free()).as("VF 0 is kept for web-1").isZero();
        assertThatThrownBy(() -> second.attach(request("web-3", 42, FakeVfDriver.mac(3))))
                .hasMessageContaining("no free VF");
        Attachment repaired = second.attach(ra);
        assertThat(repaired.handle()).isEqualTo(a.handle());
        assertThat(driver.vf("ens1f0", 0).mac()).contains(FakeVfDriver.mac(1));
        second.detach(b); // nobody holds a VF that is gone: nothing to do
    }

    @Test
    void aVfWhosePfIsGoneIsMissingAndReservesNothing() throws Exception {
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        Attachment a = attachedBeforeARestart(ra).get(0);
        FakeSysfs withoutTheCard = FakeSysfs.builder().pf("0000:5e:00.0", Model.XL710).netdev("ens2f0").numaNode(1)
                .vfs(3).and().build(Files.createDirectories(root.resolve("after-the-card-went")));
        driver.removePf("ens1f0");

        SriovBackend second = SriovBackend.builder("h1/sriov")
                .sysfs(SriovDiscovery.on(withoutTheCard.sysfs()), SriovControl.on(withoutTheCard.sysfs()))
                .netlink(driver).build();
        RestoreReport report = second.restore(List.of(record(ra, a)));

        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .contains("PF 0000:3b:00.0 is not one of the PFs this backend takes VFs from [0000:5e:00.0]"));
        assertThat(second.pool().free()).isEqualTo(3);
        assertThat(second.attach(ra).details()).as("a repair takes a VF that exists")
                .containsEntry(SriovBackend.PF, "ens2f0");
    }

    @Test
    void aVlanChangedBehindTheBackendsBackIsAdoptedAndDiscoverShowsTheDrift() {
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        Attachment a = attachedBeforeARestart(ra).get(0);
        driver.tamper("ens1f0", 0, VfConfig.forVf(0).vlan(VlanId.of(99)).build());

        SriovBackend second = backend(ENS1F0, false);
        RestoreReport report = second.restore(List.of(record(ra, a)));

        assertThat(report.missing()).isEmpty();
        assertThat(report.adopted()).singleElement().satisfies(adopted -> {
            assertThat(adopted.handle()).isEqualTo(a.handle());
            assertThat(adopted.details()).as("the details describe what the vNIC is to have")
                    .containsEntry(SriovBackend.LIBVIRT_XML, a.details().get(SriovBackend.LIBVIRT_XML));
        });
        assertThat(second.discover(HOST)).singleElement().satisfies(p -> {
            assertThat(p.owner()).contains(a.vnic());
            assertThat(p.segment()).hasValue(99);
        });
    }

    @Test
    void aVfCarryingAnotherMacIsMissingAndStaysReservedForItsVnic() {
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        Attachment a = attachedBeforeARestart(ra).get(0);
        MacAddress other = MacAddress.parse("02:00:00:00:00:99");
        driver.tamper("ens1f0", 0, VfConfig.forVf(0).mac(other).build());

        SriovBackend second = backend(ENS1F0, false);
        RestoreReport report = second.restore(List.of(record(ra, a)));

        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .isEqualTo("VF 0 of ens1f0 carries MAC 02:00:00:00:00:99, not the vNIC's 02:69:6f:00:00:01"));
        assertThat(second.attach(request("web-3", 42, FakeVfDriver.mac(3))).handle()).isEqualTo("0000:3b:00.0/vf1");
        assertThatThrownBy(() -> second.attach(request("web-4", 42, FakeVfDriver.mac(4))))
                .hasMessageContaining("no free VF");
        assertThatThrownBy(() -> second.detach(Attachment.of(VnicId.of("web-3"), "h1/sriov", a.handle())))
                .isInstanceOf(OwnershipException.class).hasMessageContaining("belongs to vNIC 'web-1'");
        assertThat(driver.vf("ens1f0", 0).mac()).as("the refused detach changed nothing").contains(other);
        assertThat(second.attach(ra).handle()).as("the repair re-programs web-1's VF").isEqualTo(a.handle());
        assertThat(driver.vf("ens1f0", 0).mac()).contains(FakeVfDriver.mac(1));
    }

    @Test
    void theDriverAVfHadBeforeItsVfioBindIsGivenBackAfterARestart() throws Exception {
        // VF 0 was put on vfio-pci by the administrator before iov came: after iov's detach it must be there again.
        FakeSysfs preBound = FakeSysfs.builder().pf(PF0, Model.CONNECTX5).netdev("ens1f0").vfs(2)
                .vfDriver(0, "vfio-pci").and().build(Files.createDirectories(root.resolve("pre-bound")));
        sysfs = preBound;
        SriovBackend first = backend(ENS1F0, true);
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        AttachRequest rb = request("web-2", 42, FakeVfDriver.mac(2));
        Attachment a = first.attach(ra);
        Attachment b = first.attach(rb);
        assertThat(a.details()).containsEntry(SriovBackend.DRIVER_BEFORE, "vfio-pci");
        assertThat(b.details()).containsEntry(SriovBackend.DRIVER_BEFORE, "mlx5_core");
        first.close();

        SriovBackend second = backend(ENS1F0, true);
        RestoreReport report = second.restore(List.of(record(ra, a), record(rb, b)));
        second.detach(report.adopted().get(0));
        second.detach(Attachment.of(b.vnic(), "h1/sriov", b.handle()));

        assertThat(preBound.driverOf("0000:3b:00.2")).as("VF 0 back on vfio-pci").contains("vfio-pci");
        assertThat(preBound.driverOf("0000:3b:00.3")).as("VF 1 back on its own driver").contains("mlx5_core");
    }

    @Test
    void abandonLeavesAVfThatARestoredAttachmentHoldsAlone() {
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        Attachment a = attachedBeforeARestart(ra).get(0);

        SriovBackend second = backend(ENS1F0, false);
        second.restore(List.of(record(ra, a)));
        // A stale request that reuses web-1's MAC: the VF carrying it is web-1's, not the cut-short attach's.
        second.abandon(request("web-9", 42, FakeVfDriver.mac(1)));

        assertThat(driver.vf("ens1f0", 0).mac()).contains(FakeVfDriver.mac(1));
        assertThat(driver.vf("ens1f0", 0).vlan()).contains(VlanId.of(42));
    }

    @Test
    void restoreRefusesRecordsThatAreNotItsOwnBeforeReservingAnything() {
        SriovBackend backend = backend(VfSelector.any(), false);
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        Attachment good = new Attachment(ra.spec().id(), "h1/sriov", "0000:3b:00.0/vf0", Map.of());
        Attachment foreign = new Attachment(ra.spec().id(), "h2/sriov", "0000:3b:00.0/vf1", Map.of());
        Attachment garbled = new Attachment(ra.spec().id(), "h1/sriov", "ens1f0-vf1", Map.of());

        assertThatThrownBy(() -> backend.restore(List.of(record(ra, good), record(ra, foreign))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("made by backend 'h2/sriov'");
        assertThatThrownBy(() -> backend.restore(List.of(record(ra, good), record(ra, garbled))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ens1f0-vf1'");
        assertThat(backend.pool().free()).isEqualTo(5);
    }

    @Test
    void aRestoreTheKernelCannotAnswerReservesNothing() {
        AttachRequest ra = request("web-1", 42, FakeVfDriver.mac(1));
        Attachment a = attachedBeforeARestart(ra).get(0);
        SriovBackend second = backend(ENS1F0, false);
        driver.failNextRead(Errno.EPERM);

        assertThatThrownBy(() -> second.restore(List.of(record(ra, a)))).isInstanceOf(BackendException.class)
                .satisfies(e -> assertThat(((BackendException) e).errno()).hasValue(Errno.EPERM.number()));

        assertThat(second.pool().free()).isEqualTo(2);
        assertThat(second.discover(HOST)).singleElement().satisfies(p -> assertThat(p.owner()).isEmpty());
        assertThat(second.restore(List.of(record(ra, a))).adopted()).hasSize(1);
    }

    @Test
    void statsOfAnotherVnicsVfAreRefused() {
        SriovBackend backend = backend(ENS1F0, false);
        Attachment a = backend.attach(request("web-1", 42, FakeVfDriver.mac(1)));

        assertThatThrownBy(() -> backend.stats(Attachment.of(VnicId.of("web-2"), "h1/sriov", a.handle())))
                .isInstanceOf(OwnershipException.class).hasMessageContaining("belongs to vNIC 'web-1'");
    }
}
