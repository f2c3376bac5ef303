package dev.iov.sriov.vf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class VfSnapshotJsonProperties {

    private static Path dir;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("vf-snapshot-properties");
    }

    @AfterContainer
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** What {@code iov sriov restore} reads: the file's bytes, any of them, not just text that decodes. */
    @Property(tries = 500)
    void randomFileBytesAreASnapshotOrTheDocumentedException(@ForAll("almostFiles") byte[] bytes)
            throws IOException {
        Path file = Files.write(dir.resolve("fuzz.json"), bytes);

        Throwable t = catchThrowable(() -> VfSnapshots.read(file));

        assertThat(t).satisfiesAnyOf(e -> assertThat(e).isNull(),
                e -> assertThat(e).isInstanceOf(VfSnapshotFormatException.class)
                        .hasMessageStartingWith(file + ":").hasMessageNotContaining("\n"));
    }

    /** Valid snapshot files with one byte (any of 256) changed, dropped or doubled, plus random bytes. */
    @Provide
    Arbitrary<byte[]> almostFiles() {
        Arbitrary<byte[]> mutated = Combinators.combine(snapshots(), Arbitraries.integers().between(0, 10_000),
                Arbitraries.bytes(), Arbitraries.integers().between(0, 2)).as((s, at, b, kind) -> {
                    byte[] file = VfSnapshotJson.write(s).getBytes(StandardCharsets.UTF_8);
                    int i = at % file.length;
                    byte[] out = new byte[file.length + (kind == 0 ? 0 : kind == 1 ? -1 : 1)];
                    System.arraycopy(file, 0, out, 0, i);
                    switch (kind) {
                        case 0 -> {
                            out[i] = b;
                            System.arraycopy(file, i + 1, out, i + 1, file.length - i - 1);
                        }
                        case 1 -> System.arraycopy(file, i + 1, out, i, file.length - i - 1);
                        default -> {
                            out[i] = b;
                            System.arraycopy(file, i, out, i + 1, file.length - i);
                        }
                    }
                    return out;
                });
        return Arbitraries.oneOf(mutated, Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    }

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
