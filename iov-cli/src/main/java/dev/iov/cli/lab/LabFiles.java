package dev.iov.cli.lab;

import dev.iov.cli.UserInputException;
import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import dev.iov.linux.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * How the lab makes and reuses files, which it does as root: never through a name another user could have planted.
 * New directories are fresh and private ({@code 0700}); new files are created with {@code O_EXCL} and
 * {@code O_NOFOLLOW} ({@link StandardOpenOption#CREATE_NEW}, {@link LinkOption#NOFOLLOW_LINKS}); a directory that
 * is reused must be a real directory (not a symbolic link) of the running user that no one else can write, or the
 * lab refuses it with one line naming it.
 */
final class LabFiles {

    /** {@code rwx------}. */
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    /** {@code rw-------}. */
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private LabFiles() {
    }

    /**
     * A reused directory is not the lab's own: owned by someone else, writable by others, a symbolic link, or not a
     * directory. The command exits with status 1 and changes nothing.
     */
    static final class UnsafePathException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnsafePathException(Path path, String problem) {
            super(path + " " + problem + "; refusing to use it (it must be a directory of uid "
                    + LabEnvironment.effectiveUid() + " that only its owner can write)");
        }
    }

    /**
     * Makes a new private directory with a random name.
     *
     * @param parent where (e.g. {@code java.io.tmpdir})
     * @param prefix the start of its name
     * @return the directory, {@code 0700}
     */
    static Path freshDirectory(Path parent, String prefix) {
        try {
            return Files.createTempDirectory(parent, prefix, PRIVATE_DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException("creating a private directory in " + parent, e);
        }
    }

    /**
     * Makes {@code dir} ({@code 0700}) if it does not exist, then checks that it is the running user's own.
     *
     * @param dir the directory (its parent must exist)
     * @return {@code dir}
     * @throws UnsafePathException when it is not
     */
    static Path ownDirectory(Path dir) {
        try {
            Files.createDirectory(dir, PRIVATE_DIRECTORY);
        } catch (FileAlreadyExistsException reused) {
            // checked below, whatever it is
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + dir, e);
        }
        return requireOwnDirectory(dir);
    }

    /**
     * Checks, without following a symbolic link, that {@code dir} is a directory of the running user that neither
     * its group nor others can write.
     *
     * @param dir an existing directory to reuse
     * @return {@code dir}
     * @throws UnsafePathException when it is not
     */
    static Path requireOwnDirectory(Path dir) {
        PosixFileAttributes attributes;
        Map<String, Object> ids;
        try {
            attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            ids = Files.readAttributes(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + dir, e);
        }
        if (attributes.isSymbolicLink()) {
            throw new UnsafePathException(dir, "is a symbolic link");
        }
        if (!attributes.isDirectory()) {
            throw new UnsafePathException(dir, "is not a directory");
        }
        long uid = ((Number) ids.get("uid")).longValue();
        if (uid != LabEnvironment.effectiveUid()) {
            throw new UnsafePathException(dir, "is owned by uid " + uid + ", not " + LabEnvironment.effectiveUid());
        }
        Set<PosixFilePermission> mode = attributes.permissions();
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new UnsafePathException(dir, "is writable by group or others ("
                    + PosixFilePermissions.toString(mode) + ")");
        }
        return dir;
    }

    /**
     * Checks a pcap file the user named before the lab builds anything: if it exists it must be a regular file of
     * the running user with no other name (so that it is not a planted link to some other file).
     *
     * @param file the {@code --pcap} value
     * @throws UserInputException when it is not
     */
    static void checkPcapOption(Path file) {
        BasicFileAttributes attributes;
        Map<String, Object> unix;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            unix = Files.readAttributes(file, "unix:uid,nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return;
        } catch (IOException e) {
            throw new UserInputException("--pcap " + file + ": " + e.getMessage(), e);
        }
        if (attributes.isSymbolicLink()) {
            throw new UserInputException("--pcap " + file + ": is a symbolic link; name the file itself");
        }
        if (!attributes.isRegularFile()) {
            throw new UserInputException("--pcap " + file + ": is not a regular file");
        }
        long uid = ((Number) unix.get("uid")).longValue();
        if (uid != LabEnvironment.effectiveUid()) {
            throw new UserInputException("--pcap " + file + ": belongs to uid " + uid + "; remove it or name "
                    + "another file");
        }
        if (((Number) unix.get("nlink")).longValue() > 1) {
            throw new UserInputException("--pcap " + file + ": has other hard links; remove it or name another "
                    + "file");
        }
    }

    /**
     * Creates an empty file that must not exist yet ({@code O_CREAT|O_EXCL|O_NOFOLLOW}, {@code 0600}): for names the
     * lab chooses in its own fresh directory.
     *
     * @param file the file
     * @return {@code file}
     * @throws UncheckedIOException when it exists or cannot be created
     */
    static Path createNew(Path file) {
        try (FileChannel created = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PRIVATE_FILE)) {
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("creating " + file, e);
        }
    }

    /**
     * Opens a pcap file for writing, created or truncated, without following a symbolic link ({@code O_NOFOLLOW}).
     *
     * @param file the file
     * @return a writer whose file header is written
     * @throws IOException when it cannot be opened (a symbolic link fails with {@code ELOOP}) or written
     */
    static PcapWriter openPcap(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        try {
            return PcapWriter.to(channel, TimestampPrecision.MICROSECONDS, PcapWriter.DEFAULT_SNAPLEN,
                    PcapWriter.DEFAULT_BUFFER_CAPACITY);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Deletes a directory tree without following symbolic links (a link is removed, not its target); entries that
     * vanish meanwhile (a daemon removing its pid file as it exits) are fine.
     *
     * @param dir the tree
     * @throws UncheckedIOException when something cannot be deleted
     */
    static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + dir, e);
        }
    }
}
