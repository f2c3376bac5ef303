package dev.iov.infiniband.sm;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.infiniband.partition.ManagedPartitionsFile;
import dev.iov.infiniband.partition.Membership;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random sequences of adds and removes leave each plug-in's view equal to a plain map model, and random replies to
 * the UFM view request either parse or fail with the documented exception.
 */
class SubnetManagerProperties {

    /** One call: add these members, or (when {@code add} is false) remove their GUIDs. */
    static final class Op {
        final boolean add;
        final PKey pkey;
        final List<SubnetMember> members;

        Op(boolean add, PKey pkey, List<SubnetMember> members) {
            this.add = add;
            this.pkey = pkey;
            this.members = members;
        }

        @Override
        public String toString() {
            return (add ? "add " : "remove ") + pkey + " " + members;
        }
    }

    @Property(tries = 40)
    void ufmViewFollowsTheModel(@ForAll("ufmOps") List<Op> ops) throws Exception {
        try (FakeUfm ufm = FakeUfm.httpToken("tok"); UfmSubnetManager sm = UfmSubnetManager.builder(ufm.url())
                .token("tok").build()) {
            assertThat(replay(sm, ops)).isEqualTo(sm.partitions());
        }
    }

    @Property(tries = 40)
    void openSmViewFollowsTheModel(@ForAll("openSmOps") List<Op> ops) throws Exception {
        Path dir = Files.createTempDirectory("iov-sm-prop");
        try (OpenSmSubnetManager sm = OpenSmSubnetManager.of(ManagedPartitionsFile.of(dir.resolve("p.conf")),
                true)) {
            assertThat(replay(sm, ops)).isEqualTo(sm.partitions());
            // A fresh reader of the same file sees the same.
            assertThat(OpenSmSubnetManager.of(ManagedPartitionsFile.of(dir.resolve("p.conf")), false).partitions())
                    .isEqualTo(sm.partitions());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 60)
    void randomViewRepliesParseOrFailAsDocumented(@ForAll("replies") String reply) throws IOException {
        try (FakeUfm ufm = FakeUfm.http(null); UfmSubnetManager sm = UfmSubnetManager.builder(ufm.url()).build()) {
            ufm.failNext(200, reply);
            try {
                Map<PKey, Set<SubnetMember>> view = sm.partitions();
                assertThat(view.keySet()).allSatisfy(k -> assertThat(k.isFullMember()).isFalse());
            } catch (SubnetManagerException e) {
                assertThat(e).isExactlyInstanceOf(SubnetManagerException.class)
                        .hasMessageContaining("reply iov does not understand");
            }
        }
    }

    @Property
    void guidTextRoundTrips(@ForAll long bits) {
        Guid g = Guid.of(bits);
        assertThat(UfmSubnetManager.parseGuid(UfmSubnetManager.guidText(g))).isEqualTo(g);
        assertThat(UfmSubnetManager.guidText(g)).hasSize(16);
    }

    @Property
    void guidsThatAreNotHexAreRefused(@ForAll("notGuids") String text) {
        assertThatThrownBy(() -> UfmSubnetManager.parseGuid(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    /** Applies the ops to the manager and to the model; returns the model's view. */
    private static Map<PKey, Set<SubnetMember>> replay(SubnetManager sm, List<Op> ops) {
        Map<PKey, Map<Guid, SubnetMember>> model = new TreeMap<>();
        for (Op op : ops) {
            // The view is keyed by the partition (limited form) whatever membership bit the caller's key has.
            PKey key = op.pkey.asLimited();
            if (op.add) {
                sm.addMembers(op.pkey, op.members);
                Map<Guid, SubnetMember> m = model.computeIfAbsent(key, k -> new HashMap<>());
                op.members.forEach(s -> m.put(s.guid(), s));
            } else {
                List<Guid> guids = op.members.stream().map(SubnetMember::guid).collect(Collectors.toList());
                sm.removeMembers(op.pkey, guids);
                Map<Guid, SubnetMember> m = model.get(key);
                if (m != null) {
                    guids.forEach(m::remove);
                    if (m.isEmpty()) {
                        model.remove(key);
                    }
                }
            }
        }
        Map<PKey, Set<SubnetMember>> view = new TreeMap<>();
        model.forEach((k, v) -> view.put(k, Set.copyOf(v.values())));
        return view;
    }

    @Provide
    Arbitrary<List<Op>> ufmOps() {
        return ops(Arbitraries.of(true, false).map(b -> pkey -> b));
    }

    /**
     * OpenSM keeps indx0 per partition and a port may be in one indx0 partition only: one key has the flag, the
     * others do not.
     */
    @Provide
    Arbitrary<List<Op>> openSmOps() {
        return ops(Arbitraries.just(pkey -> pkey.partition() == 0x0101));
    }

    private static Arbitrary<List<Op>> ops(Arbitrary<java.util.function.Function<PKey, Boolean>> index0) {
        Arbitrary<PKey> pkeys = Arbitraries.of(0x0001, 0x0002, 0x0101, 0x7ffe).map(PKey::of)
                .flatMap(k -> Arbitraries.of(k, k.asFull()));
        Arbitrary<Guid> guids = Arbitraries.longs().between(1, 6).map(n -> Guid.of(0x0002c90300000000L + n));
        Arbitrary<Membership> memberships = Arbitraries.of(Membership.FULL, Membership.LIMITED);
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(true, true, false), pkeys,
                guids.set().ofMinSize(1).ofMaxSize(4), memberships.list().ofSize(4), index0)
                .as((add, pkey, gs, ms, ix) -> {
                    List<Guid> list = List.copyOf(gs);
                    List<SubnetMember> members = new java.util.ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        members.add(SubnetMember.of(list.get(i), ms.get(i), ix.apply(pkey)));
                    }
                    return new Op(add, pkey, members);
                });
        return op.list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<String> replies() {
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> key = Arbitraries.of("0x5", "0x7fff", "0x0", "0x10000", "5", "zz", "0x8005");
        Arbitrary<String> guid = Arbitraries.of("\"020000000000003e\"", "\"0x1\"", "\"\"", "\"xyz\"", "1", "null",
                "\"00000000000000000\"");
        Arbitrary<String> membership = Arbitraries.of("", ", \"membership\": \"Full\"",
                ", \"membership\": \"limited\"", ", \"membership\": \"both\"", ", \"membership\": 3");
        Arbitrary<String> entry = Combinators.combine(key, guid, membership, Arbitraries.of("", ", \"index0\": true"))
                .as((k, g, m, i) -> "\"" + k + "\": {\"guids\": [{\"guid\": " + g + m + i + "}]}");
        Arbitrary<String> object = entry.list().ofMaxSize(3).map(es -> "{" + String.join(", ", es) + "}");
        return Arbitraries.oneOf(noise, object, Arbitraries.of("[]", "null", "{\"0x5\": 1}", "{\"0x5\": {\"guids\": 1}}"));
    }

    @Provide
    Arbitrary<String> notGuids() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("ghxyz:-").ofMinLength(1).ofMaxLength(16),
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(17).ofMaxLength(20),
                Arbitraries.just(""), Arbitraries.just("0x"));
    }
}
