package dev.iov.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.linux.sysfs.SysfsException;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SriovDiscoveryTest {
    private static final PciAddress CX5 = PciAddress.parse("0000:3b:00.0");
    private static final PciAddress XL710 = PciAddress.parse("0000:5e:00.0");
    private static final PciAddress NVME = PciAddress.parse("0000:86:00.0");
    private static final PciAddress IB = PciAddress.parse("0000:af:00.0");
    private static final PciAddress UNBOUND = PciAddress.parse("0000:d8:00.0");
    private static final PciAddress ONBOARD = PciAddress.parse("0000:00:1f.6");

    @TempDir
    Path root;

    private FakeSysfs fake;
    private SriovDiscovery discovery;

    /** One host with every case: two vendors, >10 VFs, vfio-pci and unbound VFs, IB, a driverless PF, NVMe. */
    @BeforeEach
    void host() {
        fake = FakeSysfs.builder()
                .pf(CX5.toString(), Model.CONNECTX5).netdev("ens1f0").numaNode(1).totalVfs(16).vfs(12)
                .vfDriver(3, "vfio-pci").vfDriver(5, null).and()
                .pf(XL710.toString(), Model.XL710).netdev("ens2f0").totalVfs(64).vfs(2).and()
                .pf(NVME.toString(), Model.NVME).totalVfs(32).vfs(4).and()
                .pf(IB.toString(), Model.CONNECTX5_IB).netdev("ibp175s0").totalVfs(8).vfs(1).and()
                .pf(UNBOUND.toString(), Model.CONNECTX5).netdev("ens3f0").noDriver().totalVfs(4).and()
                .device(ONBOARD.toString(), new PciId(0x8086, 0x15bb), 0x020000, "e1000e", "eno1")
                .build(root);
        discovery = SriovDiscovery.on(fake.sysfs());
    }

    @Test
    void findsOnlySriovNetworkFunctionsInAddressOrder() {
        assertThat(discovery.physicalFunctions()).extracting(PhysicalFunction::address)
                .containsExactly(CX5, XL710, IB, UNBOUND);
    }

    @Test
    void readsTheMellanoxPfAndItsTwelveVfsInNumericOrder() {
        PhysicalFunction pf = discovery.physicalFunction(CX5).orElseThrow();

        assertThat(pf.id()).isEqualTo(new PciId(0x15b3, 0x1017));
        assertThat(pf.id()).hasToString("15b3:1017");
        assertThat(pf.classCode()).isEqualTo(0x020000);
        assertThat(pf.infiniBand()).isFalse();
        assertThat(pf.driver()).contains("mlx5_core");
        assertThat(pf.netdev()).contains(InterfaceName.of("ens1f0"));
        assertThat(pf.numaNode()).isEqualTo(1);
        assertThat(pf.totalVfs()).isEqualTo(16);
        assertThat(pf.numVfs()).isEqualTo(12);
        assertThat(pf.virtualFunctions()).extracting(VirtualFunction::index)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // virtfn10 is 0x2 + 10 = routing ID 12 = device 1 function 4; listed as text it would come after virtfn1.
        assertThat(pf.virtualFunctions().get(10).address()).isEqualTo(PciAddress.parse("0000:3b:01.4"));
        assertThat(pf.virtualFunctions().get(0)).isEqualTo(new VirtualFunction(0, PciAddress.parse("0000:3b:00.2"),
                new PciId(0x15b3, 0x1018), Optional.of("mlx5_core"), Optional.of(InterfaceName.of("ens1f0v0"))));
    }

    @Test
    void aVfOnVfioHasNoNetdevAndAnUnboundVfHasNeither() {
        PhysicalFunction pf = discovery.physicalFunction(CX5).orElseThrow();

        VirtualFunction vfio = pf.virtualFunction(3).orElseThrow();
        assertThat(vfio.driver()).contains("vfio-pci");
        assertThat(vfio.boundToVfio()).isTrue();
        assertThat(vfio.netdev()).isEmpty();
        VirtualFunction unbound = pf.virtualFunction(5).orElseThrow();
        assertThat(unbound.driver()).isEmpty();
        assertThat(unbound.netdev()).isEmpty();
        assertThat(unbound.boundToVfio()).isFalse();
        assertThat(pf.virtualFunction(12)).isEmpty();
    }

    @Test
    void readsTheIntelPfWithIavfVfs() {
        PhysicalFunction pf = discovery.physicalFunction(XL710).orElseThrow();

        assertThat(pf.id()).isEqualTo(new PciId(0x8086, 0x1572));
        assertThat(pf.driver()).contains("i40e");
        assertThat(pf.numaNode()).isEqualTo(-1);
        assertThat(pf.totalVfs()).isEqualTo(64);
        assertThat(pf.virtualFunctions()).extracting(VirtualFunction::address, VirtualFunction::id,
                VirtualFunction::driver).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(PciAddress.parse("0000:5e:02.0"),
                                new PciId(0x8086, 0x154c), Optional.of("iavf")),
                        org.assertj.core.groups.Tuple.tuple(PciAddress.parse("0000:5e:02.1"),
                                new PciId(0x8086, 0x154c), Optional.of("iavf")));
    }

    @Test
    void infiniBandPfsAreNetworkFunctions() {
        PhysicalFunction pf = discovery.physicalFunction(IB).orElseThrow();

        assertThat(pf.classCode()).isEqualTo(0x020700);
        assertThat(pf.infiniBand()).isTrue();
        assertThat(pf.netdev()).contains(InterfaceName.of("ibp175s0"));
        assertThat(pf.virtualFunctions()).hasSize(1);
    }

    @Test
    void aPfWithoutDriverHasNoNetdevAndNoVfs() {
        PhysicalFunction pf = discovery.physicalFunction(UNBOUND).orElseThrow();

        assertThat(pf.driver()).isEmpty();
        assertThat(pf.netdev()).isEmpty();
        assertThat(pf.numVfs()).isZero();
        assertThat(pf.virtualFunctions()).isEmpty();
    }

    @Test
    void nonNetworkSriovDevicesVfsAndPlainDevicesAreNotPfs() {
        assertThat(discovery.physicalFunction(NVME)).isEmpty();
        assertThat(discovery.physicalFunction(PciAddress.parse("0000:3b:00.2"))).isEmpty();
        assertThat(discovery.physicalFunction(ONBOARD)).isEmpty();
        assertThat(discovery.physicalFunction(PciAddress.parse("0000:01:00.0"))).isEmpty();
    }

    @Test
    void findsThePfBehindANetdev() {
        assertThat(discovery.physicalFunction(InterfaceName.of("ens1f0"))).map(PhysicalFunction::address)
                .contains(CX5);
        assertThat(discovery.physicalFunction(InterfaceName.of("ibp175s0"))).map(PhysicalFunction::address)
                .contains(IB);
        assertThat(discovery.physicalFunction(InterfaceName.of("ens1f0v0"))).isEmpty();
        assertThat(discovery.physicalFunction(InterfaceName.of("eno1"))).isEmpty();
        assertThat(discovery.physicalFunction(InterfaceName.of("nope0"))).isEmpty();
    }

    @Test
    void malformedAttributesNameTheFile() throws IOException {
        Path pfDir = root.resolve("bus/pci/devices/" + CX5);
        Files.writeString(pfDir.resolve("vendor"), "15b3\n");

        assertThatThrownBy(discovery::physicalFunctions).isInstanceOf(SysfsException.class)
                .hasMessageContaining(pfDir.resolve("vendor").toString()).hasMessageContaining("'15b3'");

        Files.writeString(pfDir.resolve("vendor"), "0x15b3\n");
        Files.writeString(pfDir.resolve("sriov_numvfs"), "17\n");
        assertThatThrownBy(() -> discovery.physicalFunction(CX5)).isInstanceOf(SysfsException.class)
                .hasMessageContaining(pfDir.resolve("sriov_numvfs").toString()).hasMessageContaining("0..16");
    }

    @Test
    void aVirtfnLinkToSomethingThatIsNotAPciAddressNamesTheLink() throws IOException {
        Path pfDir = root.resolve("bus/pci/devices/" + CX5);
        Files.createSymbolicLink(pfDir.resolve("virtfn12"), Path.of("../not-a-device"));

        assertThatThrownBy(() -> discovery.physicalFunction(CX5)).isInstanceOf(SysfsException.class)
                .hasMessageContaining(pfDir.resolve("virtfn12").toString()).hasMessageContaining("'not-a-device'");
    }

    @Test
    void aDanglingVirtfnLinkIsSkipped() throws IOException {
        Path pfDir = root.resolve("bus/pci/devices/" + CX5);
        Files.createSymbolicLink(pfDir.resolve("virtfn12"), Path.of("../0000:3b:01.6"));

        assertThat(discovery.physicalFunction(CX5).orElseThrow().virtualFunctions()).hasSize(12);
    }

    @Test
    void theTreeIsLaidOutWithTheKernelsRelativeLinksAndFormats() throws IOException {
        Path pf = root.resolve("bus/pci/devices/" + CX5);
        assertThat(Files.readSymbolicLink(pf)).hasToString("../../../devices/pci0000:00/0000:00:02.0/0000:3b:00.0");
        assertThat(Files.readSymbolicLink(pf.resolve("driver"))).hasToString("../../../../bus/pci/drivers/mlx5_core");
        assertThat(Files.readSymbolicLink(pf.resolve("virtfn10"))).hasToString("../0000:3b:01.4");
        assertThat(Files.readSymbolicLink(root.resolve("bus/pci/devices/0000:3b:01.4/physfn")))
                .hasToString("../0000:3b:00.0");
        assertThat(Files.readSymbolicLink(root.resolve("class/net/ens1f0")))
                .hasToString("../../devices/pci0000:00/0000:00:02.0/0000:3b:00.0/net/ens1f0");
        assertThat(root.resolve("class/net/ens1f0/device").toRealPath()).isEqualTo(pf.toRealPath());
        assertThat(pf.resolve("driver").toRealPath()).isEqualTo(root.resolve("bus/pci/drivers/mlx5_core")
                .toRealPath());
        assertThat(fake.content("bus/pci/devices/" + CX5 + "/vendor")).isEqualTo("0x15b3\n");
        assertThat(fake.content("bus/pci/devices/" + CX5 + "/class")).isEqualTo("0x020000\n");
        assertThat(fake.content("bus/pci/devices/" + CX5 + "/numa_node")).isEqualTo("1\n");
        assertThat(fake.content("bus/pci/devices/" + CX5 + "/driver_override")).isEqualTo("(null)\n");
        assertThat(fake.content("bus/pci/devices/" + CX5 + "/sriov_vf_device")).isEqualTo("1018\n");
        assertThat(fake.content("bus/pci/devices/0000:3b:00.5/driver_override")).isEqualTo("vfio-pci\n");
        assertThat(fake.content("bus/pci/devices/" + NVME + "/class")).isEqualTo("0x010802\n");
        assertThat(Files.exists(root.resolve("bus/pci/devices/0000:3b:00.2/sriov_totalvfs"))).isFalse();
        for (String attribute : List.of("bind", "unbind", "new_id")) {
            assertThat(root.resolve("bus/pci/drivers/vfio-pci/" + attribute)).isRegularFile();
        }
        assertThat(root.resolve("bus/pci/drivers_probe")).isRegularFile();
    }

    @Test
    void thisHostsSysfsIsReadWithoutErrorsAndEveryPfFoundIsReal() {
        Sysfs system = Sysfs.system();
        List<PhysicalFunction> found = SriovDiscovery.system().physicalFunctions();

        for (PhysicalFunction pf : found) {
            String dir = "bus/pci/devices/" + pf.address();
            assertThat(system.readInt(dir + "/sriov_totalvfs")).isEqualTo(pf.totalVfs());
            assertThat((int) system.readHex(dir + "/class") >>> 16).isEqualTo(0x02);
        }
        // Every SR-IOV capable network device of this host is found (none on the build machine).
        long expected = system.list("bus/pci/devices").stream()
                .filter(d -> system.exists("bus/pci/devices/" + d + "/sriov_totalvfs"))
                .filter(d -> ((int) system.readHex("bus/pci/devices/" + d + "/class") >>> 16) == 0x02)
                .filter(d -> system.readInt("bus/pci/devices/" + d + "/sriov_totalvfs") > 0).count();
        assertThat(found).hasSize((int) expected);
    }
}
