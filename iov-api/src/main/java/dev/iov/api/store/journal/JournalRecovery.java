package dev.iov.api.store.journal;

import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.internal.store.RecordIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a store's state from its directory when it is opened: picks the authoritative generation, loads its
 * snapshot, replays its journal, cuts off a torn tail and clears what a crash left behind.
 *
 * <p><b>Which files count.</b> Compaction from generation G to G+1 publishes {@code snapshot-(G+1)} (synced, then
 * renamed) before it creates {@code journal-(G+1)}, and only then deletes the generation-G files. So the newest
 * snapshot S is authoritative: it contains everything {@code journal-S-1} held, and nothing was acknowledged in a
 * {@code journal-(S+1)} that does not exist yet. The state is {@code snapshot-S} (none for generation 0) plus
 * {@code journal-S}; older files are leftovers of an interrupted cleanup. A journal newer than every snapshot
 * cannot come from a crash, so it means the directory was tampered with, and opening fails rather than guess.
 *
 * <p>A batch record (one {@code commit} transaction) is checked change by change and applied to the index whole; a
 * batch torn at the tail is discarded like any torn record, so a transaction survives a crash entirely or not at
 * all.
 *
 * <p>Nothing on disk is changed until the whole state has been read without error, so a corrupt store is left as
 * it was found.
 */
final class JournalRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecovery.class);

    /**
     * The recovered position.
     *
     * @param generation the authoritative generation
     * @param journalEnd the offset in {@code journal-<generation>} where the next record goes
     * @param snapshotBytes the size of the generation's snapshot, 0 for none
     * @param records how many live records were recovered
     */
    record Recovered(long generation, long journalEnd, long snapshotBytes, int records) {
    }

    private JournalRecovery() {
    }

    /**
     * Recovers the state of a directory into an empty index.
     *
     * @param directory the locked directory
     * @param index receives the records
     * @return the position to continue from
     * @throws StoreException when a file is corrupt or the set of files is inconsistent
     * @throws IOException when a file cannot be read or written
     */
    static Recovered recover(StoreDirectory directory, RecordIndex index) throws IOException {
        StoreDirectory.Contents contents = directory.contents();
        long generation = contents.snapshots().isEmpty() ? 0 : contents.snapshots().last();
        Long orphan = contents.journals().higher(generation);
        if (orphan != null) {
            throw new StoreException("journal store " + directory.path() + " is inconsistent: "
                    + directory.journal(orphan) + " has no snapshot " + directory.snapshot(orphan) + " (newest "
                    + "snapshot: generation " + generation + "); a file was deleted or copied in. Restore the "
                    + "directory from a backup");
        }
        long snapshotBytes = generation == 0 ? 0 : SnapshotFile.load(directory.snapshot(generation), generation,
                index);
        boolean journalExists = contents.journals().contains(generation);
        long journalEnd = journalExists ? replay(directory.journal(generation), generation, index)
                : JournalFormat.HEADER_SIZE;

        // Everything was read; from here on the directory is tidied.
        if (!journalExists) {
            directory.createJournal(generation);
        }
        List<Path> leftovers = new ArrayList<>(contents.temporaries());
        contents.snapshots().headSet(generation).forEach(old -> leftovers.add(directory.snapshot(old)));
        contents.journals().headSet(generation).forEach(old -> leftovers.add(directory.journal(old)));
        if (!leftovers.isEmpty()) {
            LOG.info("journal store {}: deleting files left by an interrupted write or compaction: {}",
                    directory.path(), leftovers);
            directory.deleteQuietly(leftovers);
        }
        return new Recovered(generation, journalEnd, snapshotBytes, index.size());
    }

    /** Replays a journal into the index and cuts off a torn tail; returns where the good records end. */
    private static long replay(Path file, long generation, RecordIndex index) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ChannelReader reader = new ChannelReader(channel, channel.size());
            try {
                JournalFormat.checkHeader(reader.read(0, JournalFormat.HEADER_SIZE), JournalFormat.JOURNAL_MAGIC,
                        generation);
            } catch (JournalFormat.FormatException e) {
                throw RecordScanner.corruption("journal", file, 0, e.getMessage());
            }
            RecordScanner.Result result = new RecordScanner("journal", file, reader).scan(JournalFormat.HEADER_SIZE,
                    true, (record, offset, number) -> {
                        // A batch's keys are distinct, so each change follows the state before the batch.
                        for (StoreEvent change : record.changes()) {
                            checkFollows(file, index, change, offset, number);
                        }
                        index.applyAll(record.changes());
                    });
            if (result.torn()) {
                LOG.warn("journal {} ends with a record torn by a crash at offset {} ({}); discarding its {} bytes, "
                        + "which were never acknowledged, and keeping the {} records before it", file,
                        result.end(), result.tornReason(), reader.size() - result.end(), result.records());
                channel.truncate(result.end());
                channel.force(true);
            }
            return result.end();
        }
    }

    /**
     * Checks that a record continues its key's history: a PUT has the next version, a DELETE the current one. A gap
     * means records were lost, which the CRCs alone cannot see.
     */
    private static void checkFollows(Path file, RecordIndex index, StoreEvent record, long offset, long number) {
        long current = index.version(record.key());
        boolean follows = record.type() == StoreEvent.Type.PUT ? record.version() == current + 1
                : current != 0 && record.version() == current;
        if (!follows) {
            throw RecordScanner.corruption("journal", file, offset, "record " + number + " (" + record.type()
                    + " of '" + record.key() + "' at version " + record.version() + ") does not follow the key's"
                    + " version " + current + ", so records are missing or out of order");
        }
    }
}
