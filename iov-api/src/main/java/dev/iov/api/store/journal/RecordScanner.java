package dev.iov.api.store.journal;

import dev.iov.api.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads the records of a journal or snapshot file in order and decides what a bad record means.
 *
 * <p>A record that does not check out (its frame runs past the end of the file, its length is impossible, or its
 * CRC does not match) is a <em>torn tail</em> only if nothing valid follows it: a crash can only damage what was
 * being written last, and what was being written last was never acknowledged. If any valid record starts anywhere
 * after it, the damage is in the middle of acknowledged data and the scan fails instead of dropping that data. A
 * record whose CRC matches but whose contents are inconsistent was written wrongly, not torn, and always fails.
 *
 * <p>A batch record (a transaction) is one record to the scanner: it is handed to the sink whole, or, torn, not at
 * all.
 */
final class RecordScanner {

    /** Receives each good record. */
    interface Sink {
        /**
         * Takes one record: a single change, or a batch whose changes must be applied together.
         *
         * @param record the change or changes recorded
         * @param offset where the record starts in the file
         * @param number the record's position in the file, counting from 1
         */
        void accept(JournalFormat.Decoded record, long offset, long number);
    }

    /**
     * What a scan found.
     *
     * @param end the offset just past the last good record
     * @param records how many good records were read
     * @param tornReason why the bytes from {@code end} on were rejected, or null when the file ends cleanly there
     */
    record Result(long end, long records, String tornReason) {
        /** @return whether bytes after the good records were rejected as a torn tail */
        boolean torn() {
            return tornReason != null;
        }
    }

    private final String kind;
    private final Path file;
    private final ChannelReader reader;

    /**
     * Creates a scanner.
     *
     * @param kind "journal" or "snapshot", for messages
     * @param file the file, for messages
     * @param reader reads the file
     */
    RecordScanner(String kind, Path file, ChannelReader reader) {
        this.kind = kind;
        this.file = file;
        this.reader = reader;
    }

    /**
     * Reads records from {@code start} to the end of the file.
     *
     * @param start the offset of the first record
     * @param tornTailAllowed whether a torn tail is expected damage (a journal) or corruption (a snapshot, which
     *     is complete before it is renamed into place)
     * @param sink receives the good records in order
     * @return where the good records end, and whether a torn tail follows
     * @throws StoreException when the file is corrupt
     * @throws IOException when it cannot be read
     */
    Result scan(long start, boolean tornTailAllowed, Sink sink) throws IOException {
        long position = start;
        long number = 0;
        while (position < reader.size()) {
            number++;
            Attempt attempt = attempt(position);
            if (attempt.record != null) {
                sink.accept(attempt.record, position, number);
                position = attempt.end;
                continue;
            }
            if (attempt.checksummed || !tornTailAllowed) {
                throw corruption(kind, file, position, attempt.problem + " (record " + number + ")");
            }
            long next = nextChecksummedRecord(position + 1);
            if (next >= 0) {
                throw corruption(kind, file, position, attempt.problem + " (record " + number
                        + "), yet a valid record starts at offset " + next
                        + ", so this is damage inside acknowledged data, not a write torn by a crash");
            }
            return new Result(position, number - 1, attempt.problem);
        }
        return new Result(position, number, null);
    }

    /**
     * The exception for a corrupt file, in the one format every message uses.
     *
     * @param kind "journal" or "snapshot"
     * @param file the file
     * @param offset where the damage is
     * @param detail what is wrong
     * @return the exception, to throw
     */
    static StoreException corruption(String kind, Path file, long offset, String detail) {
        return new StoreException(kind + " " + file + " is corrupt at offset " + offset + ": " + detail
                + ". Restore the store directory from a backup; nothing was changed on disk");
    }

    private long nextChecksummedRecord(long from) throws IOException {
        for (long position = from; position + JournalFormat.FRAME_SIZE + JournalFormat.MIN_PAYLOAD <= reader.size();
                position++) {
            if (attempt(position).checksummed) {
                return position;
            }
        }
        return -1;
    }

    private Attempt attempt(long position) throws IOException {
        ByteBuffer frame = reader.read(position, JournalFormat.FRAME_SIZE);
        if (frame.remaining() < JournalFormat.FRAME_SIZE) {
            return Attempt.bad("truncated record frame (" + frame.remaining() + " of " + JournalFormat.FRAME_SIZE
                    + " bytes)", false);
        }
        int length = frame.getInt();
        int storedCrc = frame.getInt();
        if (length < JournalFormat.MIN_PAYLOAD || length > JournalFormat.MAX_RECORD_PAYLOAD) {
            return Attempt.bad("invalid record length " + length, false);
        }
        long end = position + JournalFormat.FRAME_SIZE + length;
        if (end > reader.size()) {
            return Attempt.bad("truncated record (" + length + "-byte payload, "
                    + (reader.size() - position - JournalFormat.FRAME_SIZE) + " bytes left in the file)", false);
        }
        ByteBuffer payload = reader.read(position + JournalFormat.FRAME_SIZE, length);
        int computedCrc = JournalFormat.crc(payload);
        if (computedCrc != storedCrc) {
            return Attempt.bad(String.format("CRC mismatch (stored 0x%08x, computed 0x%08x)", storedCrc,
                    computedCrc), false);
        }
        try {
            return new Attempt(JournalFormat.decode(payload), end, null, true);
        } catch (JournalFormat.FormatException e) {
            return Attempt.bad("malformed record with a valid CRC: " + e.getMessage(), true);
        }
    }

    /** One try at reading a record: the record, or what is wrong and whether its CRC still matched. */
    private static final class Attempt {
        final JournalFormat.Decoded record;
        final long end;
        final String problem;
        final boolean checksummed;

        Attempt(JournalFormat.Decoded record, long end, String problem, boolean checksummed) {
            this.record = record;
            this.end = end;
            this.problem = problem;
            this.checksummed = checksummed;
        }

        static Attempt bad(String problem, boolean checksummed) {
            return new Attempt(null, -1, problem, checksummed);
        }
    }
}
