package dev.iov.api.store.journal;

import dev.iov.api.store.StoreException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one journal store's directory: their names, the lock that keeps a second store out, and the
 * file-system steps that must be atomic and durable (creating a file under its final name, syncing the directory).
 *
 * <p>Layout: {@code journal-N.log} and {@code snapshot-N.snap} for generation N, {@code *.tmp} while a file is
 * being written, and {@code store.lock}.
 */
final class StoreDirectory implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreDirectory.class);

    /** The file whose lock marks the directory as in use. */
    static final String LOCK_FILE = "store.lock";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Pattern GENERATION_FILE = Pattern.compile("(journal|snapshot)-(\\d{1,18})\\.(log|snap)");

    /**
     * The directories this JVM has open. Checked before touching the lock file because on POSIX systems closing
     * any channel to a file drops every lock this process holds on it: a second, failed open in the same JVM
     * would otherwise silently unlock the first store's directory for other processes.
     */
    private static final Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean closed;

    private StoreDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it for this store.
     *
     * @param directory the store's directory
     * @return the locked directory
     * @throws StoreException when another store, in this process or another, has it open, or it cannot be
     *     created or locked
     */
    static StoreDirectory lock(Path directory) {
        Path path;
        try {
            createDurably(directory.toAbsolutePath().normalize());
            path = directory.toRealPath();
        } catch (IOException e) {
            throw new StoreException("cannot create journal directory " + directory + ": " + e, e);
        }
        if (!OPEN_IN_THIS_JVM.add(path)) {
            throw inUse(path);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(path);
            }
            return new StoreDirectory(path, channel, lock);
        } catch (IOException | OverlappingFileLockException | StoreException e) {
            closeQuietly(channel);
            OPEN_IN_THIS_JVM.remove(path);
            if (e instanceof StoreException storeException) {
                throw storeException;
            }
            throw new StoreException("cannot lock journal directory " + path + ": " + e, e);
        }
    }

    /**
     * Creates a directory and any missing parents, syncing each parent that gained an entry: otherwise a power
     * failure soon after could take the new directory, and the acknowledged records in it, away.
     */
    private static void createDurably(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.getParent();
        if (parent != null) {
            createDurably(parent);
        }
        Files.createDirectories(directory);
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    private static StoreException inUse(Path path) {
        return new StoreException("journal directory " + path + " is in use by another store (its lock file "
                + path.resolve(LOCK_FILE) + " is held, by this process or another); close that store first");
    }

    /** @return the directory's real path */
    Path path() {
        return path;
    }

    /**
     * Names a journal.
     *
     * @param generation its generation
     * @return its path
     */
    Path journal(long generation) {
        return path.resolve(String.format("journal-%06d.log", generation));
    }

    /**
     * Names a snapshot.
     *
     * @param generation its generation
     * @return its path
     */
    Path snapshot(long generation) {
        return path.resolve(String.format("snapshot-%06d.snap", generation));
    }

    /**
     * The name a file is written under before it is complete.
     *
     * @param file the file's final name
     * @return its temporary name
     */
    Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + TEMPORARY_SUFFIX);
    }

    /**
     * What the directory holds.
     *
     * @param snapshots the generations that have a snapshot file
     * @param journals the generations that have a journal file
     * @param temporaries files left half-written by a crash
     */
    record Contents(NavigableSet<Long> snapshots, NavigableSet<Long> journals, List<Path> temporaries) {
    }

    /**
     * Lists the store's files.
     *
     * @return the generations present and the leftover temporary files
     * @throws IOException when the directory cannot be read
     */
    Contents contents() throws IOException {
        NavigableSet<Long> snapshots = new TreeSet<>();
        NavigableSet<Long> journals = new TreeSet<>();
        List<Path> temporaries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher matcher = GENERATION_FILE.matcher(name);
                if (name.endsWith(TEMPORARY_SUFFIX)) {
                    temporaries.add(file);
                } else if (matcher.matches() && matcher.group(1).equals("journal") == matcher.group(3).equals("log")) {
                    long generation = Long.parseLong(matcher.group(2));
                    (matcher.group(1).equals("journal") ? journals : snapshots).add(generation);
                }
            }
        }
        return new Contents(snapshots, journals, temporaries);
    }

    /**
     * Creates an empty journal: written and synced under a temporary name, then renamed, so that a journal file
     * always has its whole header.
     *
     * @param generation the journal's generation
     * @throws IOException when it cannot be created
     */
    void createJournal(long generation) throws IOException {
        Path file = journal(generation);
        Path temporary = temporary(file);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer header = JournalFormat.header(JournalFormat.JOURNAL_MAGIC, generation,
                    JournalFormat.OPEN_ENDED);
            while (header.hasRemaining()) {
                channel.write(header);
            }
            channel.force(true);
        }
        publish(temporary, file);
    }

    /**
     * Gives a complete, synced file its final name and makes the rename durable.
     *
     * @param temporary the file as written
     * @param file its final name; replaced if it exists
     * @throws IOException when the rename or the directory sync fails; the rename may then have happened or not
     */
    void publish(Path temporary, Path file) throws IOException {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync();
    }

    /**
     * Makes the directory's entries (created, renamed, deleted files) durable.
     *
     * @throws IOException when the sync fails
     */
    void sync() throws IOException {
        syncDirectory(path);
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Deletes files that are no longer needed, then syncs the directory; failures are logged, as a leftover file
     * is deleted again at the next open.
     *
     * @param files the files
     */
    void deleteQuietly(List<Path> files) {
        boolean deleted = false;
        for (Path file : files) {
            try {
                deleted |= Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete {}, which is no longer needed: {}", file, e.toString());
            }
        }
        if (deleted) {
            try {
                sync();
            } catch (IOException e) {
                LOG.warn("cannot sync directory {} after deleting files: {}", path, e.toString());
            }
        }
    }

    /** Releases the lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("cannot release the lock on {}: {}", path, e.toString());
        } finally {
            closeQuietly(lockChannel);
            OPEN_IN_THIS_JVM.remove(path);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("cannot close {}", channel, e);
            }
        }
    }
}
