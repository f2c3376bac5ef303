package dev.iov.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One kernel lab per machine: an exclusive lock ({@code fcntl}, {@link FileChannel#tryLock}) on {@code lab.lock}
 * in the lab's run directory, held from before a lab removes a stale one until its teardown is done (the kernel
 * releases it when the process ends, also after {@code kill -9}). The file holds the holder's pid, so that a second
 * {@code iov lab} or {@code iov lab --clean} can say who has it; it exits with status 1 and touches nothing.
 *
 * <p>The run directory ({@code /run/iov}, or the system property {@value #RUN_DIRECTORY_PROPERTY} for tests) must
 * be the running user's own and private ({@link LabFiles#ownDirectory}); the lock file is opened without following
 * a symbolic link. The Open vSwitch daemons of the {@code ovs} backend live in it too ({@link #ovsParent()}): a
 * directory that no other user can write, so {@code --clean} can trust what it finds there.
 */
final class LabLock implements AutoCloseable {

    /** Moves the run directory, for tests. */
    static final String RUN_DIRECTORY_PROPERTY = "iov.lab.run-dir";
    private static final Path DEFAULT_RUN_DIRECTORY = Path.of("/run/iov");

    private final FileChannel channel;
    private final FileLock lock;

    private LabLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another lab holds the lock; the command exits with status 1. */
    static final class LabBusyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        LabBusyException(String holder) {
            super(holder == null ? "another lab is starting; wait for it to end"
                    : "another lab is running (pid " + holder + "); stop it (Ctrl-C, or kill " + holder
                            + ") or wait for it to end");
        }
    }

    /** @return the run directory's path (not checked) */
    static Path runDirectory() {
        String property = System.getProperty(RUN_DIRECTORY_PROPERTY);
        return property == null || property.isBlank() ? DEFAULT_RUN_DIRECTORY : Path.of(property);
    }

    /** @return where the {@code ovs} backend's daemons keep their private directories (not checked) */
    static Path ovsParent() {
        return runDirectory().resolve("lab-ovs");
    }

    /**
     * Takes the lock, creating the run directory if needed.
     *
     * @return the held lock; close it once the lab is torn down
     * @throws LabBusyException when another process holds it
     * @throws LabFiles.UnsafePathException when the run directory is not private to this user
     */
    static LabLock acquire() {
        Path file = LabFiles.ownDirectory(runDirectory()).resolve("lab.lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), LabFiles.PRIVATE_FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("opening the lab's lock " + file, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new LabBusyException(holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
            channel.force(false);
            return new LabLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("locking " + file, (IOException) e);
        }
    }

    /** @return the pid the holder wrote, or null while it has not yet */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        return pid.matches("[0-9]{1,10}") ? pid : null;
    }

    /** Releases the lock (the file stays, for the next lab). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("releasing the lab's lock", e);
        }
    }
}
