package dev.iov.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file written over time (a capture) that appears whole or not at all: the content goes to a temporary file in
 * the target's directory; {@link #commit()} {@code fsync}s it, renames it over the target and {@code fsync}s the
 * directory; {@link #close()} without a commit deletes it, so a failed or killed run leaves the target as it was.
 * For content known at once use {@link dev.iov.linux.files.AtomicFiles}. A new file is readable by its owner only;
 * a replaced one keeps its permissions.
 */
final class AtomicOutputFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicOutputFile.class);

    private final Path target;
    private final Path temp;
    private boolean done;

    private AtomicOutputFile(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Creates the temporary file next to {@code target}.
     *
     * @param target the file to replace once done
     * @return the pending file; close it
     * @throws IOException when the temporary file cannot be created
     */
    static AtomicOutputFile create(Path target) throws IOException {
        Path file = Objects.requireNonNull(target, "target").toAbsolutePath();
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            if (Files.isRegularFile(file)) {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new AtomicOutputFile(file, temp);
    }

    /** @return the temporary file to write; closed by the writer before {@link #commit()} */
    Path temp() {
        return temp;
    }

    /** @return the file replaced on {@link #commit()} */
    Path target() {
        return target;
    }

    /**
     * Makes the content durable and puts it in place of the target.
     *
     * @throws IOException when a step fails; the target is then unchanged (and {@link #close()} removes the
     *     temporary file)
     */
    void commit() throws IOException {
        if (done) {
            throw new IllegalStateException("already committed or closed: " + target);
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        done = true;
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Deletes the temporary file unless {@link #commit()} moved it into place. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("cannot remove the temporary file {}: {}", temp, e.toString());
        }
    }
}
