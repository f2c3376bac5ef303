package dev.iov.api.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.VersionedValue;
import dev.iov.api.internal.store.RecordIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link JournalStateStore} adds to the contract: persistence, recovery, compaction, locking. */
class JournalStateStoreTest {

    @TempDir
    Path directory;

    // ---- persistence ----

    @Test
    void reopenReturnsEverything() {
        Map<String, VersionedValue> expected;
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            expected = randomWorkload(store, 150, 30, new Random(1));
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(expected);
            // Versions carry on where they were: compare-and-set against a version read before the restart works.
            String key = expected.keySet().iterator().next();
            long version = expected.get(key).version();
            assertThat(store.put(key, bytes("after restart"), version)).isEqualTo(version + 1);
        }
    }

    @Test
    void newDirectoryIsCreated() {
        Path nested = directory.resolve("a/b/store");
        try (JournalStateStore store = JournalStateStore.open(nested)) {
            store.put("k", bytes("v"), StateStore.ABSENT);
        }
        try (JournalStateStore store = JournalStateStore.open(nested)) {
            assertThat(store.get("k")).contains(new VersionedValue(1, bytes("v")));
        }
        assertThat(JournalFiles.names(nested)).containsExactly("journal-000000.log");
    }

    // ---- compaction ----

    @Test
    void compactionThenReopenReturnsEverything() {
        Map<String, VersionedValue> expected;
        try (JournalStateStore store = JournalStateStore.builder(directory).compactionThresholdBytes(1024).open()) {
            expected = randomWorkload(store, 400, 20, new Random(2));
            assertThat(generationOf(JournalFiles.journal(directory))).isGreaterThan(5);
            assertThat(store.list("")).isEqualTo(expected);
        }
        List<String> files = JournalFiles.names(directory);
        assertThat(files).hasSize(2).allMatch(name -> name.startsWith("journal-") || name.startsWith("snapshot-"));
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(expected);
        }
    }

    @Test
    void explicitCompactionKeepsStateAndLaterWrites() {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("a", bytes("1"), StateStore.ABSENT);
            store.put("b", bytes("1"), StateStore.ABSENT);
            store.put("a", bytes("2"), 1);
            store.delete("b", 1);
            store.compact();
            assertThat(JournalFiles.names(directory)).containsExactly("journal-000001.log", "snapshot-000001.snap");
            store.put("c", bytes("1"), StateStore.ABSENT);
            store.put("a", bytes("3"), 2);
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).containsExactly(
                    Map.entry("a", new VersionedValue(3, bytes("3"))),
                    Map.entry("c", new VersionedValue(1, bytes("1"))));
        }
    }

    @Test
    void compactionOfAnEmptyStoreWorks() {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("a", bytes("1"), StateStore.ABSENT);
            store.delete("a", 1);
            store.compact();
            store.compact();
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEmpty();
        }
        assertThat(JournalFiles.names(directory)).containsExactly("journal-000002.log", "snapshot-000002.snap");
    }

    @Test
    void crashBeforeTheSnapshotWasRenamedKeepsTheOldGeneration() throws Exception {
        Map<String, VersionedValue> expected = compactedStoreWithJournalRecords();
        // The snapshot of the next generation was being written when the process died.
        Files.write(directory.resolve("snapshot-000002.snap.tmp"), new byte[] {1, 2, 3});

        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(expected);
        }
        assertThat(JournalFiles.names(directory)).containsExactly("journal-000001.log", "snapshot-000001.snap");
    }

    @Test
    void crashAfterTheSnapshotWasRenamedUsesTheNewGeneration() throws Exception {
        Map<String, VersionedValue> expected = compactedStoreWithJournalRecords();
        // Compaction published snapshot 2 and died before creating journal 2 and deleting generation 1.
        try (StoreDirectory locked = StoreDirectory.lock(directory)) {
            RecordIndex index = new RecordIndex();
            JournalRecovery.recover(locked, index);
            Path temporary = SnapshotFile.writeTemporary(locked, 2, index.sharedSnapshot(""));
            locked.publish(temporary, locked.snapshot(2));
        }
        assertThat(JournalFiles.names(directory))
                .containsExactly("journal-000001.log", "snapshot-000001.snap", "snapshot-000002.snap");

        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(expected);
            store.put("after", bytes("x"), StateStore.ABSENT);
        }
        assertThat(JournalFiles.names(directory)).containsExactly("journal-000002.log", "snapshot-000002.snap");
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).hasSize(expected.size() + 1);
        }
    }

    @Test
    void journalWithoutItsSnapshotFailsTheOpen() throws Exception {
        compactedStoreWithJournalRecords();
        Files.copy(JournalFiles.journal(directory), directory.resolve("journal-000007.log"));

        assertThatThrownBy(() -> JournalStateStore.open(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("journal-000007.log")
                .hasMessageContaining("snapshot-000007.snap");
    }

    @Test
    void truncatedSnapshotFailsTheOpen() throws Exception {
        compactedStoreWithJournalRecords();
        Path snapshot = JournalFiles.snapshot(directory);
        List<Long> boundaries = JournalFiles.recordBoundaries(snapshot);
        long lastRecord = boundaries.get(boundaries.size() - 2);
        JournalFiles.truncate(snapshot, lastRecord);

        assertThatThrownBy(() -> JournalStateStore.open(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("snapshot " + snapshot.toRealPath() + " is corrupt at offset " + lastRecord)
                .hasMessageContaining("records");
        // A snapshot is never torn by a crash, so nothing was cut off it.
        assertThat(Files.size(snapshot)).isEqualTo(lastRecord);
    }

    @Test
    void damagedSnapshotRecordFailsTheOpen() throws Exception {
        compactedStoreWithJournalRecords();
        Path snapshot = JournalFiles.snapshot(directory);
        List<Long> boundaries = JournalFiles.recordBoundaries(snapshot);
        long lastRecord = boundaries.get(boundaries.size() - 2);
        JournalFiles.flipByte(snapshot, lastRecord + 12);

        assertThatThrownBy(() -> JournalStateStore.open(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is corrupt at offset " + lastRecord + ": CRC mismatch");
    }

    // ---- torn tails and corruption ----

    @Test
    void everyTruncationOfTheLastRecordIsDiscarded() throws Exception {
        Map<String, VersionedValue> before;
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("a", bytes("first"), StateStore.ABSENT);
            store.put("b", bytes("second"), StateStore.ABSENT);
            before = store.list("");
            store.put("a", bytes("the last record, the one to tear"), 1);
        }
        Path journal = JournalFiles.journal(directory);
        byte[] whole = Files.readAllBytes(journal);
        List<Long> boundaries = JournalFiles.recordBoundaries(journal);
        long lastStart = boundaries.get(boundaries.size() - 2);

        for (long cut = lastStart; cut < whole.length; cut++) {
            Files.write(journal, Arrays.copyOf(whole, (int) cut));
            try (JournalStateStore store = JournalStateStore.open(directory)) {
                assertThat(store.list("")).as("cut at %d", cut).isEqualTo(before);
            }
            assertThat(Files.size(journal)).as("truncated back to the last good record").isEqualTo(lastStart);
        }
    }

    @Test
    void writesAfterATornTailSurviveTheNextOpen() throws Exception {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("a", bytes("1"), StateStore.ABSENT);
            store.put("b", bytes("torn"), StateStore.ABSENT);
        }
        Path journal = JournalFiles.journal(directory);
        JournalFiles.truncate(journal, Files.size(journal) - 3);
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("").keySet()).containsExactly("a");
            store.put("c", bytes("after"), StateStore.ABSENT);
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("").keySet()).containsExactly("a", "c");
        }
    }

    @Test
    void corruptionInTheMiddleFailsTheOpenNamingTheOffset() throws Exception {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            for (int i = 0; i < 20; i++) {
                store.put("k" + i, bytes("value " + i), StateStore.ABSENT);
            }
        }
        Path journal = JournalFiles.journal(directory);
        byte[] whole = Files.readAllBytes(journal);
        List<Long> boundaries = JournalFiles.recordBoundaries(journal);
        long damaged = boundaries.get(7);

        JournalFiles.flipByte(journal, damaged + 20);
        assertThatThrownBy(() -> JournalStateStore.open(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("journal " + journal.toRealPath() + " is corrupt at offset " + damaged
                        + ": CRC mismatch")
                .hasMessageContaining("(record 8)");
        assertThat(Files.readAllBytes(journal)).as("left as found").hasSize(whole.length);

        // A damaged length field is caught the same way, not mistaken for a torn tail.
        Files.write(journal, whole);
        JournalFiles.flipByte(journal, damaged);
        assertThatThrownBy(() -> JournalStateStore.open(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is corrupt at offset " + damaged);
    }

    @Test
    void missingRecordInTheMiddleFailsTheOpen() throws Exception {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("k", bytes("1"), StateStore.ABSENT);
            store.put("k", bytes("2"), 1);
            store.put("k", bytes("3"), 2);
        }
        Path journal = JournalFiles.journal(directory);
        byte[] whole = Files.readAllBytes(journal);
        List<Long> boundaries = JournalFiles.recordBoundaries(journal);
        int from = boundaries.get(1).intValue();
        int to = boundaries.get(2).intValue();
        byte[] spliced = new byte[whole.length - (to - from)];
        System.arraycopy(whole, 0, spliced, 0, from);
        System.arraycopy(whole, to, spliced, from, whole.length - to);
        Files.write(journal, spliced);

        assertThatThrownBy(() -> JournalStateStore.open(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is corrupt at offset " + from)
                .hasMessageContaining("version 3")
                .hasMessageContaining("does not follow");
    }

    @Test
    void damagedHeaderFailsTheOpen() throws Exception {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("k", bytes("1"), StateStore.ABSENT);
        }
        Path journal = JournalFiles.journal(directory);
        JournalFiles.flipByte(journal, 10);

        assertThatThrownBy(() -> JournalStateStore.open(directory))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("is corrupt at offset 0: header CRC mismatch");
    }

    // ---- locking and lifecycle ----

    @Test
    void secondOpenOfTheSameDirectoryFails() {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("k", bytes("1"), StateStore.ABSENT);
            assertThatThrownBy(() -> JournalStateStore.open(directory))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another store");
            // The failed open must not have released the first store's lock or damaged it.
            store.put("k", bytes("2"), 1);
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.get("k")).contains(new VersionedValue(2, bytes("2")));
        }
    }

    @Test
    void closedStoreNamesItsDirectory() throws Exception {
        JournalStateStore store = JournalStateStore.open(directory);
        store.close();

        assertThatThrownBy(() -> store.put("k", bytes("1"), StateStore.ABSENT))
                .isInstanceOf(StoreException.class)
                .hasMessage("journal store " + directory.toRealPath() + " is closed");
        assertThatThrownBy(store::compact).isInstanceOf(StoreException.class).hasMessageContaining("is closed");
    }

    @Test
    void invalidCompactionThresholdIsRejected() {
        assertThatThrownBy(() -> JournalStateStore.builder(directory).compactionThresholdBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers ----

    /** A store compacted to generation 1 with more records in journal 1; returns its state. */
    private Map<String, VersionedValue> compactedStoreWithJournalRecords() {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            randomWorkload(store, 50, 10, new Random(3));
            store.compact();
            randomWorkload(store, 20, 10, new Random(4));
            return store.list("");
        }
    }

    /** Random puts, updates and deletes over a few keys; returns the state they should leave. */
    static Map<String, VersionedValue> randomWorkload(StateStore store, int operations, int keys, Random random) {
        Map<String, VersionedValue> model = new TreeMap<>(store.list(""));
        for (int i = 0; i < operations; i++) {
            String key = "key/" + random.nextInt(keys);
            VersionedValue current = model.get(key);
            if (current != null && random.nextInt(5) == 0) {
                assertThat(store.delete(key, current.version())).isTrue();
                model.remove(key);
            } else {
                byte[] value = new byte[random.nextInt(100)];
                random.nextBytes(value);
                long version = store.put(key, value, current == null ? StateStore.ABSENT : current.version());
                model.put(key, new VersionedValue(version, value));
            }
        }
        return model;
    }

    private static long generationOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
