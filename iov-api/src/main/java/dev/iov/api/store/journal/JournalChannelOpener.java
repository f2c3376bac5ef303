package dev.iov.api.store.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a journal file for appending. A seam for tests, which wrap the channel to watch what reaches the disk
 * (and when) or to make it fail.
 */
@FunctionalInterface
interface JournalChannelOpener {

    /** Opens the file for reading and writing, the default. */
    JournalChannelOpener DEFAULT = file -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);

    /**
     * Opens an existing journal.
     *
     * @param file the journal
     * @return a channel that can write it
     * @throws IOException when it cannot be opened
     */
    FileChannel open(Path file) throws IOException;
}
