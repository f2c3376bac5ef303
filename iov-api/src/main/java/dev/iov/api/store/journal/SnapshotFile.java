package dev.iov.api.store.journal;

import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.VersionedValue;
import dev.iov.api.internal.store.RecordIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SortedMap;

/**
 * Writes and loads snapshot files: a header that carries the record count, then one PUT record per live key in
 * key order, in the journal's record format.
 *
 * <p>A snapshot is written whole and synced under a temporary name before it is published, so a snapshot under its
 * final name is never torn; anything wrong with one is corruption.
 */
final class SnapshotFile {

    private static final int BUFFER_BYTES = 1 << 20;

    private SnapshotFile() {
    }

    /**
     * Writes a snapshot under its temporary name and syncs it; publishing it is the caller's step.
     *
     * @param directory the store's directory
     * @param generation the snapshot's generation
     * @param records the live records in key order
     * @return the temporary file
     * @throws IOException when it cannot be written
     */
    static Path writeTemporary(StoreDirectory directory, long generation, SortedMap<String, VersionedValue> records)
            throws IOException {
        Path temporary = directory.temporary(directory.snapshot(generation));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ChannelWriter writer = new ChannelWriter(channel, 0, BUFFER_BYTES);
            writer.write(JournalFormat.header(JournalFormat.SNAPSHOT_MAGIC, generation, records.size()));
            for (var entry : records.entrySet()) {
                VersionedValue record = entry.getValue();
                writer.write(JournalFormat.encode(new StoreEvent(entry.getKey(), StoreEvent.Type.PUT,
                        record.version(), record.value())));
            }
            writer.flush();
            channel.force(true);
        }
        return temporary;
    }

    /**
     * Loads a snapshot into an empty index.
     *
     * @param file the snapshot
     * @param generation the generation its name says
     * @param index receives the records
     * @return the snapshot's size in bytes
     * @throws StoreException when the snapshot is corrupt, naming the offset
     * @throws IOException when it cannot be read
     */
    static long load(Path file, long generation, RecordIndex index) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ChannelReader reader = new ChannelReader(channel, channel.size());
            long expected;
            try {
                expected = JournalFormat.checkHeader(reader.read(0, JournalFormat.HEADER_SIZE),
                        JournalFormat.SNAPSHOT_MAGIC, generation);
            } catch (JournalFormat.FormatException e) {
                throw RecordScanner.corruption("snapshot", file, 0, e.getMessage());
            }
            String[] previousKey = {null};
            RecordScanner.Result result = new RecordScanner("snapshot", file, reader).scan(JournalFormat.HEADER_SIZE,
                    false, (decoded, offset, number) -> {
                        if (decoded.batch()) {
                            throw RecordScanner.corruption("snapshot", file, offset, "record " + number
                                    + " is a BATCH; a snapshot holds only PUT records");
                        }
                        StoreEvent record = decoded.changes().get(0);
                        if (record.type() != StoreEvent.Type.PUT) {
                            throw RecordScanner.corruption("snapshot", file, offset, "record " + number
                                    + " is a " + record.type() + "; a snapshot holds only PUT records");
                        }
                        if (previousKey[0] != null && previousKey[0].compareTo(record.key()) >= 0) {
                            throw RecordScanner.corruption("snapshot", file, offset, "record " + number + " ('"
                                    + record.key() + "') is out of key order");
                        }
                        previousKey[0] = record.key();
                        index.apply(record);
                    });
            if (result.records() != expected) {
                throw RecordScanner.corruption("snapshot", file, result.end(), "the header promises " + expected
                        + " records but the file holds " + result.records());
            }
            return reader.size();
        }
    }
}
