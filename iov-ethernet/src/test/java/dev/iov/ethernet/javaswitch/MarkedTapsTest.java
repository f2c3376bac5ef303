package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.OperState;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** How a backend's TAPs are marked with their owner, and which links it takes for its own (no kernel needed). */
class MarkedTapsTest {

    private final MarkedTaps taps = new MarkedTaps("h1/java-switch", true);

    @Test
    void aTapIsMarkedWithTheBackendAndTheVnic() {
        assertThat(taps.mark(VnicId.of("web-7-eth0"))).isEqualTo("iov:h1/java-switch:web-7-eth0");
    }

    @Test
    void onlyATapWithThisBackendsMarkHasAnOwner() {
        VnicId web7 = VnicId.of("web-7-eth0");

        assertThat(taps.ownerOf(link("tun", "iov:h1/java-switch:web-7-eth0"))).contains(web7);
        assertThat(taps.isMarkedFor(link("tun", "iov:h1/java-switch:web-7-eth0"), web7)).isTrue();
        assertThat(taps.isMarkedFor(link("tun", "iov:h1/java-switch:web-8-eth0"), web7)).isFalse();
        assertThat(taps.ownerOf(link("tun", "iov:h2/java-switch:web-7-eth0"))).as("another backend's").isEmpty();
        assertThat(taps.ownerOf(link("tun", "iov:h1/java-switch-2:web-7-eth0")))
                .as("a backend whose id starts the same").isEmpty();
        assertThat(taps.ownerOf(link("tun", null))).as("no alias").isEmpty();
        assertThat(taps.ownerOf(link("veth", "iov:h1/java-switch:web-7-eth0"))).as("not a TAP").isEmpty();
        assertThat(taps.ownerOf(link("tun", "iov:h1/java-switch:not a vnic id"))).isEmpty();
        assertThat(taps.ownerOf(link("tun", "iov:h1/java-switch:"))).isEmpty();
    }

    @Test
    void aBackendIdMayHoldColonsSinceAVnicIdHasNone() {
        MarkedTaps colons = new MarkedTaps("dc1:h1:js", false);

        assertThat(colons.ownerOf(link("tun", colons.mark(VnicId.of("a-eth0"))))).contains(VnicId.of("a-eth0"));
        assertThat(colons.ownerOf(link("tun", "iov:dc1:h1:a-eth0"))).isEmpty();
    }

    @Test
    void theMarkMustFitTheKernelsAliasLength() {
        String longest = "h".repeat(186);
        String vnic = "v".repeat(64);

        assertThat(new MarkedTaps(longest, true).mark(VnicId.of(vnic))).hasSize(255);
        assertThatThrownBy(() -> new MarkedTaps(longest + "h", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + longest + "h'").hasMessageContaining("at most 186 bytes");
        assertThatThrownBy(() -> JavaSwitchBackend.builder("é".repeat(94)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
        assertThatThrownBy(() -> new MarkedTaps("h1\njs", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'h1\\njs'").hasMessageContaining("control character");
    }

    @Test
    void linksAreDescribedWithWhatTheyAreAndTheirAlias() {
        assertThat(MarkedTaps.describe(link("tun", "iov:x:y"))).isEqualTo("TAP iov00000001 with alias 'iov:x:y'");
        assertThat(MarkedTaps.describe(link("tun", null))).isEqualTo("TAP iov00000001 without alias");
        assertThat(MarkedTaps.describe(link("veth", null))).isEqualTo("veth device iov00000001 without alias");
        assertThat(MarkedTaps.describe(link(null, null))).isEqualTo("device iov00000001 without alias");
    }

    private static LinkInfo link(String kind, String alias) {
        return new LinkInfo(7, InterfaceName.of("iov00000001"), Optional.ofNullable(kind), Optional.empty(), 1500,
                OperState.DOWN, false, 0, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), OptionalInt.empty(), List.of(), Optional.ofNullable(alias));
    }
}
