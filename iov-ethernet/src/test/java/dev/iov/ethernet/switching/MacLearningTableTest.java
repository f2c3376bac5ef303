package dev.iov.ethernet.switching;

import static dev.iov.ethernet.switching.MacLearningTable.NO_PORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.MacAddress;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MacLearningTableTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long AGING = 300 * SECOND;
    /** An arbitrary clock origin far from zero, as System.nanoTime() gives. */
    private static final long T0 = 7_000_000_000_000L;
    private static final long MAC_A = MacAddress.parse("02:69:6f:00:00:0a").toLong();
    private static final long MAC_B = MacAddress.parse("02:69:6f:00:00:0b").toLong();
    private static final long MAC_C = MacAddress.parse("02:69:6f:00:00:0c").toLong();

    private final MacLearningTable table = new MacLearningTable(8);

    @Nested
    class LearnAndLookup {
        @Test
        void unknownAddressHasNoPort() {
            assertThat(table.lookup(10, MAC_A, T0)).isEqualTo(NO_PORT);
        }

        @Test
        void learnedAddressIsFoundOnItsPort() {
            assertThat(table.learn(10, MAC_A, 3, T0)).isEqualTo(LearnResult.NEW);
            assertThat(table.lookup(10, MAC_A, T0)).isEqualTo(3);
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.entries(3)).isEqualTo(1);
        }

        @Test
        void learningAgainOnTheSamePortRefreshes() {
            table.learn(10, MAC_A, 3, T0);
            assertThat(table.learn(10, MAC_A, 3, T0 + SECOND)).isEqualTo(LearnResult.REFRESHED);
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.moves()).isZero();
        }

        @Test
        void learningOnAnotherPortMovesTheAddressAndCountsTheMove() {
            table.learn(10, MAC_A, 3, T0);
            assertThat(table.learn(10, MAC_A, 5, T0 + SECOND)).isEqualTo(LearnResult.MOVED);
            assertThat(table.lookup(10, MAC_A, T0 + SECOND)).isEqualTo(5);
            assertThat(table.moves()).isEqualTo(1);
            assertThat(table.entries(3)).isZero();
            assertThat(table.entries(5)).isEqualTo(1);
            assertThat(table.size()).isEqualTo(1);
        }

        @Test
        void theSameMacInTwoVlansIsTwoEntries() {
            table.learn(10, MAC_A, 1, T0);
            table.learn(20, MAC_A, 2, T0);
            assertThat(table.lookup(10, MAC_A, T0)).isEqualTo(1);
            assertThat(table.lookup(20, MAC_A, T0)).isEqualTo(2);
            assertThat(table.lookup(30, MAC_A, T0)).isEqualTo(NO_PORT);
            assertThat(table.size()).isEqualTo(2);
            assertThat(table.moves()).isZero();
        }

        @Test
        void extremeKeysArePackedWithoutCollisions() {
            long allOnes = MacAddress.BROADCAST.toLong();
            table.learn(0, 0, 0, T0);
            table.learn(4095, allOnes, 1, T0);
            table.learn(0, allOnes, 2, T0);
            table.learn(4095, 0, 3, T0);
            assertThat(table.lookup(0, 0, T0)).isZero();
            assertThat(table.lookup(4095, allOnes, T0)).isEqualTo(1);
            assertThat(table.lookup(0, allOnes, T0)).isEqualTo(2);
            assertThat(table.lookup(4095, 0, T0)).isEqualTo(3);
        }

        @Test
        void theHighestPortNumberRoundTrips() {
            MacLearningTable wide = new MacLearningTable(MacLearningTable.MAX_PORTS, 16, 300);
            wide.learn(1, MAC_A, 65535, T0);
            wide.learn(1, MAC_B, 32768, T0);
            assertThat(wide.lookup(1, MAC_A, T0)).isEqualTo(65535);
            assertThat(wide.lookup(1, MAC_B, T0)).isEqualTo(32768);
            assertThat(wide.entries(65535)).isEqualTo(1);
            assertThat(wide.learn(1, MAC_A, 65535, T0 + 1)).isEqualTo(LearnResult.REFRESHED);
            assertThat(wide.flushPort(65535)).isEqualTo(1);
        }

        @Test
        void outOfRangeArgumentsAreRefusedWithTheValue() {
            assertThatThrownBy(() -> table.learn(4096, MAC_A, 0, T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VLAN 4096");
            assertThatThrownBy(() -> table.lookup(-1, MAC_A, T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VLAN -1");
            assertThatThrownBy(() -> table.learn(1, 1L << 48, 0, T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x1000000000000");
            assertThatThrownBy(() -> table.learn(1, MAC_A, 8, T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 8");
            assertThatThrownBy(() -> table.learn(1, MAC_A, -1, T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port -1");
            assertThatThrownBy(() -> table.flushPort(9)).hasMessageContaining("port 9");
            assertThatThrownBy(() -> table.flushVlan(5000)).hasMessageContaining("VLAN 5000");
            assertThatThrownBy(() -> table.ageSome(T0, -1)).hasMessageContaining("-1");
            assertThat(table.size()).isZero();
        }
    }

    @Nested
    class Aging {
        @Test
        void anEntryExpiresExactlyWhenItsAgeReachesTheAgingTime() {
            table.learn(10, MAC_A, 3, T0);
            assertThat(table.lookup(10, MAC_A, T0 + AGING - 1)).isEqualTo(3);
            assertThat(table.lookup(10, MAC_A, T0 + AGING)).isEqualTo(NO_PORT);
            assertThat(table.age(T0 + AGING - 1)).isZero();
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.age(T0 + AGING)).isEqualTo(1);
            assertThat(table.size()).isZero();
            assertThat(table.entries(3)).isZero();
        }

        @Test
        void aRefreshRestartsTheAgingTime() {
            table.learn(10, MAC_A, 3, T0);
            table.learn(10, MAC_A, 3, T0 + AGING - 1);
            assertThat(table.lookup(10, MAC_A, T0 + 2 * AGING - 2)).isEqualTo(3);
            assertThat(table.age(T0 + 2 * AGING - 2)).isZero();
        }

        @Test
        void relearningAnExpiredEntryIsNewNotAMoveEvenBeforeItIsReclaimed() {
            table.learn(10, MAC_A, 3, T0);
            assertThat(table.learn(10, MAC_A, 4, T0 + AGING)).isEqualTo(LearnResult.NEW);
            assertThat(table.moves()).isZero();
            assertThat(table.lookup(10, MAC_A, T0 + AGING)).isEqualTo(4);
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.entries(3)).isZero();
            assertThat(table.entries(4)).isEqualTo(1);
            assertThat(table.learn(10, MAC_A, 4, T0 + 2 * AGING)).isEqualTo(LearnResult.NEW);
        }

        @Test
        void clockOverflowDoesNotMatter() {
            long beforeWrap = Long.MAX_VALUE - SECOND;
            table.learn(10, MAC_A, 3, beforeWrap);
            long afterWrap = beforeWrap + 2 * SECOND; // wraps to a large negative number
            assertThat(table.lookup(10, MAC_A, afterWrap)).isEqualTo(3);
            assertThat(table.lookup(10, MAC_A, beforeWrap + AGING)).isEqualTo(NO_PORT);
        }

        @Test
        void ageSomeLooksAtNoMoreSlotsThanItsBudgetAndEventuallyReclaimsEverything() {
            MacLearningTable small = new MacLearningTable(4, 64, 15);
            for (int i = 0; i < 64; i++) {
                small.learn(1, i, i % 4, T0);
            }
            long later = T0 + 15 * SECOND;
            assertThat(small.ageSome(later, 0)).isZero();
            int removed = small.ageSome(later, 1);
            assertThat(removed).isLessThanOrEqualTo(1);
            int calls = 0;
            while (small.size() > 0) {
                removed += small.ageSome(later, 8);
                calls++;
                assertThat(calls).isLessThan(100);
            }
            assertThat(removed).isEqualTo(64);
            for (int port = 0; port < 4; port++) {
                assertThat(small.entries(port)).isZero();
            }
        }

        @Test
        void ageSomeKeepsLiveEntries() {
            MacLearningTable small = new MacLearningTable(4, 64, 15);
            for (int i = 0; i < 64; i++) {
                small.learn(1, i, i % 4, T0 + (i % 2) * 10 * SECOND);
            }
            assertThat(small.ageSome(T0 + 15 * SECOND, 4 * small.capacity())).isEqualTo(32);
            for (int i = 0; i < 64; i++) {
                assertThat(small.lookup(1, i, T0 + 15 * SECOND)).isEqualTo(i % 2 == 1 ? i % 4 : NO_PORT);
            }
        }

        @Test
        void agingTimeIsConfigurableFrom15To3600Seconds() {
            assertThat(new MacLearningTable(1).agingNanos()).isEqualTo(300 * SECOND);
            assertThat(new MacLearningTable(1, 16, 15).agingNanos()).isEqualTo(15 * SECOND);
            assertThat(new MacLearningTable(1, 16, 3600).agingNanos()).isEqualTo(3600 * SECOND);
            assertThatThrownBy(() -> new MacLearningTable(1, 16, 14))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("MAC aging time 14 s is out of range 15-3600 s");
            assertThatThrownBy(() -> new MacLearningTable(1, 16, 3601))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("MAC aging time 3601 s is out of range 15-3600 s");
        }

        @Test
        void shortAgingTimeAppliesAtItsBoundary() {
            MacLearningTable fast = new MacLearningTable(2, 16, 15);
            fast.learn(1, MAC_A, 1, T0);
            assertThat(fast.lookup(1, MAC_A, T0 + 15 * SECOND - 1)).isEqualTo(1);
            assertThat(fast.lookup(1, MAC_A, T0 + 15 * SECOND)).isEqualTo(NO_PORT);
        }
    }

    @Nested
    class Limits {
        @Test
        void limitAndPortCountAreValidated() {
            assertThat(new MacLearningTable(1).limit()).isEqualTo(8192);
            assertThat(new MacLearningTable(1).capacity()).isEqualTo(16384);
            assertThat(new MacLearningTable(1, 1, 300).capacity()).isEqualTo(2);
            assertThat(new MacLearningTable(1, 5000, 300).capacity()).isEqualTo(16384);
            assertThatThrownBy(() -> new MacLearningTable(1, 0, 300)).hasMessage(
                    "MAC table limit 0 is out of range 1-1048576");
            assertThatThrownBy(() -> new MacLearningTable(1, (1 << 20) + 1, 300)).hasMessageContaining("1048577");
            assertThatThrownBy(() -> new MacLearningTable(0)).hasMessage("port count 0 is out of range 1-65536");
            assertThatThrownBy(() -> new MacLearningTable(65537)).hasMessageContaining("65537");
        }

        @Test
        void aFullTableEvictsFromThePortHoldingTheMostEntries() {
            MacLearningTable t = new MacLearningTable(4, 4, 300);
            t.learn(1, 0xA1, 2, T0);
            t.learn(1, 0xA2, 2, T0 + 1);
            t.learn(1, 0xB1, 1, T0 + 2);
            t.learn(1, 0xC1, 3, T0 + 3);

            assertThat(t.learn(1, 0xD1, 0, T0 + 4)).isEqualTo(LearnResult.NEW);

            assertThat(t.size()).isEqualTo(4);
            assertThat(t.evictions()).isEqualTo(1);
            assertThat(t.entries(2)).isEqualTo(1);
            // Port 2's least recently learned entry goes; everyone else keeps theirs.
            assertThat(t.lookup(1, 0xA1, T0 + 4)).isEqualTo(NO_PORT);
            assertThat(t.lookup(1, 0xA2, T0 + 4)).isEqualTo(2);
            assertThat(t.lookup(1, 0xB1, T0 + 4)).isEqualTo(1);
            assertThat(t.lookup(1, 0xC1, T0 + 4)).isEqualTo(3);
            assertThat(t.lookup(1, 0xD1, T0 + 4)).isEqualTo(0);
        }

        @Test
        void tiesGoToTheLowestNumberedPort() {
            MacLearningTable t = new MacLearningTable(4, 4, 300);
            t.learn(1, 0x31, 3, T0);
            t.learn(1, 0x32, 3, T0);
            t.learn(1, 0x11, 1, T0);
            t.learn(1, 0x12, 1, T0);

            t.learn(1, 0x21, 2, T0);

            assertThat(t.entries(1)).isEqualTo(1);
            assertThat(t.entries(3)).isEqualTo(2);
            assertThat(t.lookup(1, 0x11, T0)).isEqualTo(NO_PORT);
        }

        @Test
        void aFloodingPortEvictsItsOwnEntriesButARefreshedOneGetsASecondChance() {
            MacLearningTable t = new MacLearningTable(2, 8, 300);
            long now = T0;
            t.learn(1, 0xF00D, 1, now); // the real VM behind port 1, learned first
            t.learn(1, 0x0001, 0, now);
            for (long spoofed = 0x1000; spoofed < 0x1006; spoofed++) {
                t.learn(1, spoofed, 1, now);
            }
            assertThat(t.size()).isEqualTo(8);
            t.learn(1, 0xF00D, 1, ++now); // the VM keeps talking
            for (long spoofed = 0x2000; spoofed < 0x2100; spoofed++) {
                t.learn(1, spoofed, 1, ++now);
                t.learn(1, 0xF00D, 1, now);
            }
            assertThat(t.size()).isEqualTo(8);
            assertThat(t.lookup(1, 0x0001, now)).isEqualTo(0);
            assertThat(t.lookup(1, 0xF00D, now)).isEqualTo(1);
            assertThat(t.entries(0)).isEqualTo(1);
            assertThat(t.entries(1)).isEqualTo(7);
            assertThat(t.evictions()).isEqualTo(0x100);
        }

        @Test
        void aRefreshedEntryAtTheHeadOfTheQueueSurvivesAndTheStaleOneBehindItGoes() {
            MacLearningTable t = new MacLearningTable(1, 2, 15);
            t.learn(1, MAC_A, 0, T0);
            t.learn(1, MAC_B, 0, T0);
            t.learn(1, MAC_A, 0, T0 + 10 * SECOND); // A is refreshed and stays live; B expires at T0 + 15 s
            assertThat(t.learn(1, MAC_C, 0, T0 + 20 * SECOND)).isEqualTo(LearnResult.NEW);
            assertThat(t.lookup(1, MAC_A, T0 + 20 * SECOND)).isZero();
            assertThat(t.lookup(1, MAC_C, T0 + 20 * SECOND)).isZero();
            assertThat(dump(t)).containsOnlyKeys(key(1, MAC_A), key(1, MAC_C));
        }

        @Test
        void aTableOfOneAlwaysHoldsTheLatestAddress() {
            MacLearningTable t = new MacLearningTable(3, 1, 300);
            for (int i = 0; i < 100; i++) {
                assertThat(t.learn(7, i, i % 3, T0 + i)).isEqualTo(LearnResult.NEW);
                assertThat(t.size()).isEqualTo(1);
                assertThat(t.lookup(7, i, T0 + i)).isEqualTo(i % 3);
            }
        }
    }

    @Nested
    class Flushing {
        @Test
        void flushPortForgetsOnlyThatPort() {
            table.learn(1, MAC_A, 1, T0);
            table.learn(2, MAC_A, 1, T0);
            table.learn(1, MAC_B, 2, T0);
            assertThat(table.flushPort(1)).isEqualTo(2);
            assertThat(table.lookup(1, MAC_A, T0)).isEqualTo(NO_PORT);
            assertThat(table.lookup(2, MAC_A, T0)).isEqualTo(NO_PORT);
            assertThat(table.lookup(1, MAC_B, T0)).isEqualTo(2);
            assertThat(table.entries(1)).isZero();
            assertThat(table.size()).isEqualTo(1);
            assertThat(table.flushPort(1)).isZero();
        }

        @Test
        void flushVlanForgetsOnlyThatVlan() {
            table.learn(1, MAC_A, 1, T0);
            table.learn(2, MAC_A, 1, T0);
            table.learn(1, MAC_B, 2, T0);
            assertThat(table.flushVlan(1)).isEqualTo(2);
            assertThat(table.lookup(2, MAC_A, T0)).isEqualTo(1);
            assertThat(table.lookup(1, MAC_A, T0)).isEqualTo(NO_PORT);
            assertThat(table.lookup(1, MAC_B, T0)).isEqualTo(NO_PORT);
            assertThat(table.entries(1)).isEqualTo(1);
            assertThat(table.entries(2)).isZero();
        }

        @Test
        void flushForgetsEverythingButKeepsTheTotals() {
            table.learn(1, MAC_A, 1, T0);
            table.learn(1, MAC_A, 2, T0);
            table.flush();
            assertThat(table.size()).isZero();
            assertThat(table.entries(2)).isZero();
            assertThat(table.lookup(1, MAC_A, T0)).isEqualTo(NO_PORT);
            assertThat(table.moves()).isEqualTo(1);
            assertThat(table.learn(1, MAC_A, 1, T0)).isEqualTo(LearnResult.NEW);
        }

        @Test
        void forEachReportsEveryStoredEntry() {
            table.learn(4095, MAC_A, 1, T0);
            table.learn(1, MAC_B, 7, T0 + 5);
            Map<Long, long[]> seen = new HashMap<>();
            table.forEach((vlan, mac, port, last) -> seen.put(key(vlan, mac), new long[] {port, last}));
            assertThat(seen).hasSize(2);
            assertThat(seen.get(key(4095, MAC_A))).containsExactly(1, T0);
            assertThat(seen.get(key(1, MAC_B))).containsExactly(7, T0 + 5);
        }
    }

    @Nested
    class BackwardShift {
        /** Keys that all hash to the same home slot, so they form one probe cluster. */
        private List<Long> collidingMacs(MacLearningTable t, int home, int count) {
            List<Long> macs = new ArrayList<>();
            for (long mac = 1; macs.size() < count; mac++) {
                if (t.home(MacLearningTable.pack(1, mac)) == home) {
                    macs.add(mac);
                }
            }
            return macs;
        }

        @Test
        void deletingTheHeadOfAClusterKeepsTheRestReachableAndReinsertWorks() {
            MacLearningTable t = new MacLearningTable(4, 64, 15);
            List<Long> macs = collidingMacs(t, 5, 4);
            for (int i = 0; i < 4; i++) {
                t.learn(1, macs.get(i), i, T0);
            }
            assertThat(t.flushPort(0)).isEqualTo(1);
            for (int i = 1; i < 4; i++) {
                assertThat(t.lookup(1, macs.get(i), T0)).isEqualTo(i);
            }
            assertThat(t.learn(1, macs.get(0), 0, T0)).isEqualTo(LearnResult.NEW);
            assertThat(t.flushPort(2)).isEqualTo(1);
            for (int i = 0; i < 4; i++) {
                assertThat(t.lookup(1, macs.get(i), T0)).isEqualTo(i == 2 ? NO_PORT : i);
            }
            assertThat(t.learn(1, macs.get(2), 2, T0)).isEqualTo(LearnResult.NEW);
            assertThat(dump(t)).hasSize(4);
        }

        @Test
        void clustersThatWrapAroundTheEndSurviveDeletion() {
            MacLearningTable t = new MacLearningTable(4, 64, 15);
            int last = t.capacity() - 1;
            List<Long> wrapping = collidingMacs(t, last, 3);
            List<Long> atZero = collidingMacs(t, 0, 2);
            t.learn(1, wrapping.get(0), 0, T0);
            t.learn(1, wrapping.get(1), 1, T0); // lands in slot 0
            t.learn(1, atZero.get(0), 2, T0); // home 0, pushed to slot 1
            t.learn(1, wrapping.get(2), 3, T0); // slot 2
            t.learn(1, atZero.get(1), 2, T0 + 10 * SECOND); // slot 3, lives longer

            assertThat(t.age(T0 + 15 * SECOND)).isEqualTo(4);

            assertThat(t.lookup(1, atZero.get(1), T0 + 15 * SECOND)).isEqualTo(2);
            assertThat(dump(t)).containsOnlyKeys(key(1, atZero.get(1)));
            for (int i = 0; i < 3; i++) {
                t.learn(1, wrapping.get(i), i, T0 + 15 * SECOND);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(t.lookup(1, wrapping.get(i), T0 + 15 * SECOND)).isEqualTo(i);
            }
        }

        @Test
        void evictionInTheMiddleOfTheProbingClusterStillInsertsReachably() {
            MacLearningTable t = new MacLearningTable(2, 3, 300);
            int home = 1;
            List<Long> macs = collidingMacs(t, home, 4);
            t.learn(1, macs.get(0), 0, T0);
            t.learn(1, macs.get(1), 0, T0);
            t.learn(1, macs.get(2), 1, T0);
            assertThat(t.learn(1, macs.get(3), 1, T0)).isEqualTo(LearnResult.NEW); // evicts macs[0] from port 0
            assertThat(t.lookup(1, macs.get(0), T0)).isEqualTo(NO_PORT);
            for (int i = 1; i < 4; i++) {
                assertThat(t.lookup(1, macs.get(i), T0)).isEqualTo(i < 2 ? 0 : 1);
            }
        }
    }

    @Test
    void learnAndLookupAllocateNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MacLearningTable t = new MacLearningTable(8, 4096, 300);
        for (int i = 0; i < 4096; i++) {
            t.learn(1 + i % 3, 0x0200_0000_0000L + i, i % 8, T0);
        }
        long sink = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up, the second is measured
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) {
                int k = i & 4095;
                sink += t.learn(1 + k % 3, 0x0200_0000_0000L + k, k % 8, T0 + i).ordinal();
                sink += t.lookup(1 + k % 3, 0x0200_0000_0000L + k, T0 + i);
                sink += t.ageSome(T0 + i, 4);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).as("bytes allocated by 600 000 calls").isLessThan(1024);
            }
        }
        assertThat(sink).isPositive();
    }

    static long key(int vlan, long mac) {
        return (long) vlan << 48 | mac;
    }

    static Map<Long, long[]> dump(MacLearningTable t) {
        Map<Long, long[]> entries = new HashMap<>();
        t.forEach((vlan, mac, port, last) -> entries.put(key(vlan, mac), new long[] {port, last}));
        return entries;
    }
}
