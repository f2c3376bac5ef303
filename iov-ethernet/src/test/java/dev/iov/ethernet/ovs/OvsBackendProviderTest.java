package dev.iov.ethernet.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.Backends;
import dev.iov.ethernet.switching.VlanMode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class OvsBackendProviderTest {

    @Test
    void isFoundByType() {
        assertThat(Backends.providers(getClass().getClassLoader())).containsKey("ovs");
    }

    @Test
    void badSettingsNameTheKeyAndValue() {
        assertThatThrownBy(() -> Backends.create("ovs", "b", Map.of("db", "unix:/x", "colour", "red")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> Backends.create("ovs", "b", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setting db");
        assertThatThrownBy(() -> Backends.create("ovs", "b", Map.of("db", "unix:/x", "port-type", "veth")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'veth'");
        assertThatThrownBy(() -> Backends.create("ovs", "b", Map.of("db", "unix:/x", "datapath-type", "dpdk")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dpdk'");
        assertThatThrownBy(() -> Backends.create("ovs", "b", Map.of("db", "unix:/x", "timeout", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Backends.create("ovs", "b", Map.of("db", "unix:/x", "bridge", "a/b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/b'");
    }

    @Test
    void unreachableDatabaseIsABackendException() {
        assertThatThrownBy(() -> Backends.create("ovs", "b", Map.of("db", "unix:/nonexistent/iov-db.sock")))
                .isInstanceOf(BackendException.class).hasMessageContaining("/nonexistent/iov-db.sock");
    }

    @Property
    void portNamesAreValidDeterministicInterfaceNames(@ForAll @StringLength(min = 1, max = 40) String id) {
        VnicId vnic;
        try {
            vnic = VnicId.of(id);
        } catch (IllegalArgumentException notAnId) {
            return;
        }
        InterfaceName name = OvsBackend.portName(vnic);
        assertThat(name.value()).hasSizeLessThanOrEqualTo(15).startsWith("iv");
        assertThat(OvsBackend.portName(VnicId.of(id))).isEqualTo(name);
    }

    @Property
    void differentIdsGetDifferentNames(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 20) String a,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 20) String b) {
        if (!a.equals(b)) {
            assertThat(OvsBackend.portName(VnicId.of("web-" + a))).isNotEqualTo(OvsBackend.portName(
                    VnicId.of("web-" + b)));
        }
    }

    @Test
    void vlanSettingsAreValidated() {
        assertThatThrownBy(() -> new PortVlan(VlanMode.ACCESS, Optional.empty(), Set.of()))
                .hasMessageContaining("access needs a tag");
        assertThatThrownBy(() -> new PortVlan(VlanMode.TRUNK, Optional.of(VlanId.of(5)), Set.of()))
                .hasMessageContaining("trunk takes no tag");
        assertThatThrownBy(() -> new PortVlan(VlanMode.ACCESS, Optional.of(VlanId.of(5)), Set.of(VlanId.of(6))))
                .hasMessageContaining("access takes no trunks");
        assertThat(PortVlan.ovsName(VlanMode.DOT1Q_TUNNEL)).isEqualTo("dot1q-tunnel");
        assertThatThrownBy(() -> new MirrorSpec("m", Set.of(), Set.of(), Set.of(), "out"))
                .hasMessageContaining("selects nothing");
    }
}
