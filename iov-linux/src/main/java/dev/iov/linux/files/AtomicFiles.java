package dev.iov.linux.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;

/**
 * Replaces a file's content atomically and durably, the way careful daemons write their configuration: write a
 * temporary file in the same directory, {@code fsync} it, {@code rename(2)} it over the target, {@code fsync} the
 * directory. {@code rename} within one file system is atomic, so a concurrent reader (OpenSM re-reading
 * {@code partitions.conf} on {@code SIGHUP}) sees the whole old file or the whole new one; the two {@code fsync}s make
 * the new content and the new directory entry survive a power loss. The target keeps its permissions when it exists.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Replaces (or creates) {@code target} with {@code text} in UTF-8.
     *
     * @param target the file
     * @param text its new content
     * @throws UncheckedIOException naming the file when any step fails; the target is then unchanged and the
     *     temporary file removed
     */
    public static void write(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces (or creates) {@code target} with {@code content}.
     *
     * @param target the file
     * @param content its new content
     * @throws UncheckedIOException naming the file when any step fails; the target is then unchanged and the
     *     temporary file removed
     */
    public static void write(Path target, byte[] content) {
        Objects.requireNonNull(content, "content");
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            if (Files.exists(file)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                Files.setPosixFilePermissions(temp, permissions);
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write already failed and says so; a stray temporary file is the lesser problem.
                }
            }
        }
    }

    /** Makes a rename in {@code dir} durable: on Linux a directory opened read-only can be fsync'ed. */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
