package dev.iov.ethernet.switching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random sequences of operations run against the table and against a plain map of entries; both must give the same
 * answers and hold the same entries after every step. The universe of addresses is small, so the table fills up,
 * evicts, ages, moves and collides often.
 */
class MacLearningTableProperties {
    private static final int PORTS = 4;
    private static final long SECOND = 1_000_000_000L;
    private static final long AGING = 15 * SECOND;
    private static final long T0 = -3 * SECOND; // crosses zero, as System.nanoTime() may
    private static final Integer[] VLANS = {1, 2, 4094};
    private static final Long[] MACS = {
        0L, 1L, 2L, 3L, 0x0200_0000_0001L, 0x0200_0000_0002L, 0x0200_0000_0003L, 0x0200_0001_0001L,
        0x5e_1234_abcdL, 0x7a_dead_beefL, 0xffff_ffff_fffeL, 0xffff_ffff_ffffL, 0x0100_5e00_0001L,
        0x3333_0000_0001L, 0x00_1b21_3c4dL, 0x52_5400_1234L,
    };

    sealed interface Op permits Learn, Lookup, Tick, Age, AgeSome, FlushPort, FlushVlan, Flush {
    }

    record Learn(int vlan, long mac, int port) implements Op {
    }

    record Lookup(int vlan, long mac) implements Op {
    }

    record Tick(long nanos) implements Op {
    }

    record Age() implements Op {
    }

    record AgeSome(int budget) implements Op {
    }

    record FlushPort(int port) implements Op {
    }

    record FlushVlan(int vlan) implements Op {
    }

    record Flush() implements Op {
    }

    /** The model: what the table must hold, expired entries included until they are reclaimed. */
    record Entry(int port, long seen) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> vlan = Arbitraries.of(VLANS);
        Arbitrary<Long> mac = Arbitraries.of(MACS);
        Arbitrary<Integer> port = Arbitraries.integers().between(0, PORTS - 1);
        Arbitrary<Long> delta = Arbitraries.oneOf(
                Arbitraries.of(1L, SECOND, AGING - 1, AGING, AGING + 1),
                Arbitraries.longs().between(0, 2 * AGING));
        return Arbitraries.<Op>frequencyOf(
                Tuple.of(12, Combinators.combine(vlan, mac, port).as(Learn::new)),
                Tuple.of(6, Combinators.combine(vlan, mac).as(Lookup::new)),
                Tuple.of(4, delta.map(Tick::new)),
                Tuple.of(1, Arbitraries.just(new Age())),
                Tuple.of(2, Arbitraries.integers().between(0, 80).map(AgeSome::new)),
                Tuple.of(1, port.map(FlushPort::new)),
                Tuple.of(1, vlan.map(FlushVlan::new)),
                Tuple.of(1, Arbitraries.just(new Flush())))
                .list().ofMaxSize(300);
    }

    @Property(tries = 400)
    void answersLikeAMapOfEntriesAndNeverExceedsItsLimit(@ForAll("ops") List<Op> ops,
            @ForAll @IntRange(min = 1, max = 40) int limit) {
        MacLearningTable table = new MacLearningTable(PORTS, limit, 15);
        Map<Long, Entry> model = new HashMap<>();
        long now = T0;
        for (Op op : ops) {
            if (op instanceof Learn learn) {
                learn(table, model, learn, now, limit);
            } else if (op instanceof Lookup lookup) {
                Entry e = model.get(key(lookup.vlan(), lookup.mac()));
                int expected = e != null && now - e.seen() < AGING ? e.port() : MacLearningTable.NO_PORT;
                assertThat(table.lookup(lookup.vlan(), lookup.mac(), now)).as("%s", op).isEqualTo(expected);
            } else if (op instanceof Tick tick) {
                now += tick.nanos();
            } else if (op instanceof Age) {
                long at = now;
                int expired = (int) model.values().stream().filter(e -> at - e.seen() >= AGING).count();
                model.values().removeIf(e -> at - e.seen() >= AGING);
                assertThat(table.age(now)).isEqualTo(expired);
            } else if (op instanceof AgeSome some) {
                int removed = table.ageSome(now, some.budget());
                assertThat(removed).isLessThanOrEqualTo(some.budget());
                Map<Long, Entry> after = dump(table);
                int gone = 0;
                for (Map.Entry<Long, Entry> e : new ArrayList<>(model.entrySet())) {
                    if (!after.containsKey(e.getKey())) {
                        assertThat(now - e.getValue().seen()).as("only expired entries are reclaimed")
                                .isGreaterThanOrEqualTo(AGING);
                        model.remove(e.getKey());
                        gone++;
                    }
                }
                assertThat(removed).isEqualTo(gone);
            } else if (op instanceof FlushPort flush) {
                int expected = (int) model.values().stream().filter(e -> e.port() == flush.port()).count();
                model.values().removeIf(e -> e.port() == flush.port());
                assertThat(table.flushPort(flush.port())).isEqualTo(expected);
            } else if (op instanceof FlushVlan flush) {
                int expected = (int) model.keySet().stream().filter(k -> k >>> 48 == flush.vlan()).count();
                model.keySet().removeIf(k -> k >>> 48 == flush.vlan());
                assertThat(table.flushVlan(flush.vlan())).isEqualTo(expected);
            } else if (op instanceof Flush) {
                model.clear();
                table.flush();
            }
            assertSameEntries(table, model, limit);
        }
        // Aged entries disappear: after a full pass nothing expired is left, and nothing live was lost.
        long at = now;
        model.values().removeIf(e -> at - e.seen() >= AGING);
        table.age(now);
        assertSameEntries(table, model, limit);
    }

    @Property(tries = 200)
    void oneSweepOfAgeSomeReclaimsEveryExpiredEntryAndNothingElse(@ForAll("ops") List<Op> ops,
            @ForAll @IntRange(min = 1, max = 40) int limit, @ForAll @IntRange(min = 0, max = 40) int seconds) {
        MacLearningTable table = new MacLearningTable(PORTS, limit, 15);
        long now = T0;
        for (Op op : ops) {
            if (op instanceof Learn learn) {
                table.learn(learn.vlan(), learn.mac(), learn.port(), now);
            } else if (op instanceof Tick tick) {
                now += tick.nanos();
            } else if (op instanceof AgeSome some) {
                table.ageSome(now, some.budget()); // leaves the hand somewhere in the middle
            }
        }
        now += seconds * SECOND;
        Map<Long, Entry> expected = dump(table);
        long at = now;
        expected.values().removeIf(e -> at - e.seen() >= AGING);
        int expired = table.size() - expected.size();
        int budget = table.capacity() + table.size(); // every slot, plus one second look per removal

        assertThat(table.ageSome(now, budget)).isEqualTo(expired);

        assertSameEntries(table, expected, limit);
    }

    private static void learn(MacLearningTable table, Map<Long, Entry> model, Learn learn, long now, int limit) {
        long key = key(learn.vlan(), learn.mac());
        Entry e = model.get(key);
        LearnResult expected;
        int victimPort = -1;
        if (e == null) {
            expected = LearnResult.NEW;
            if (model.size() >= limit) {
                victimPort = heaviestPort(model);
            }
        } else if (now - e.seen() >= AGING) {
            expected = LearnResult.NEW;
        } else {
            expected = e.port() == learn.port() ? LearnResult.REFRESHED : LearnResult.MOVED;
        }
        long movesBefore = table.moves();

        assertThat(table.learn(learn.vlan(), learn.mac(), learn.port(), now)).as("%s", learn).isEqualTo(expected);

        assertThat(table.moves() - movesBefore).isEqualTo(expected == LearnResult.MOVED ? 1 : 0);
        if (victimPort >= 0) {
            Map<Long, Entry> after = dump(table);
            List<Long> evicted = new ArrayList<>(model.keySet());
            evicted.removeAll(after.keySet());
            assertThat(evicted).as("exactly one entry is evicted").hasSize(1);
            assertThat(model.get(evicted.get(0)).port())
                    .as("the victim comes from the port with most entries, lowest number on a tie")
                    .isEqualTo(victimPort);
            model.remove(evicted.get(0));
        }
        model.put(key, new Entry(learn.port(), now));
    }

    private static int heaviestPort(Map<Long, Entry> model) {
        int[] counts = recount(model);
        int best = 0;
        for (int p = 1; p < PORTS; p++) {
            if (counts[p] > counts[best]) {
                best = p;
            }
        }
        return best;
    }

    private static void assertSameEntries(MacLearningTable table, Map<Long, Entry> model, int limit) {
        Map<Long, Entry> actual = dump(table);
        assertThat(actual).isEqualTo(model);
        assertThat(table.size()).isEqualTo(model.size()).isLessThanOrEqualTo(limit);
        int[] counts = recount(actual);
        for (int p = 0; p < PORTS; p++) {
            assertThat(table.entries(p)).as("entries on port %d", p).isEqualTo(counts[p]);
        }
    }

    private static int[] recount(Map<Long, Entry> entries) {
        int[] counts = new int[PORTS];
        for (Entry e : entries.values()) {
            counts[e.port()]++;
        }
        return counts;
    }

    private static Map<Long, Entry> dump(MacLearningTable table) {
        Map<Long, Entry> entries = new HashMap<>();
        table.forEach((vlan, mac, port, last) -> {
            Entry previous = entries.put(key(vlan, mac), new Entry(port, last));
            assertThat(previous).as("a key is stored once").isNull();
        });
        return entries;
    }

    private static long key(int vlan, long mac) {
        return (long) vlan << 48 | mac;
    }
}
