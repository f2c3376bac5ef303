package dev.iov.api.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionedValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JournalStateStore#commit}: one BATCH record, recovered whole or not at all. */
class JournalBatchTest {

    @TempDir
    Path directory;

    @Test
    void batchRoundTripsThroughCloseAndReopen() {
        Map<String, VersionedValue> expected;
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("b", bytes("b1"), StateStore.ABSENT);
            store.put("c", bytes("c1"), StateStore.ABSENT);
            assertThat(store.commit(List.of(
                    new StoreOp.Put("a", bytes("a1"), StateStore.ABSENT),
                    new StoreOp.Put("b", bytes("b2"), 1),
                    new StoreOp.Delete("c", 1),
                    new StoreOp.Check("d", StateStore.ABSENT)))).containsExactly(1L, 2L, StateStore.ABSENT,
                            StateStore.ABSENT);
            expected = store.list("");
        }
        assertThat(expected).containsOnlyKeys("a", "b");
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(expected);
            // Versions carry on: the batch's versions are the ones compare-and-set sees after the restart.
            assertThat(store.commit(List.of(new StoreOp.Put("a", bytes("a2"), 1),
                    new StoreOp.Put("b", bytes("b3"), 2)))).containsExactly(2L, 3L);
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.get("a")).contains(new VersionedValue(2, bytes("a2")));
            assertThat(store.get("b")).contains(new VersionedValue(3, bytes("b3")));
        }
    }

    @Test
    void commitWritesOneRecordSyncedOnce() throws IOException {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.commit(List.of(new StoreOp.Put("a", bytes("1"), StateStore.ABSENT),
                    new StoreOp.Put("b", bytes("2"), StateStore.ABSENT),
                    new StoreOp.Put("c", bytes("3"), StateStore.ABSENT)));
        }
        List<Long> boundaries = JournalFiles.recordBoundaries(JournalFiles.journal(directory));
        assertThat(boundaries).hasSize(2);
        byte[] bytes = Files.readAllBytes(JournalFiles.journal(directory));
        assertThat(bytes[JournalFormat.HEADER_SIZE + JournalFormat.FRAME_SIZE]).isEqualTo(JournalFormat.OP_BATCH);
    }

    /** A crash anywhere inside the batch record: none of its changes survive, everything before it does. */
    @Test
    void batchTruncatedAtEveryOffsetIsDiscardedWhole() throws IOException {
        Map<String, VersionedValue> before;
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("x", bytes("x1"), StateStore.ABSENT);
            store.put("y", bytes("y1"), StateStore.ABSENT);
            before = store.list("");
            store.commit(List.of(new StoreOp.Put("x", bytes("x2"), 1),
                    new StoreOp.Delete("y", 1),
                    new StoreOp.Put("z", bytes("z1"), StateStore.ABSENT)));
        }
        Path journal = JournalFiles.journal(directory);
        byte[] whole = Files.readAllBytes(journal);
        List<Long> boundaries = JournalFiles.recordBoundaries(journal);
        long batchStart = boundaries.get(boundaries.size() - 2);
        long batchEnd = boundaries.get(boundaries.size() - 1);
        assertThat(batchEnd).isEqualTo(whole.length);

        for (long cut = batchStart; cut < batchEnd; cut++) {
            Files.write(journal, whole);
            JournalFiles.truncate(journal, cut);
            try (JournalStateStore store = JournalStateStore.open(directory)) {
                assertThat(store.list("")).as("journal cut at %d", cut).isEqualTo(before);
            }
            assertThat(Files.size(journal)).as("journal cut at %d", cut).isEqualTo(batchStart);
        }
        Files.write(journal, whole);
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).containsOnlyKeys("x", "z");
        }
    }

    /** A garbled byte anywhere in the last batch: torn tail, discarded whole. */
    @Test
    void batchWithAFlippedByteAtTheTailIsDiscardedWhole() throws IOException {
        Map<String, VersionedValue> before;
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("x", bytes("x1"), StateStore.ABSENT);
            before = store.list("");
            store.commit(List.of(new StoreOp.Put("x", bytes("x2"), 1),
                    new StoreOp.Put("z", bytes("z1"), StateStore.ABSENT)));
        }
        Path journal = JournalFiles.journal(directory);
        byte[] whole = Files.readAllBytes(journal);
        List<Long> boundaries = JournalFiles.recordBoundaries(journal);
        long batchStart = boundaries.get(boundaries.size() - 2);
        for (long offset = batchStart; offset < whole.length; offset++) {
            Files.write(journal, whole);
            JournalFiles.flipByte(journal, offset);
            try (JournalStateStore store = JournalStateStore.open(directory)) {
                assertThat(store.list("")).as("byte %d flipped", offset).isEqualTo(before);
            }
        }
    }

    @Test
    void compactionKeepsCommittedBatches() {
        Map<String, VersionedValue> expected = new TreeMap<>();
        try (JournalStateStore store = JournalStateStore.builder(directory).compactionThresholdBytes(512).open()) {
            for (int i = 0; i < 200; i++) {
                String a = "k/" + (i % 7);
                String b = "k/" + ((i + 3) % 7);
                long va = store.get(a).map(VersionedValue::version).orElse(StateStore.ABSENT);
                long vb = store.get(b).map(VersionedValue::version).orElse(StateStore.ABSENT);
                store.commit(List.of(new StoreOp.Put(a, bytes("a" + i), va), new StoreOp.Put(b, bytes("b" + i), vb)));
            }
            expected.putAll(store.list(""));
            assertThat(JournalFiles.names(directory)).anyMatch(name -> name.startsWith("snapshot-"));
        }
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(expected);
        }
    }

    @Test
    void batchRecordInASnapshotIsCorruption() throws IOException {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.put("a", bytes("1"), StateStore.ABSENT);
            store.compact();
        }
        Path snapshot = JournalFiles.snapshot(directory);
        byte[] header = Arrays.copyOf(Files.readAllBytes(snapshot), JournalFormat.HEADER_SIZE);
        byte[] batch = JournalFormat.encodeBatch(List.of(new StoreEvent("a", StoreEvent.Type.PUT, 1, bytes("1"))));
        ByteBuffer file = ByteBuffer.allocate(header.length + batch.length).put(header).put(batch);
        Files.write(snapshot, file.array());

        assertThatThrownBy(() -> JournalStateStore.open(directory).close())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("BATCH");
    }

    @Test
    void transactionLargerThanABatchMayHoldIsRejectedBeforeAnythingIsWritten() {
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            byte[] large = new byte[dev.iov.api.store.StoreKeys.MAX_VALUE_BYTES];
            List<StoreOp> ops = List.of(new StoreOp.Put("a", large, StateStore.ANY_VERSION),
                    new StoreOp.Put("b", large, StateStore.ANY_VERSION),
                    new StoreOp.Put("c", large, StateStore.ANY_VERSION),
                    new StoreOp.Put("d", large, StateStore.ANY_VERSION));
            assertThatThrownBy(() -> store.commit(ops)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit");
            assertThat(store.list("")).isEmpty();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
