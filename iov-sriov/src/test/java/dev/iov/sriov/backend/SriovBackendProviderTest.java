package dev.iov.sriov.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.spi.Backends;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SriovBackendProviderTest {

    @TempDir
    Path empty;

    @Test
    void theProviderIsFoundByItsType() {
        assertThat(Backends.providers(getClass().getClassLoader())).containsKey("sriov");
    }

    @Test
    void badSettingsAreNamedBeforeAnythingIsOpened() {
        assertThatThrownBy(() -> Backends.create("sriov", "h1/vf", Map.of("vfoi", "true")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown setting(s) [vfoi]");
        assertThatThrownBy(() -> Backends.create("sriov", "h1/vf", Map.of("sysfs-root", empty.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sysfs-root '" + empty + "' has no bus/pci/devices");
        assertThatThrownBy(() -> Backends.create("sriov", "h1/vf", Map.of("vfio", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vfio 'yes' is not true or false");
        assertThatThrownBy(() -> Backends.create("sriov", "h1/vf", Map.of("vendor", "mellanox")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vendor 'mellanox': expected a 16-bit hex PCI ID");
    }
}
