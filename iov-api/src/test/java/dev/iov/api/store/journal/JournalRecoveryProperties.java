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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Recovery against random histories and random damage: a torn last record is dropped and nothing else, and no
 * damage makes an open fail with anything but a {@link StoreException} or return records that were never written.
 * Batch records (transactions) round-trip through the codec, random payloads decode or fail with the codec's one
 * documented exception, and a torn transaction is dropped whole.
 */
class JournalRecoveryProperties {

    private Path directory;

    @BeforeTry
    void createDirectory() throws IOException {
        directory = Files.createTempDirectory("journal-properties");
    }

    @AfterTry
    void deleteDirectory() {
        JournalFiles.deleteRecursively(directory);
    }

    /** How the last record is damaged: as a crash tears it, or as a disk garbles it. */
    enum Tear {
        /** The file ends inside the record. */
        TRUNCATE,
        /** The record's tail reads as zeros (the file's size reached the disk, its data did not). */
        ZEROS,
        /** One byte of the record is wrong. */
        FLIP
    }

    @Property(tries = 50)
    void tornLastRecordIsDiscarded(@ForAll("histories") List<Op> history,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where, @ForAll Tear tear)
            throws IOException {
        Written written = write(history);
        Path journal = JournalFiles.journal(directory);
        long lastStart = written.ends.get(written.ends.size() - 2);
        long lastEnd = written.ends.get(written.ends.size() - 1);
        long offset = lastStart + (long) (where * (lastEnd - lastStart));
        // Zeroing bytes that are already zero (the tail of an empty value is a zero length) leaves the record
        // intact, and then it must survive: such samples test nothing about tearing.
        Assume.that(tear != Tear.ZEROS || !JournalFiles.isAllZero(journal, offset, lastEnd));
        switch (tear) {
            case TRUNCATE -> JournalFiles.truncate(journal, offset);
            case ZEROS -> JournalFiles.overwrite(journal, offset, new byte[(int) (lastEnd - offset)]);
            case FLIP -> JournalFiles.flipByte(journal, offset);
        }

        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(written.states.get(written.states.size() - 2));
        }
        assertThat(Files.size(journal)).isEqualTo(lastStart);
    }

    @Property(tries = 25)
    void appendedGarbageIsATornTailOrAStoreException(@ForAll("histories") List<Op> history,
            @ForAll @Size(min = 1, max = 300) byte[] garbage) throws IOException {
        Written written = write(history);
        JournalFiles.append(JournalFiles.journal(directory), garbage);

        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(written.states.get(written.states.size() - 1));
        } catch (StoreException e) {
            // Allowed: the garbage could hold something that checks out as a record.
        }
    }

    @Property(tries = 25)
    void randomJournalFileIsAStoreException(@ForAll @Size(max = 600) byte[] contents) throws IOException {
        Files.write(directory.resolve("journal-000000.log"), contents);

        assertThatThrownBy(() -> JournalStateStore.open(directory).close()).isInstanceOf(StoreException.class);
    }

    @Property(tries = 20)
    void randomSnapshotFileIsAStoreException(@ForAll("histories") List<Op> history,
            @ForAll @Size(max = 600) byte[] contents) throws IOException {
        write(history);
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            store.compact();
        }
        Files.write(JournalFiles.snapshot(directory), contents);

        assertThatThrownBy(() -> JournalStateStore.open(directory).close()).isInstanceOf(StoreException.class);
    }

    /**
     * Random bytes over a random stretch of the journal. The open either fails with a {@link StoreException}, or
     * succeeds with a state the history really went through, no older than the last record wholly before the
     * damage.
     */
    @Property(tries = 40)
    void overwrittenStretchIsAStoreExceptionOrATornTail(@ForAll("histories") List<Op> history,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where,
            @ForAll @Size(min = 1, max = 64) byte[] garbage) throws IOException {
        Written written = write(history);
        Path journal = JournalFiles.journal(directory);
        long size = Files.size(journal);
        long offset = (long) (where * size);
        JournalFiles.overwrite(journal, offset, garbage);

        Map<String, VersionedValue> state;
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            state = store.list("");
        } catch (StoreException e) {
            return;
        }
        int intact = 0;
        while (intact + 1 < written.ends.size() && written.ends.get(intact + 1) <= offset) {
            intact++;
        }
        assertThat(written.states.subList(intact, written.states.size())).contains(state);
    }

    // ---- batches (commit) ----

    /** A transaction's changes survive the codec exactly: encoded as one BATCH record, decoded to the same list. */
    @Property(tries = 200)
    void batchRecordsRoundTrip(@ForAll("batches") List<StoreEvent> changes) throws Exception {
        byte[] record = JournalFormat.encodeBatch(changes);
        ByteBuffer frame = ByteBuffer.wrap(record);
        int length = frame.getInt();
        int crc = frame.getInt();
        assertThat(length).isEqualTo(record.length - JournalFormat.FRAME_SIZE);
        ByteBuffer payload = ByteBuffer.wrap(record, JournalFormat.FRAME_SIZE, length).slice();
        assertThat(JournalFormat.crc(payload)).isEqualTo(crc);

        JournalFormat.Decoded decoded = JournalFormat.decode(payload);

        assertThat(decoded.batch()).isTrue();
        assertThat(decoded.changes()).hasSameSizeAs(changes);
        for (int i = 0; i < changes.size(); i++) {
            StoreEvent expected = changes.get(i);
            StoreEvent actual = decoded.changes().get(i);
            assertThat(actual.key()).isEqualTo(expected.key());
            assertThat(actual.type()).isEqualTo(expected.type());
            assertThat(actual.version()).isEqualTo(expected.version());
            assertThat(actual.value()).isEqualTo(expected.type() == StoreEvent.Type.PUT ? expected.value()
                    : new byte[0]);
        }
    }

    /** Whatever the bytes of a payload, decoding returns changes or throws the documented FormatException. */
    @Property(tries = 500)
    void randomPayloadDecodesOrIsAFormatException(@ForAll("payloads") byte[] payload) {
        try {
            JournalFormat.decode(ByteBuffer.wrap(payload));
        } catch (JournalFormat.FormatException e) {
            // The one documented failure.
        }
    }

    /**
     * A record whose CRC checks out but whose payload is random bytes (a batch op first, so the batch decoder runs):
     * the open either reads it as the changes it happens to spell, or fails with a {@link StoreException}.
     */
    @Property(tries = 100)
    void checksummedRandomBatchIsReadOrAStoreException(@ForAll("histories") List<Op> history,
            @ForAll("payloads") byte[] payload) throws IOException {
        write(history);
        payload[0] = JournalFormat.OP_BATCH;
        ByteBuffer record = ByteBuffer.allocate(JournalFormat.FRAME_SIZE + payload.length);
        record.putInt(payload.length).putInt(JournalFormat.crc(ByteBuffer.wrap(payload))).put(payload);
        JournalFiles.append(JournalFiles.journal(directory), record.array());

        try {
            JournalStateStore.open(directory).close();
        } catch (StoreException e) {
            assertThat(e).hasMessageContaining("offset");
        }
    }

    /** A transaction torn anywhere at the tail: none of its changes survive, everything before it does. */
    @Property(tries = 50)
    void tornLastTransactionIsDiscardedWhole(@ForAll("histories") List<Op> history,
            @ForAll("transactions") List<Op> transaction,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double where, @ForAll Tear tear)
            throws IOException {
        Written written = write(history);
        Map<String, VersionedValue> before = written.states.get(written.states.size() - 1);
        Path journal = JournalFiles.journal(directory);
        long start = Files.size(journal);
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            List<StoreOp> ops = new ArrayList<>();
            for (Op op : transaction) {
                ops.add(op.value() == null ? new StoreOp.Delete("key/" + op.key(), StateStore.ANY_VERSION)
                        : new StoreOp.Put("key/" + op.key(), op.value(), StateStore.ANY_VERSION));
            }
            store.commit(ops);
        }
        long end = Files.size(journal);
        Assume.that(end > start);
        long offset = start + (long) (where * (end - start));
        Assume.that(tear != Tear.ZEROS || !JournalFiles.isAllZero(journal, offset, end));
        switch (tear) {
            case TRUNCATE -> JournalFiles.truncate(journal, offset);
            case ZEROS -> JournalFiles.overwrite(journal, offset, new byte[(int) (end - offset)]);
            case FLIP -> JournalFiles.flipByte(journal, offset);
        }

        try (JournalStateStore store = JournalStateStore.open(directory)) {
            assertThat(store.list("")).isEqualTo(before);
        }
        assertThat(Files.size(journal)).isEqualTo(start);
    }

    @Provide
    Arbitrary<List<StoreEvent>> batches() {
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20);
        Arbitrary<StoreEvent> changes = Combinators.combine(keys, Arbitraries.of(StoreEvent.Type.values()),
                Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.bytes().array(byte[].class).ofMaxSize(40))
                .as((key, type, version, value) -> new StoreEvent(key, type, version,
                        type == StoreEvent.Type.PUT ? value : new byte[0]));
        return changes.list().ofMinSize(1).ofMaxSize(8).uniqueElements(StoreEvent::key);
    }

    /** Random payloads, some of them starting like a batch with a plausible change count. */
    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
        Arbitrary<byte[]> batchLike = Combinators.combine(Arbitraries.integers().between(0, 5), random)
                .as((count, rest) -> ByteBuffer.allocate(5 + rest.length).put(JournalFormat.OP_BATCH).putInt(count)
                        .put(rest).array());
        Arbitrary<byte[]> batchOfValidChange = Combinators.combine(batches(), Arbitraries.integers().between(0, 30))
                .as((changes, cut) -> {
                    byte[] record = JournalFormat.encodeBatch(changes);
                    int length = Math.max(1, record.length - JournalFormat.FRAME_SIZE - cut);
                    return Arrays.copyOfRange(record, JournalFormat.FRAME_SIZE, JournalFormat.FRAME_SIZE + length);
                });
        return Arbitraries.oneOf(random, batchLike, batchOfValidChange);
    }

    /** Two to five steps on distinct keys. */
    @Provide
    Arbitrary<List<Op>> transactions() {
        Arbitrary<Op> puts = Combinators.combine(Arbitraries.integers().between(0, 6),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80)).as(Op::new);
        Arbitrary<Op> deletes = Arbitraries.integers().between(0, 6).map(key -> new Op(key, null));
        return Arbitraries.frequencyOf(Tuple.of(4, puts), Tuple.of(1, deletes)).list().ofMinSize(2).ofMaxSize(5)
                .uniqueElements(Op::key)
                .filter(ops -> ops.stream().anyMatch(op -> op.value() != null));
    }

    // ---- histories ----

    /** One write: a put of {@code value} to key {@code key}, or a delete when {@code value} is null. */
    record Op(int key, byte[] value) {
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> puts = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80)).as(Op::new);
        Arbitrary<Op> deletes = Arbitraries.integers().between(0, 4).map(key -> new Op(key, null));
        Arbitrary<Op> any = Arbitraries.frequencyOf(
                Tuple.of(4, puts), Tuple.of(1, deletes));
        // End on a put, so that the last operation surely writes a record.
        return Combinators.combine(any.list().ofMaxSize(12), puts).as((ops, last) -> {
            List<Op> all = new ArrayList<>(ops);
            all.add(last);
            return all;
        });
    }

    /**
     * What writing a history left: the journal offset where each record ends (the first entry is where the first
     * record starts) and the state after each record (the first entry is the empty state).
     */
    private record Written(List<Long> ends, List<Map<String, VersionedValue>> states) {
    }

    private Written write(List<Op> history) throws IOException {
        List<Long> ends = new ArrayList<>();
        List<Map<String, VersionedValue>> states = new ArrayList<>();
        Map<String, VersionedValue> model = new TreeMap<>();
        try (JournalStateStore store = JournalStateStore.open(directory)) {
            Path journal = JournalFiles.journal(directory);
            ends.add(Files.size(journal));
            states.add(Map.copyOf(model));
            for (Op op : history) {
                String key = "key/" + op.key();
                boolean wrote;
                if (op.value() == null) {
                    wrote = store.delete(key, StateStore.ANY_VERSION);
                    model.remove(key);
                } else {
                    long version = store.put(key, op.value(), StateStore.ANY_VERSION);
                    model.put(key, new VersionedValue(version, op.value()));
                    wrote = true;
                }
                if (wrote) {
                    // put and delete return once the record is on disk, so the file's size is its end.
                    ends.add(Files.size(journal));
                    states.add(new TreeMap<>(model));
                }
            }
        }
        return new Written(ends, states);
    }
}
