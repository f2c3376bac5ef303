package dev.iov.sriov.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.linux.Errno;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend on a kernel-shaped sysfs tree and a model of the PF driver (this machine has no SR-IOV NIC). */
class SriovBackendTest {

    private static final HostId HOST = HostId.of("h1");
    private static final String PF0 = "0000:3b:00.0";
    private static final String VF0_DIR = "bus/pci/devices/0000:3b:00.2";

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
        SriovBackend backend = backend(VfSelector.parse(Map.of("pf", "ens1f0"), "test"), true);

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
        SriovBackend backend = backend(VfSelector.parse(Map.of("pf", "ens1f0"), "test"), true);
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
        SriovBackend backend = backend(VfSelector.parse(Map.of("pf", "ens1f0"), "test"), true);
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
        SriovBackend backend = backend(VfSelector.parse(Map.of("pf", "ens1f0"), "test"), true);
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
        SriovBackend backend = backend(VfSelector.parse(Map.of("pf", "ens1f0"), "test"), false);
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
        SriovBackend backend = backend(VfSelector.parse(Map.of("pf", "ens1f0"), "test"), false);
        Attachment a = backend.attach(request("web-1", 42, FakeVfDriver.mac(1)));

        backend.update(a, request("web-1", 43, FakeVfDriver.mac(1)));

        assertThat(driver.vf("ens1f0", 0).vlan()).contains(VlanId.of(43));
        assertThatThrownBy(() -> backend.stats(Attachment.of("h1/sriov", "0000:3b:00.0/vf9")))
                .isInstanceOf(BackendException.class).hasMessageContaining("no VF '0000:3b:00.0/vf9'");
    }
}
