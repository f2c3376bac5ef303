package dev.iov.infiniband.partition;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class PartitionConfigProperties {

    @Property(tries = 300)
    void writtenConfigsParseBackEqual(@ForAll("configs") PartitionConfig config) {
        String text = PartitionConfigWriter.write(config);
        assertThat(PartitionConfigParser.parse(text, "written.conf")).isEqualTo(config);
    }

    @Property(tries = 500)
    void randomTextOnlyEverFailsWithTheSyntaxException(@ForAll("noise") String text) {
        try {
            PartitionConfigParser.parse(text, "noise.conf");
        } catch (PartitionSyntaxException e) {
            assertThat(e.getMessage()).startsWith("noise.conf:" + e.line() + ":" + e.column() + ": ");
            assertThat(e.line()).isBetween(1, (int) text.chars().filter(c -> c == '\n').count() + 1);
            assertThat(e.column()).isPositive();
        }
    }

    @Property(tries = 500)
    void mutatedValidFilesOnlyEverFailWithTheSyntaxException(@ForAll("configs") PartitionConfig config,
            @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll("grammarChars") char c,
            @ForAll boolean insert) {
        String text = PartitionConfigWriter.write(config);
        int i = text.isEmpty() ? 0 : at % text.length();
        String mutated = insert || text.isEmpty()
                ? text.substring(0, i) + c + text.substring(i)
                : text.substring(0, i) + c + text.substring(i + 1);
        assertThatCode(() -> {
            try {
                PartitionConfigParser.parse(mutated, "m.conf");
            } catch (PartitionSyntaxException expected) {
                // the documented failure
            }
        }).doesNotThrowAnyException();
    }

    /** What OpenSM and iov really read: bytes, any of the 256, at random or as one byte changed in a valid file. */
    @Property(tries = 500)
    void randomBytesOnlyEverFailWithTheSyntaxException(@ForAll("fileBytes") byte[] bytes) {
        assertThatCode(() -> {
            try {
                PartitionConfigParser.parse(bytes, "b.conf");
            } catch (PartitionSyntaxException e) {
                assertThat(e.getMessage()).startsWith("b.conf:" + e.line() + ":" + e.column() + ": ")
                        .doesNotContain("\n");
            }
        }).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<byte[]> fileBytes() {
        Arbitrary<byte[]> mutated = Combinators.combine(configs(), Arbitraries.integers().between(0, 10_000),
                Arbitraries.bytes(), Arbitraries.of(true, false)).as((config, at, b, insert) -> {
                    byte[] file = PartitionConfigWriter.write(config).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    int i = file.length == 0 ? 0 : at % file.length;
                    byte[] out = java.util.Arrays.copyOf(file, insert || file.length == 0 ? file.length + 1 : file.length);
                    if (insert || file.length == 0) {
                        System.arraycopy(file, i, out, i + 1, file.length - i);
                    }
                    out[i] = b;
                    return out;
                });
        return Arbitraries.oneOf(mutated, Arbitraries.bytes().array(byte[].class).ofMaxSize(200));
    }

    @Provide
    Arbitrary<Character> grammarChars() {
        return Arbitraries.of(',', '=', ':', ';', '#', '\n', ' ', '\t', '0', 'x', 'f', 'A', 'L', '_', '\r', 'é');
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> grammarish = Arbitraries.strings()
                .withChars(",=:;#\n \t0123456789abcdefxABCDEFLSNOPQRT_limtedfulbohsp")
                .ofMaxLength(120);
        return Arbitraries.oneOf(grammarish, Arbitraries.strings().ofMaxLength(80));
    }

    @Provide
    Arbitrary<PartitionConfig> configs() {
        return partitions().list().ofMaxSize(6).map(PartitionConfigProperties::distinct);
    }

    /** Keeps the first partition per key and drops indx0 from later partitions sharing a port, as the model demands. */
    private static PartitionConfig distinct(List<Partition> candidates) {
        Map<PKey, Partition> byKey = new LinkedHashMap<>();
        java.util.Set<MulticastGroup> groups = new java.util.HashSet<>();
        for (Partition p : candidates) {
            if (p.groups().stream().anyMatch(g -> !groups.add(MulticastGroup.of(g.mgid(), PartitionFlags.NONE)))) {
                continue; // OpenSM creates a group once: one MGID per file
            }
            byKey.putIfAbsent(p.pkey(), p);
        }
        List<Partition> out = new ArrayList<>();
        boolean indx0Taken = false;
        for (Partition p : byKey.values()) {
            if (p.flags().indx0()) {
                if (indx0Taken) {
                    continue;
                }
                indx0Taken = true;
            }
            out.add(p);
        }
        return PartitionConfig.of(out);
    }

    private Arbitrary<Partition> partitions() {
        Arbitrary<Integer> keys = Arbitraries.oneOf(Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(1, 0xffff).filter(v -> (v & 0x7fff) != 0));
        Arbitrary<String> names = Arbitraries.strings().withChars("abcXYZ019_-. ").ofMinLength(1).ofMaxLength(31)
                .filter(n -> Partition.nameProblem(n) == null);
        return Combinators.combine(names, keys, flags(), Arbitraries.of(Membership.class),
                        members().list().ofMaxSize(5), groups().list().ofMaxSize(2).uniqueElements(MulticastGroup::mgid))
                .as((name, key, flags, def, members, groups) -> {
                    PKey pkey = PKey.of(key);
                    String n = pkey.partition() == 0x7fff ? Partition.DEFAULT_NAME : name;
                    Partition.Builder b = Partition.builder(n, pkey).flags(flags).defaultMembership(def);
                    members.forEach(b::member);
                    groups.forEach(b::group);
                    return b.build();
                });
    }

    /** Non-IP groups (bytes 2-3 zero), so that no P_Key, rate or MTU rule applies. */
    private Arbitrary<MulticastGroup> groups() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.longs(),
                        Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(0, 15)),
                        Arbitraries.integers().between(1, 15).set().ofMaxSize(2))
                .as((tail, low, sl, scopes) -> {
                    PartitionFlags.Builder f = PartitionFlags.builder();
                    if (sl >= 0) {
                        f.sl(sl).qKey(sl * 0x1000L);
                    }
                    scopes.forEach(f::scope);
                    long high = 0xff15_0000_0000_0000L | tail;
                    return MulticastGroup.of(String.format("%x::%x:%x:%x:%x", high >>> 48, tail, (low >>> 32) & 0xffff,
                            (low >>> 16) & 0xffff, low & 0xffff), f.build());
                });
    }

    private Arbitrary<PartitionMember> members() {
        Arbitrary<PartitionMember> byGuid = Combinators.combine(
                        Arbitraries.longs().filter(v -> v != 0), Arbitraries.of(Membership.class))
                .as((g, m) -> PartitionMember.of(Guid.of(g), m));
        Arbitrary<PartitionMember> byGroup = Combinators.combine(
                        Arbitraries.of(PortGroup.class), Arbitraries.of(Membership.class))
                .as(PartitionMember::of);
        return Arbitraries.oneOf(byGuid, byGroup);
    }

    private Arbitrary<PartitionFlags> flags() {
        Arbitrary<Integer> absent = Arbitraries.just(-1);
        return Combinators.combine(
                        Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.oneOf(absent, Arbitraries.integers().between(1, 5)),
                        Arbitraries.oneOf(absent, Arbitraries.integers().between(1, 63)),
                        Arbitraries.oneOf(absent, Arbitraries.integers().between(0, 15)),
                        Arbitraries.integers().between(1, 15).set().ofMaxSize(3),
                        Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 0xffff_ffffL)),
                        Arbitraries.oneOf(absent, Arbitraries.integers().between(0, 0xfffff)))
                .as((ipoib, indx0, mtu, rate, sl, scopes, qKey, flow) -> {
                    PartitionFlags.Builder b = PartitionFlags.builder().ipoib(ipoib).indx0(indx0);
                    if (mtu >= 0) {
                        b.mtu(mtu);
                    }
                    if (rate >= 0) {
                        b.rate(rate);
                    }
                    if (sl >= 0) {
                        b.sl(sl).tClass(sl * 16);
                    }
                    scopes.forEach(b::scope);
                    if (qKey >= 0) {
                        b.qKey(qKey);
                    }
                    if (flow >= 0) {
                        b.flowLabel(flow);
                    }
                    return b.build();
                });
    }
}
