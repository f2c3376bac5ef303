package dev.iov.infiniband.hca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.NumberedState;
import dev.iov.linux.sysfs.SysfsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HcaDiscovery} on {@link FakeIbSysfs#example}, a tree laid out and formatted as the kernel does. */
class HcaDiscoveryTest {

    @TempDir
    Path root;

    private FakeIbSysfs fake;
    private List<Hca> hcas;

    @BeforeEach
    void discover() {
        fake = FakeIbSysfs.example(root);
        hcas = HcaDiscovery.at(root).hcas();
    }

    @Test
    void findsEveryDeviceInNameOrder() {
        assertThat(hcas).extracting(Hca::name).containsExactly("mlx5_0", "mlx5_1", "rxe0");
    }

    @Test
    void readsTheDeviceAttributes() {
        Hca mlx5 = hcas.get(0);

        assertThat(mlx5.pci()).contains(PciAddress.parse("0000:86:00.0"));
        assertThat(mlx5.nodeGuid()).isEqualTo(Guid.of(0xb8599f0300d41a2cL));
        assertThat(mlx5.nodeType()).isEqualTo(new NumberedState(1, "CA"));
        assertThat(mlx5.firmware()).contains("20.39.1002");
        assertThat(mlx5.ports()).extracting(HcaPort::number).containsExactly(1, 2);
        assertThat(mlx5.vfGuidPolicies()).isEmpty();
    }

    @Test
    void readsAnActiveInfiniBandPort() {
        HcaPort port = hcas.get(0).port(1).orElseThrow();

        assertThat(port.state()).isEqualTo(new NumberedState(4, "ACTIVE"));
        assertThat(port.physicalState()).isEqualTo(new NumberedState(5, "LinkUp"));
        assertThat(port.rate()).isEqualTo("200 Gb/sec (4X HDR)");
        assertThat(port.lid()).isEqualTo(0x17);
        assertThat(port.smLid()).isEqualTo(1);
        assertThat(port.linkLayer()).isEqualTo("InfiniBand");
        assertThat(port.isInfiniBand()).isTrue();
        assertThat(port.pkeys()).containsExactly(PKey.DEFAULT, PKey.of(0x8001));
        assertThat(port.gids()).containsExactly(Map.entry(0, Gid.parse("fe80:0000:0000:0000:b859:9f03:00d4:1a2c")));
        assertThat(port.gids().get(0).interfaceId()).isEqualTo(FakeIbSysfs.MLX5_0_GUID);
    }

    @Test
    void readsARoCEPort() {
        HcaPort port = hcas.get(0).port(2).orElseThrow();

        assertThat(port.linkLayer()).isEqualTo("Ethernet");
        assertThat(port.isInfiniBand()).isFalse();
        assertThat(port.state()).isEqualTo(new NumberedState(1, "DOWN"));
        assertThat(port.physicalState()).isEqualTo(new NumberedState(3, "Disabled"));
        assertThat(port.rate()).isEqualTo("40 Gb/sec (4X QDR)");
        assertThat(port.lid()).isZero();
        assertThat(port.pkeys()).containsExactly(PKey.DEFAULT);
        assertThat(port.gids()).containsOnlyKeys(0);
    }

    @Test
    void readsVfGuidPoliciesInVfOrder() {
        Hca pf = hcas.get(1);

        assertThat(pf.vfGuidPolicies()).containsExactly(
                new VfGuidPolicy(0, Guid.of(0x0011223344556677L), Guid.of(0x0011223344556678L),
                        VfPortPolicy.FOLLOW),
                new VfGuidPolicy(1, Guid.ZERO, Guid.ZERO, VfPortPolicy.DOWN));
        assertThat(fake.content("class/infiniband/mlx5_1/device/sriov/0/node")).isEqualTo("00:11:22:33:44:55:66:77\n");
    }

    @Test
    void aSoftwareDeviceHasNoPciAddressAndNoFirmware() {
        Hca rxe = hcas.get(2);

        assertThat(rxe.pci()).isEmpty();
        assertThat(rxe.firmware()).isEmpty();
        assertThat(rxe.port(1).orElseThrow().pkeys()).containsExactly(PKey.DEFAULT);
        assertThat(rxe.vfGuidPolicies()).isEmpty();
    }

    @Test
    void pkeysKeepIndexOrderAndSkipEmptySlotsAnywhere() {
        Path other = root.resolve("other");
        FakeIbSysfs.builder().hca("mlx5_0").pci("0000:01:00.0").port(1)
                .pkeys(0x8001, 0, 0x7fff, 0x8000, 0x0002, 0xffff).pkeyTableSize(16).and().and().build(other);

        HcaPort port = HcaDiscovery.at(other).hcas().get(0).port(1).orElseThrow();

        assertThat(port.pkeys()).containsExactly(PKey.of(0x8001), PKey.of(0x7fff), PKey.of(0x0002), PKey.DEFAULT);
    }

    @Test
    void slotsBeyondNineSortByNumber() {
        Path other = root.resolve("other");
        int[] table = new int[12];
        table[2] = 0x8002;
        table[10] = 0x800a;
        table[11] = 0x800b;
        FakeIbSysfs.builder().hca("mlx5_0").pci("0000:01:00.0").port(1).pkeys(table).and().and().build(other);

        assertThat(HcaDiscovery.at(other).hcas().get(0).port(1).orElseThrow().pkeys())
                .containsExactly(PKey.of(0x8002), PKey.of(0x800a), PKey.of(0x800b));
    }

    @Test
    void devicesSortByNumberNotText() {
        Path other = root.resolve("other");
        FakeIbSysfs.builder().hca("mlx5_10").and().hca("mlx5_2").and().hca("mlx5_1").and().build(other);

        assertThat(HcaDiscovery.at(other).hcas()).extracting(Hca::name).containsExactly("mlx5_1", "mlx5_2", "mlx5_10");
    }

    @Test
    void findsOneDeviceByName() {
        HcaDiscovery discovery = HcaDiscovery.at(root);

        assertThat(discovery.hca("mlx5_1")).contains(hcas.get(1));
        assertThat(discovery.hca("mlx5_9")).isEmpty();
        assertThatThrownBy(() -> discovery.hca("../x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'../x'");
    }

    @Test
    void aTreeWithoutInfinibandClassHasNoHcas() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));

        assertThat(HcaDiscovery.at(empty).hcas()).isEmpty();
    }

    @Test
    void aMalformedNodeGuidNamesTheFile() {
        fake.write("class/infiniband/mlx5_0/node_guid", "b859:9f03:00d4\n".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> HcaDiscovery.at(root).hcas()).isInstanceOf(SysfsException.class)
                .hasMessageContaining("class/infiniband/mlx5_0/node_guid")
                .hasMessageContaining("'b859:9f03:00d4'");
    }

    @Test
    void aLidAbove16BitsNamesTheFile() {
        fake.write("class/infiniband/mlx5_0/ports/1/lid", "0x10000\n".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> HcaDiscovery.at(root).hcas()).isInstanceOf(SysfsException.class)
                .hasMessageContaining("ports/1/lid").hasMessageContaining("16-bit LID");
    }

    @Test
    void anUnknownVfPolicyNamesTheFile() {
        fake.write("class/infiniband/mlx5_1/device/sriov/1/policy", "Sideways\n".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> HcaDiscovery.at(root).hcas()).isInstanceOf(SysfsException.class)
                .hasMessageContaining("sriov/1/policy").hasMessageContaining("'Sideways'");
    }

    @Test
    void aMissingPortFileNamesIt() throws Exception {
        Files.delete(root.resolve("class/infiniband/mlx5_0/ports/2/link_layer"));

        assertThatThrownBy(() -> HcaDiscovery.at(root).hcas()).isInstanceOf(SysfsException.class)
                .hasMessageContaining("ports/2/link_layer").hasMessageContaining("does not exist");
    }

    @Test
    void theKernelsInvalidPolicyWordIsAValue() {
        fake.write("class/infiniband/mlx5_1/device/sriov/1/policy",
                "Invalid policy\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(HcaDiscovery.at(root).hcas().get(1).vfGuidPolicies().get(1).policy())
                .isEqualTo(VfPortPolicy.INVALID);
    }

    @Test
    void anEthernetModeVfWithoutGuidFilesIsSkipped() throws Exception {
        Files.createDirectories(root.resolve("class/infiniband/mlx5_1/device/sriov/2"));
        Files.createDirectories(root.resolve("class/infiniband/mlx5_1/device/sriov/pf"));

        assertThat(HcaDiscovery.at(root).hcas().get(1).vfGuidPolicies()).extracting(VfGuidPolicy::vf)
                .containsExactly(0, 1);
    }

    @Test
    void aNonPciParentGivesNoPciAddress() throws Exception {
        Path virtio = Files.createDirectories(root.resolve("devices/virtio0"));
        Path link = root.resolve("class/infiniband/rxe0/device");
        Files.createSymbolicLink(link, Path.of("../../../virtio0"));

        assertThat(HcaDiscovery.at(root).hca("rxe0").orElseThrow().pci()).isEqualTo(Optional.empty());
    }

    @Test
    void theLayoutIsTheKernels() throws Exception {
        assertThat(Files.readSymbolicLink(root.resolve("class/infiniband/mlx5_0")).toString())
                .isEqualTo("../../devices/pci0000:00/0000:00:02.0/0000:86:00.0/infiniband/mlx5_0");
        assertThat(root.resolve("class/infiniband/mlx5_0/device").toRealPath())
                .isEqualTo(root.resolve("devices/pci0000:00/0000:00:02.0/0000:86:00.0").toRealPath());
        assertThat(fake.content("class/infiniband/mlx5_0/ports/1/pkeys/1")).isEqualTo("0x8001\n");
        assertThat(fake.content("class/infiniband/mlx5_0/ports/1/pkeys/127")).isEqualTo("0x0000\n");
        assertThat(fake.content("class/infiniband/mlx5_0/ports/1/state")).isEqualTo("4: ACTIVE\n");
        assertThat(fake.content("class/infiniband/mlx5_0/ports/1/lid")).isEqualTo("0x17\n");
        assertThat(fake.content("class/infiniband/mlx5_0/node_guid")).isEqualTo("b859:9f03:00d4:1a2c\n");
        assertThat(fake.content("class/infiniband/mlx5_0/ports/1/gids/1"))
                .isEqualTo("0000:0000:0000:0000:0000:0000:0000:0000\n");
    }

    @Test
    void theHostsRealSysfsIsReadWithoutError() {
        // Read-only. This machine has no RDMA device, so usually an empty list; on one that has, every device must
        // parse (any format this code does not understand would throw here).
        List<Hca> real = HcaDiscovery.system().hcas();

        assertThat(real).allSatisfy(h -> assertThat(h.name()).isNotBlank());
        assertThat(real.size()).isEqualTo(
                Path.of("/sys/class/infiniband").toFile().list() == null ? 0
                        : Path.of("/sys/class/infiniband").toFile().list().length);
    }
}
