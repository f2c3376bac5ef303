package dev.iov.sriov.vf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VfSnapshotJsonProperties {

    @Property
    void everySnapshotReadsBackEqual(@ForAll("snapshots") VfSnapshot snapshot) {
        assertThat(VfSnapshotJson.read(VfSnapshotJson.write(snapshot), "s.json")).isEqualTo(snapshot);
    }

    @Property
    void randomTextIsASnapshotOrTheDocumentedException(@ForAll("almostJson") String text) {
        Throwable t = catchThrowable(() -> VfSnapshotJson.read(text, "fuzz.json"));

        assertThat(t).satisfiesAnyOf(e -> assertThat(e).isNull(),
                e -> assertThat(e).isInstanceOf(VfSnapshotFormatException.class).hasMessageStartingWith("fuzz.json:"));
    }

    /** Valid snapshots with one character changed, dropped or doubled, plus free text: near misses find bugs. */
    @Provide
    Arbitrary<String> almostJson() {
        Arbitrary<String> mutated = Combinators.combine(snapshots(), Arbitraries.integers().between(0, 10_000),
                Arbitraries.chars().ascii(), Arbitraries.integers().between(0, 2)).as((s, at, c, kind) -> {
                    String json = VfSnapshotJson.write(s);
                    int i = at % json.length();
                    return switch (kind) {
                        case 0 -> json.substring(0, i) + c + json.substring(i + 1);
                        case 1 -> json.substring(0, i) + json.substring(i + 1);
                        default -> json.substring(0, i) + c + json.substring(i);
                    };
                });
        return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<VfSnapshot> snapshots() {
        Arbitrary<VfSettings> vf = Combinators.combine(
                Arbitraries.integers().between(0, 255),
                Arbitraries.longs().between(0, (1L << 48) - 1).map(MacAddress::of).optional(),
                Arbitraries.integers().between(1, 4094).map(VlanId::of).optional(),
                Arbitraries.integers().between(0, 7),
                Arbitraries.of(VlanProtocol.class),
                Arbitraries.longs().between(0, 400_000).map(Bandwidth::ofMbps),
                Arbitraries.of(Optional.<Boolean>empty(), Optional.of(true), Optional.of(false)),
                Arbitraries.of(VfLinkState.class)).as((n, mac, vlan, qos, proto, rate, flag, state) ->
                        new VfSettings(n, mac.filter(m -> m.toLong() != 0 && m.isUnicast()), vlan, vlan.isPresent() ? qos : 0, proto,
                                rate, rate.plus(Bandwidth.ofMbps(qos)), flag, flag.map(b -> !b), state));
        return Combinators.combine(Arbitraries.of("ens1f0", "enp59s0f1np1", "ib0", "eth0"), vf.list().ofMaxSize(12))
                .as((pf, vfs) -> new VfSnapshot(InterfaceName.of(pf), unique(vfs)));
    }

    private static List<VfSettings> unique(List<VfSettings> vfs) {
        List<VfSettings> out = new ArrayList<>();
        for (VfSettings s : vfs) {
            if (out.stream().noneMatch(o -> o.vf() == s.vf())) {
                out.add(s);
            }
        }
        return out;
    }
}
