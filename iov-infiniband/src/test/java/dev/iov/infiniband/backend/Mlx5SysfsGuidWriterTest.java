package dev.iov.infiniband.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.Errno;
import dev.iov.linux.sysfs.SysfsException;
import dev.iov.sriov.backend.VfLease;
import dev.iov.sriov.sysfs.FakeSysfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mlx5 {@code sriov/<vf>} files as MLNX_OFED's {@code sriov_sysfs.c} has them under the PF's PCI device: values
 * in the form its {@code node_store}/{@code port_store} {@code sscanf("%02x:...:%02x\n")} accept, the policy words
 * of {@code strpolicy}, in the order that never leaves a port up with a zero GUID.
 */
class Mlx5SysfsGuidWriterTest {

    private static final String PF = "0000:86:00.0";
    private static final String DIR = "bus/pci/devices/" + PF + "/sriov/1";
    /** What node_store/port_store parse: 8 two-digit hex bytes, colon-separated, newline. */
    private static final Pattern KERNEL_FORM = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){7}\n");

    @TempDir
    Path root;

    private FakeSysfs sysfs;
    private VfLease vf;

    @BeforeEach
    void setUp() throws Exception {
        sysfs = FakeSysfs.builder().pf(PF, FakeSysfs.Model.CONNECTX5_IB).netdev("ib0").vfs(2).and().build(root);
        Path dir = Files.createDirectories(root.resolve(DIR));
        Files.writeString(dir.resolve("node"), "00:00:00:00:00:00:00:00\n");
        Files.writeString(dir.resolve("port"), "00:00:00:00:00:00:00:00\n");
        Files.writeString(dir.resolve("policy"), "Down\n");
        vf = new VfLease(PciAddress.parse(PF), InterfaceName.of("ib0"), 1, PciAddress.parse("0000:86:00.2"));
        sysfs.clearWrites();
    }

    @Test
    void assignWritesBothGuidsThenLetsThePortFollow() {
        VfGuidWriter.mlx5Sysfs(sysfs.sysfs()).assign(vf, Guid.parse("0269:6f00:00ab:cd01"));

        assertThat(sysfs.writes()).extracting(FakeSysfs.Write::file, FakeSysfs.Write::value).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DIR + "/node", "02:69:6f:00:00:ab:cd:01\n"),
                org.assertj.core.groups.Tuple.tuple(DIR + "/port", "02:69:6f:00:00:ab:cd:01\n"),
                org.assertj.core.groups.Tuple.tuple(DIR + "/policy", "Follow"));
    }

    @Test
    void clearTakesThePortDownBeforeZeroingTheGuids() {
        VfGuidWriter.mlx5Sysfs(sysfs.sysfs()).clear(vf);

        assertThat(sysfs.writes()).extracting(FakeSysfs.Write::file).containsExactly(DIR + "/policy",
                DIR + "/port", DIR + "/node");
        assertThat(sysfs.content(DIR + "/port")).isEqualTo("00:00:00:00:00:00:00:00\n");
        assertThat(sysfs.content(DIR + "/policy")).isEqualTo("Down");
    }

    @Test
    void everyGuidIsWrittenInTheFormTheDriverParses() {
        for (long value : new long[] {1, 0x0269_6f00_0000_0000L, -1L, 0x8000_0000_0000_0000L, 0x0f0f_0f0f_0f0f_0f0fL}) {
            String text = Mlx5SysfsGuidWriter.format(Guid.of(value));
            assertThat(text).matches(KERNEL_FORM);
            assertThat(Long.parseUnsignedLong(text.strip().replace(":", ""), 16)).isEqualTo(value);
        }
    }

    @Test
    void aDriverWithoutTheFilesAndARefusalAreClearErrors() {
        VfLease missing = new VfLease(PciAddress.parse(PF), InterfaceName.of("ib0"), 0,
                PciAddress.parse("0000:86:00.1"));
        assertThatThrownBy(() -> VfGuidWriter.mlx5Sysfs(sysfs.sysfs()).assign(missing, Guid.of(7)))
                .isInstanceOf(SysfsException.class).hasMessageContaining("sriov/0/node");

        sysfs.failWrites(DIR + "/port", Errno.EINVAL);
        assertThatThrownBy(() -> VfGuidWriter.mlx5Sysfs(sysfs.sysfs()).assign(vf, Guid.of(7)))
                .isInstanceOfSatisfying(SysfsException.class,
                        e -> assertThat(e.errno()).hasValue(Errno.EINVAL.number()));
    }
}
