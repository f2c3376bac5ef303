package dev.iov.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendSettingsTest {

    @Test
    void knownKeysPass() {
        assertThatCode(() -> BackendSettings.requireKnownKeys("ovs", "h1/ovs", Map.of("db", "unix:/x"),
                Set.of("db", "bridge"))).doesNotThrowAnyException();
    }

    @Test
    void anUnknownKeyIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> BackendSettings.requireKnownKeys("ovs", "h1/ovs",
                Map.of("db", "unix:/x", "brige", "br0", "zz", "1"), Set.of("db", "bridge")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ovs backend 'h1/ovs': unknown setting(s) [brige, zz]; known: [bridge, db]");
    }

    @Test
    void flagsAreTrueOrFalseAndAnythingElseIsNamed() {
        Map<String, String> settings = Map.of("a", "true", "b", "false", "c", "yes");
        assertThat(BackendSettings.flag("x backend 'h1'", settings, "a", false)).isTrue();
        assertThat(BackendSettings.flag("x backend 'h1'", settings, "b", true)).isFalse();
        assertThat(BackendSettings.flag("x backend 'h1'", settings, "d", true)).as("absent: the default").isTrue();
        assertThatThrownBy(() -> BackendSettings.flag("x backend 'h1'", settings, "c", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x backend 'h1': c 'yes' is not true or false");
    }
}
