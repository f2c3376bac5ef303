package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.VnicId;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.Backends;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * What the backend decides without touching a device: TAP names, the provider's settings, its kind and
 * capabilities. (Ports on real TAPs are in {@link JavaSwitchBackendIT}.)
 */
class JavaSwitchBackendTest {

    @Property
    void everyVnicIdGetsAValidElevenByteTapName(@ForAll @StringLength(min = 1, max = 200) String id) {
        VnicId vnic;
        try {
            vnic = VnicId.of(id);
        } catch (IllegalArgumentException invalidId) {
            return;
        }
        InterfaceName name = JavaSwitchBackend.tapName(vnic);

        assertThat(name.value()).matches("iov[0-9a-f]{8}");
        assertThat(InterfaceName.of(name.value())).isEqualTo(name);
        assertThat(JavaSwitchBackend.tapName(VnicId.of(id))).as("deterministic").isEqualTo(name);
    }

    @Test
    void tapNamesDifferForDifferentVnics() {
        assertThat(JavaSwitchBackend.tapName(VnicId.of("web-1-eth0")))
                .isNotEqualTo(JavaSwitchBackend.tapName(VnicId.of("web-1-eth1")));
    }

    @Test
    void theProviderIsRegisteredAsJavaSwitch() {
        assertThat(Backends.providers(getClass().getClassLoader())).containsKey("java-switch");
        assertThat(new JavaSwitchBackendProvider().type()).isEqualTo("java-switch");
    }

    @Test
    void badSettingsNameTheKeyAndValue() {
        JavaSwitchBackendProvider provider = new JavaSwitchBackendProvider();
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("colour", "red")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h1/js")
                .hasMessageContaining("[colour]")
                .hasMessageContaining("known: [max-ports, uplink, vxlan-local, vxlan-remote, vxlan-vni]");
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("max-ports", "lots")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-ports 'lots'");
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("max-ports", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-ports 0 is outside 1-1024");
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("uplink", "bad:name")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uplink").hasMessageContaining(":");
        assertThatThrownBy(() -> JavaSwitchBackend.builder("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("vxlan-vni", "42")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs vxlan-vni and vxlan-remote");
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("vxlan-vni", "0", "vxlan-remote", "198.18.0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vxlan-vni 0 is outside");
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("vxlan-vni", "7", "vxlan-remote", "example.org")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vxlan-remote 'example.org' is not an IP address");
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("vxlan-vni", "7", "vxlan-remote", "999.1.1.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'999.1.1.1' is not an IP");
        assertThatThrownBy(() -> provider.create("h1/js", Map.of("vxlan-vni", "7", "vxlan-remote", "198.18.0.1",
                "uplink", "eth9"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void aBackendWithoutPortsStartsAndStopsWithoutPrivileges() {
        try (JavaSwitchBackend backend = (JavaSwitchBackend) new JavaSwitchBackendProvider()
                .create("h1/js", Map.of("max-ports", "4"))) {
            assertThat(backend.id()).isEqualTo("h1/js");
            assertThat(backend.kind()).isEqualTo(BackendKind.VSWITCH_PORT);
            assertThat(backend.capabilities()).contains(Capability.VLAN, Capability.MAX_RATE,
                    Capability.SPOOF_CHECK, Capability.STATS).doesNotContain(Capability.VXLAN);
            assertThat(backend.engine().maxPorts()).isEqualTo(4);
            assertThat(backend.engine().isRunning()).isTrue();
            assertThat(backend.uplinkPort()).isEmpty();
            assertThat(backend.countersLiveInProcess()).as("the switch's counters die with the process").isTrue();
            assertThat(backend.discover(Vms.HOST)).isEmpty();
        }
    }

    @Test
    void aClosedBackendRefusesEveryChange() {
        JavaSwitchBackend backend = JavaSwitchBackend.builder("h1/js").maxPorts(4).build();
        AttachRequest request = Vms.request("a-eth0", "a", 100, MacAddress.parse("02:00:5e:10:00:01"), null);
        backend.close();
        backend.close();

        assertThat(backend.engine().isRunning()).isFalse();
        for (Runnable call : List.<Runnable>of(() -> backend.attach(request), () -> backend.abandon(request),
                () -> backend.restore(List.of()), () -> backend.discover(Vms.HOST),
                () -> backend.detach(Attachment.of(VnicId.of("a-eth0"), "h1/js", "iov00000000")))) {
            assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class)
                    .hasMessage("java-switch backend 'h1/js' is closed");
        }
    }
}
