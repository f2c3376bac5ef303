/**
 * The embedded default {@link dev.iov.api.store.StateStore}: {@link dev.iov.api.store.journal.JournalStateStore},
 * an append-only journal file with group commit, crash recovery and compaction into snapshots.
 *
 * <p>Inside: the on-disk format ({@code JournalFormat}), reading records and telling a torn tail from corruption
 * ({@code RecordScanner}, {@code ChannelReader}), appending with group commit ({@code GroupCommitLog},
 * {@code ChannelWriter}), snapshots ({@code SnapshotFile}), the directory's files and lock ({@code StoreDirectory})
 * and rebuilding the state on open ({@code JournalRecovery}).
 */
package dev.iov.api.store.journal;
