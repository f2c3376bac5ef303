package dev.iov.infiniband.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.BackendKind;
import dev.iov.api.spi.Backends;
import dev.iov.api.spi.IoBackend;
import dev.iov.sriov.sysfs.FakeSysfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backend type {@code infiniband} from settings: found by ServiceLoader, every bad setting named. */
class InfinibandBackendProviderTest {

    @TempDir
    Path dir;

    private Map<String, String> settings;

    @BeforeEach
    void setUp() throws Exception {
        Path sys = Files.createDirectory(dir.resolve("sys"));
        FakeSysfs.builder().pf("0000:86:00.0", FakeSysfs.Model.CONNECTX5_IB).netdev("ib0").vfs(4).and().build(sys);
        Path conf = dir.resolve("partitions.conf");
        Files.writeString(conf, "Default=0x7fff : ALL=full ;\n");
        settings = new HashMap<>(Map.of("sm", "opensm", "sm.partitions-file", conf.toString(),
                "sysfs-root", sys.toString(), "pf", "ib0", "lease-dir", dir.resolve("leases").toString()));
    }

    @Test
    void createsABackendOverTheHostsVfsWithAJournalOfLeases() {
        try (IoBackend backend = Backends.create("infiniband", "h1-ib", settings)) {
            assertThat(backend.kind()).isEqualTo(BackendKind.IB_VF);
            assertThat(((InfinibandBackend) backend).pool().capacity()).isEqualTo(4);
            assertThat(dir.resolve("leases")).isDirectory();
        }
    }

    @Test
    void everyBadSettingIsNamed() {
        assertRefused("guid-method", "ioctl", "guid-method 'ioctl' is not netlink or mlx5-sysfs");
        assertRefused("membership", "both", "membership 'both' is not full or limited");
        assertRefused("index0", "yes", "index0 'yes' is not true or false");
        assertRefused("guid-range", "0269:6f00:0000:0000", "is not FIRST-LAST");
        assertRefused("guid-range", "0000:0000:0000:0009-0000:0000:0000:0001", "last is below first");
        assertRefused("colour", "blue", "colour");
        assertRefused("sm", "", "setting 'sm' is required");
        assertRefused("sm", "tivoli", "unknown subnet manager type 'tivoli'");
        assertRefused("sm.url", "https://ufm", "opensm subnet manager: unknown setting(s) [url]");
        assertRefused("sysfs-root", dir.toString(), "has no bus/pci/devices");
    }

    private void assertRefused(String key, String value, String message) {
        Map<String, String> bad = new HashMap<>(settings);
        bad.put(key, value);
        assertThatThrownBy(() -> Backends.create("infiniband", "h1-ib", bad).close())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
