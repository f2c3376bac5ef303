package dev.iov.sriov.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.Errno;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.linux.sysfs.SysfsException;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import dev.iov.sriov.sysfs.FakeSysfs.Write;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SriovControlTest {
    private static final PciAddress PF = PciAddress.parse("0000:3b:00.0");
    private static final PciAddress VF0 = PciAddress.parse("0000:3b:00.2");
    private static final String PF_DIR = "bus/pci/devices/0000:3b:00.0";
    private static final String VF0_DIR = "bus/pci/devices/0000:3b:00.2";
    private static final String NUMVFS = PF_DIR + "/sriov_numvfs";

    @TempDir
    Path tmp;

    /** The tree's root; a test that needs a different tree builds a second one next to the first. */
    private Path root;

    private FakeSysfs fake;
    private SriovControl control;
    private SriovDiscovery discovery;

    @BeforeEach
    void host() {
        build(FakeSysfs.builder());
    }

    private void build(FakeSysfs.Builder builder) {
        try {
            root = Files.createTempDirectory(tmp, "sys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fake = builder.pf(PF.toString(), Model.CONNECTX5).netdev("ens1f0").totalVfs(16).vfs(12).and().build(root);
        control = SriovControl.on(fake.sysfs());
        discovery = SriovDiscovery.on(fake.sysfs());
    }

    private PhysicalFunction pf() {
        return discovery.physicalFunction(PF).orElseThrow();
    }

    @Test
    void changingTheVfCountWritesZeroFirstThenTheNewCount() {
        control.setNumVfs(PF, 4);

        assertThat(fake.writes()).containsExactly(new Write(NUMVFS, "0"), new Write(NUMVFS, "4"));
        assertThat(fake.content(NUMVFS)).isEqualTo("4\n");
        assertThat(pf().virtualFunctions()).extracting(VirtualFunction::netdev).containsExactly(
                Optional.of(InterfaceName.of("ens1f0v0")), Optional.of(InterfaceName.of("ens1f0v1")),
                Optional.of(InterfaceName.of("ens1f0v2")), Optional.of(InterfaceName.of("ens1f0v3")));
    }

    @Test
    void theFakeKernelRefusesANonZeroToNonZeroChangeLikeTheRealOne() {
        assertThatThrownBy(() -> fake.sysfs().write(NUMVFS, "4")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("Device or resource busy");
        assertThatThrownBy(() -> fake.sysfs().write(NUMVFS, "17")).isInstanceOf(SysfsException.class)
                .hasMessageContaining("Numerical result out of range");
    }

    @Test
    void enablingFromZeroAndDisablingAreOneWriteAndTheSameCountIsNone() {
        control.setNumVfs(PF, 0);
        control.setNumVfs(PF, 0);
        control.setNumVfs(PF, 16);
        control.setNumVfs(PF, 16);

        assertThat(fake.writes()).containsExactly(new Write(NUMVFS, "0"), new Write(NUMVFS, "16"));
        assertThat(pf().virtualFunctions()).hasSize(16);
    }

    @Test
    void aCountAboveTotalVfsIsRefusedBeforeWriting() {
        assertThatThrownBy(() -> control.setNumVfs(PF, 17)).isInstanceOf(SriovException.class)
                .hasMessageContaining("0000:3b:00.0").hasMessageContaining("at most 16")
                .hasMessageContaining("17 requested");
        assertThatThrownBy(() -> control.setNumVfs(PF, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");

        assertThat(fake.writes()).isEmpty();
        assertThat(pf().numVfs()).isEqualTo(12);
    }

    @Test
    void ebusyIsReportedAsVfsInUseNamingThePf() {
        fake.failWrites(NUMVFS, Errno.EBUSY);

        assertThatThrownBy(() -> control.setNumVfs(PF, 0)).isInstanceOf(VfsInUseException.class)
                .hasMessageStartingWith("VFs in use: PF 0000:3b:00.0")
                .hasMessageContaining(root.resolve(NUMVFS).toString()).hasMessageContaining("EBUSY");
        assertThat(pf().virtualFunctions()).hasSize(12);
    }

    @Test
    void whenTheNewCountIsRefusedThePreviousCountIsRestored() {
        fake.failWrites(NUMVFS, "4", Errno.ENOMEM);

        assertThatThrownBy(() -> control.setNumVfs(PF, 4)).isInstanceOf(SriovException.class)
                .isNotInstanceOf(VfsInUseException.class).hasMessageContaining("0000:3b:00.0")
                .hasMessageContaining("from 0 to 4").hasMessageContaining("Cannot allocate memory");

        assertThat(fake.writes()).containsExactly(new Write(NUMVFS, "0"), new Write(NUMVFS, "4"),
                new Write(NUMVFS, "12"));
        assertThat(pf().virtualFunctions()).hasSize(12);
    }

    @Test
    void driversAutoprobeOffLeavesNewVfsWithoutDriver() {
        control.setDriversAutoprobe(PF, false);
        assertThat(fake.content(PF_DIR + "/sriov_drivers_autoprobe")).isEqualTo("0\n");
        assertThat(control.driversAutoprobe(PF)).isFalse();

        control.setNumVfs(PF, 2);

        assertThat(pf().virtualFunctions()).extracting(VirtualFunction::driver)
                .containsExactly(Optional.empty(), Optional.empty());
        control.setDriversAutoprobe(PF, true);
        assertThat(control.driversAutoprobe(PF)).isTrue();
        assertThat(fake.writes()).first().isEqualTo(new Write(PF_DIR + "/sriov_drivers_autoprobe", "0"));
    }

    @Test
    void bindsAVfToVfioAndBackInTheKernelsOrder() {
        control.bindToVfio(VF0);

        assertThat(fake.writes()).containsExactly(new Write(VF0_DIR + "/driver_override", "vfio-pci"),
                new Write("bus/pci/drivers/mlx5_core/unbind", "0000:3b:00.2"),
                new Write("bus/pci/drivers_probe", "0000:3b:00.2"));
        VirtualFunction vf = pf().virtualFunction(0).orElseThrow();
        assertThat(vf.boundToVfio()).isTrue();
        assertThat(vf.netdev()).isEmpty();
        assertThat(fake.content(VF0_DIR + "/driver_override")).isEqualTo("vfio-pci\n");

        fake.clearWrites();
        control.bindToVfio(VF0);
        assertThat(fake.writes()).isEmpty();

        assertThat(control.releaseToDefaultDriver(VF0)).contains("mlx5_core");
        assertThat(fake.writes()).containsExactly(new Write(VF0_DIR + "/driver_override", "\n"),
                new Write("bus/pci/drivers/vfio-pci/unbind", "0000:3b:00.2"),
                new Write("bus/pci/drivers_probe", "0000:3b:00.2"));
        assertThat(fake.content(VF0_DIR + "/driver_override")).isEqualTo("(null)\n");
        assertThat(pf().virtualFunction(0).orElseThrow().netdev()).contains(InterfaceName.of("ens1f0v0"));

        fake.clearWrites();
        assertThat(control.releaseToDefaultDriver(VF0)).contains("mlx5_core");
        assertThat(fake.writes()).isEmpty();
    }

    @Test
    void anUnboundVfIsBoundWithoutAnUnbind() {
        fake.sysfs().write("bus/pci/drivers/mlx5_core/unbind", VF0.toString());
        fake.clearWrites();

        control.bindToVfio(VF0);

        assertThat(fake.writes()).extracting(Write::file).containsExactly(VF0_DIR + "/driver_override",
                "bus/pci/drivers_probe");
        assertThat(fake.driverOf(VF0.toString())).contains("vfio-pci");
    }

    @Test
    void whenVfioIsNotLoadedTheBindIsRolledBack() {
        build(FakeSysfs.builder().unloaded("vfio-pci"));

        assertThatThrownBy(() -> control.bindToVfio(VF0)).isInstanceOf(SriovException.class)
                .hasMessageContaining("0000:3b:00.2").hasMessageContaining("no driver is bound, not vfio-pci");

        assertThat(fake.writes()).containsExactly(new Write(VF0_DIR + "/driver_override", "vfio-pci"),
                new Write("bus/pci/drivers/mlx5_core/unbind", "0000:3b:00.2"),
                new Write("bus/pci/drivers_probe", "0000:3b:00.2"),
                new Write(VF0_DIR + "/driver_override", "\n"),
                new Write("bus/pci/drivers/mlx5_core/bind", "0000:3b:00.2"));
        assertThat(fake.content(VF0_DIR + "/driver_override")).isEqualTo("(null)\n");
        assertThat(pf().virtualFunction(0).orElseThrow().driver()).contains("mlx5_core");
        assertThat(pf().virtualFunction(0).orElseThrow().netdev()).contains(InterfaceName.of("ens1f0v0"));
    }

    @Test
    void whenTheUnbindFailsTheOverrideIsRestored() {
        fake.failWrites("bus/pci/drivers/mlx5_core/unbind", Errno.EIO);

        assertThatThrownBy(() -> control.bindToVfio(VF0)).isInstanceOf(SriovException.class)
                .hasMessageContaining(root.resolve("bus/pci/drivers/mlx5_core/unbind").toString())
                .hasMessageContaining("Input/output error");

        assertThat(fake.content(VF0_DIR + "/driver_override")).isEqualTo("(null)\n");
        assertThat(fake.driverOf(VF0.toString())).contains("mlx5_core");
        assertThat(fake.writes()).last().isEqualTo(new Write(VF0_DIR + "/driver_override", "\n"));
    }

    @Test
    void whenTheReleaseProbeFailsVfioIsRestored() {
        control.bindToVfio(VF0);
        fake.clearWrites();
        fake.failWrites("bus/pci/drivers_probe", Errno.ENOMEM);

        assertThatThrownBy(() -> control.releaseToDefaultDriver(VF0)).isInstanceOf(SriovException.class)
                .hasMessageContaining("drivers_probe");

        assertThat(fake.content(VF0_DIR + "/driver_override")).isEqualTo("vfio-pci\n");
        assertThat(fake.driverOf(VF0.toString())).contains("vfio-pci");
        assertThat(fake.writes()).extracting(Write::toString).endsWith(
                VF0_DIR + "/driver_override <- 'vfio-pci'", "bus/pci/drivers/vfio-pci/bind <- '0000:3b:00.2'");
    }

    @Test
    void badInputIsRefusedBeforeAnyWrite() {
        assertThatThrownBy(() -> control.bindDriver(VF0, "../../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../../x'");
        assertThatThrownBy(() -> control.bindDriver(VF0, "")).isInstanceOf(IllegalArgumentException.class);
        PciAddress missing = PciAddress.parse("0000:99:00.0");
        assertThatThrownBy(() -> control.bindToVfio(missing)).isInstanceOf(SriovException.class)
                .hasMessageContaining(root.resolve("bus/pci/devices/0000:99:00.0").toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> control.setNumVfs(VF0, 1)).isInstanceOf(SriovException.class)
                .hasMessageContaining("0000:3b:00.2 is not an SR-IOV physical function")
                .hasMessageContaining(root.resolve(VF0_DIR + "/sriov_totalvfs").toString());
        assertThatThrownBy(() -> control.setDriversAutoprobe(missing, true)).isInstanceOf(SriovException.class)
                .hasMessageContaining("no PCI device 0000:99:00.0");

        assertThat(fake.writes()).isEmpty();
    }

    @Test
    void onThisHostAWriteForAMissingPciDeviceFailsNamingThePath() {
        // Read-only for this host: the device does not exist, so every open fails before anything is written.
        PciAddress missing = PciAddress.parse("ffff:ff:1f.7");
        Sysfs system = Sysfs.system();
        Assumptions.assumeTrue(system.exists("bus/pci/devices"), "no /sys/bus/pci on this host");
        Assumptions.assumeFalse(system.exists("bus/pci/devices/" + missing), missing + " exists here");

        assertThatThrownBy(() -> system.write("bus/pci/devices/" + missing + "/driver_override", "vfio-pci"))
                .isInstanceOf(SysfsException.class)
                .hasMessageContaining("/sys/bus/pci/devices/ffff:ff:1f.7/driver_override")
                .hasMessageContaining("no such file")
                .satisfies(e -> assertThat(((SysfsException) e).errno()).hasValue(Errno.ENOENT.number()));
        assertThatThrownBy(() -> SriovControl.system().bindToVfio(missing)).isInstanceOf(SriovException.class)
                .hasMessageContaining("/sys/bus/pci/devices/ffff:ff:1f.7 does not exist");
        assertThatThrownBy(() -> SriovControl.system().setNumVfs(missing, 1)).isInstanceOf(SriovException.class)
                .hasMessageContaining("/sys/bus/pci/devices/ffff:ff:1f.7 does not exist");
    }

    @Test
    void onThisHostADeviceWithoutSriovIsNotAPf() {
        Sysfs system = Sysfs.system();
        String candidate = system.list("bus/pci/devices").stream()
                .filter(d -> !system.exists("bus/pci/devices/" + d + "/sriov_totalvfs")).findFirst().orElse(null);
        Assumptions.assumeTrue(candidate != null, "no PCI device without SR-IOV on this host");

        assertThatThrownBy(() -> SriovControl.system().setNumVfs(PciAddress.parse(candidate), 1))
                .isInstanceOf(SriovException.class).hasMessageContaining("is not an SR-IOV physical function")
                .hasMessageContaining("/sys/bus/pci/devices/" + candidate + "/sriov_totalvfs");
    }
}
