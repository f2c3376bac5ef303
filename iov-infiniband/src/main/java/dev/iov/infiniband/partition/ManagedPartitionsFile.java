package dev.iov.infiniband.partition;

import dev.iov.api.internal.io.BoundedReads;
import dev.iov.api.internal.io.InputTooLargeException;
import dev.iov.linux.LinuxException;
import dev.iov.linux.Signals;
import dev.iov.linux.files.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenSM's {@code partitions.conf} shared between an administrator and iov: iov owns only the lines between
 * {@value #BEGIN} and {@value #END} and leaves every other byte as it was. {@link #write(PartitionConfig)} replaces
 * that block (appending it when the file has none), writes the file atomically with {@link AtomicFiles} and, when a
 * pid file is configured, sends {@code SIGHUP} to OpenSM so it re-reads the file. If the signal cannot be delivered,
 * the previous content is put back.
 *
 * <p>The signal is sent with {@code kill(2)} through {@link Signals#send}: the library never forks a {@code kill}
 * process for it.
 */
public final class ManagedPartitionsFile {

    /** The line opening iov's block. */
    public static final String BEGIN = "# BEGIN iov managed partitions";
    /** The line closing iov's block. */
    public static final String END = "# END iov managed partitions";

    private static final Logger LOG = LoggerFactory.getLogger(ManagedPartitionsFile.class);

    /** Sends OpenSM its {@code SIGHUP}; {@link Signals#send} in production. */
    @FunctionalInterface
    interface HangUp {
        /**
         * @param pid OpenSM's pid
         * @return false when there is no such process
         * @throws LinuxException when the kernel refuses the signal
         */
        boolean send(long pid);
    }

    private static final HangUp SIGHUP = pid -> Signals.send(pid, Signals.SIGHUP);

    private final Path file;
    private final Path pidFile;
    private final HangUp hangUp;

    private ManagedPartitionsFile(Path file, Path pidFile, HangUp hangUp) {
        this.file = Objects.requireNonNull(file, "file");
        this.pidFile = pidFile;
        this.hangUp = Objects.requireNonNull(hangUp, "hangUp");
    }

    /**
     * Like {@link #of(Path, Path)} but signalling through {@code hangUp}, so tests can make the signal fail (e.g. by
     * sending it to a pid that cannot exist) and watch the rollback.
     */
    static ManagedPartitionsFile withHangUp(Path file, Path openSmPidFile, HangUp hangUp) {
        return new ManagedPartitionsFile(file, Objects.requireNonNull(openSmPidFile, "openSmPidFile"), hangUp);
    }

    /**
     * @param file the {@code partitions.conf}
     * @return the managed file, written without signalling anyone
     */
    public static ManagedPartitionsFile of(Path file) {
        return new ManagedPartitionsFile(file, null, SIGHUP);
    }

    /**
     * @param file the {@code partitions.conf}
     * @param openSmPidFile OpenSM's pid file (its {@code --pidfile}); OpenSM gets {@code SIGHUP} after each write
     * @return the managed file
     */
    public static ManagedPartitionsFile of(Path file, Path openSmPidFile) {
        return new ManagedPartitionsFile(file, Objects.requireNonNull(openSmPidFile, "openSmPidFile"), SIGHUP);
    }

    /** @return the {@code partitions.conf} path */
    public Path file() {
        return file;
    }

    /**
     * Reads the partitions in iov's block.
     *
     * @return the managed partitions; empty when the file or the block does not exist
     * @throws PartitionSyntaxException when the markers are broken or the block does not parse (lines counted in
     *     the whole file)
     * @throws UncheckedIOException when the file cannot be read
     */
    public PartitionConfig read() {
        String text = readText().orElse("");
        Block block = Block.find(text, file.toString());
        if (!block.present) {
            return PartitionConfig.EMPTY;
        }
        String padded = "\n".repeat(block.firstLine - 1) + text.substring(block.contentStart, block.contentEnd);
        return PartitionConfigParser.parseBytes(padded, file.toString());
    }

    /**
     * Replaces iov's block with {@code config}, atomically, then signals OpenSM when a pid file is configured.
     *
     * @param config the partitions iov manages
     * @throws IllegalArgumentException (a {@link PartitionSyntaxException} with its location) when the markers are
     *     broken, when the lines outside the block define one of {@code config}'s P_Keys or leave a definition open
     *     into the block; the file is then unchanged
     * @throws IllegalStateException when the pid file is unusable or OpenSM cannot be signalled; the file then holds
     *     its previous content again
     * @throws UncheckedIOException when the file cannot be read or written
     */
    public void write(PartitionConfig config) {
        long pid = pidFile == null ? -1 : readPid();
        Optional<String> before = readText();
        String old = before.orElse("");
        Block block = Block.find(old, file.toString());
        String managed = BEGIN + "\n" + PartitionConfigWriter.write(config) + END + "\n";
        String updated;
        if (block.present) {
            updated = old.substring(0, block.beginLineStart) + managed + old.substring(block.endLineEnd);
        } else {
            updated = old + (old.isEmpty() || old.endsWith("\n") ? "" : "\n") + managed;
        }
        checkUnmanaged(old, updated, block, config);
        AtomicFiles.write(file, updated.getBytes(StandardCharsets.ISO_8859_1));
        LOG.info("wrote {} managed partition(s) to {}", config.partitions().size(), file);
        if (pid >= 0) {
            try {
                hangUp(pid);
            } catch (RuntimeException e) {
                restore(before);
                throw e;
            }
        }
    }

    /**
     * The administrator's lines must not leave a definition open into iov's block, and OpenSM must read iov's
     * partitions exactly as written: not merged with a definition outside the block (same P_Key, or a name-only
     * definition with an iov partition's name), not clashing with a generated key or an {@code indx0} port.
     */
    private void checkUnmanaged(String old, String updated, Block block, PartitionConfig config) {
        if (block.present) {
            if (opensDefinition(old.substring(0, block.beginLineStart))) {
                throw new PartitionSyntaxException(file.toString(), Math.max(1, block.firstLine - 2), 1,
                        "the definition before '" + BEGIN + "' is not ended with ';' and would swallow iov's "
                                + "partitions");
            }
        } else if (opensDefinition(old)) {
            throw new PartitionSyntaxException(file.toString(), (int) old.lines().count(), 1,
                    "the last definition is not ended with ';' and would swallow iov's partitions");
        }
        String unmanaged = block.present
                ? old.substring(0, block.beginLineStart) + old.substring(block.endLineEnd)
                : old;
        try {
            PartitionConfigParser.parseBytes(unmanaged, file.toString());
        } catch (PartitionSyntaxException e) {
            // The administrator may use constructs iov refuses (flags OpenSM ignores, ...); OpenSM's own parse decides.
            LOG.debug("lines outside iov's block of {} do not parse for iov: {}", file, e.getMessage());
            return;
        }
        PartitionConfig whole = PartitionConfigParser.parseBytes(updated, file.toString());
        for (Partition p : config.partitions()) {
            Partition seen = whole.partition(p.pkey()).orElseThrow();
            if (!seen.equals(p)) {
                throw new IllegalArgumentException("OpenSM would merge iov partition '" + p.name() + "' (" + p.pkey()
                        + ") with a definition outside iov's block of " + file + ": it would read " + seen);
            }
        }
    }

    /** True when the text ends inside a definition: its last non-comment ':' is not followed by a ';'. */
    private static boolean opensDefinition(String text) {
        boolean open = false;
        for (String line : text.split("\n", -1)) {
            int hash = line.indexOf('#');
            String code = hash < 0 ? line : line.substring(0, hash);
            for (int i = 0; i < code.length(); i++) {
                char c = code.charAt(i);
                if (c == ':') {
                    open = true;
                } else if (c == ';') {
                    open = false;
                }
            }
        }
        return open;
    }

    private long readPid() {
        String text;
        try {
            // A pid file holds a number and a newline; a bigger one is not OpenSM's.
            text = new String(BoundedReads.read(pidFile, 64), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read OpenSM pid file " + pidFile + ": " + e, e);
        }
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("OpenSM pid file " + pidFile + " holds '" + text + "', not a pid", e);
        }
        if (pid <= 1) {
            throw new IllegalStateException("OpenSM pid file " + pidFile + " holds pid " + pid + ", refusing to "
                    + "signal it");
        }
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("OpenSM pid file " + pidFile + " names pid " + pid
                    + ", which is not running");
        }
        return pid;
    }

    private void hangUp(long pid) {
        boolean delivered;
        try {
            delivered = hangUp.send(pid);
        } catch (LinuxException e) {
            throw new IllegalStateException("cannot send SIGHUP to OpenSM pid " + pid + " (from " + pidFile + "): "
                    + e.getMessage(), e);
        }
        if (!delivered) {
            throw new IllegalStateException("cannot send SIGHUP to OpenSM pid " + pid + " (from " + pidFile
                    + "): no such process (it exited)");
        }
        LOG.info("sent SIGHUP to OpenSM pid {} to re-read {}", pid, file);
    }

    private void restore(Optional<String> before) {
        try {
            if (before.isPresent()) {
                AtomicFiles.write(file, before.get().getBytes(StandardCharsets.ISO_8859_1));
            } else {
                Files.deleteIfExists(file);
            }
            LOG.warn("restored the previous content of {} after failing to signal OpenSM", file);
        } catch (IOException | UncheckedIOException e) {
            LOG.error("could not restore {} after failing to signal OpenSM: {}", file, e.toString());
        }
    }

    /**
     * The file as OpenSM reads it, one character per byte (ISO-8859-1), so an administrator's comments in any
     * encoding are kept byte for byte when the text is written back as ISO-8859-1; at most
     * {@link PartitionConfigParser#MAX_FILE_BYTES}.
     */
    private Optional<String> readText() {
        try {
            return Optional.of(PartitionConfigParser.readFile(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (InputTooLargeException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    /** Where iov's block lies in the text, found by its exact marker lines. */
    private static final class Block {
        boolean present;
        int beginLineStart;
        int contentStart;
        int contentEnd;
        int endLineEnd;
        /** 1-based line of the first content line (the line after BEGIN). */
        int firstLine;
        /** 1-based line of the END marker's predecessor. */
        int lastLine;

        static Block find(String text, String fileName) {
            Block b = new Block();
            int lineNo = 0;
            int pos = 0;
            int beginLine = 0;
            while (pos < text.length()) {
                lineNo++;
                int nl = text.indexOf('\n', pos);
                int lineEnd = nl < 0 ? text.length() : nl;
                int next = nl < 0 ? text.length() : nl + 1;
                String line = text.substring(pos, lineEnd);
                if (line.equals(BEGIN)) {
                    if (beginLine != 0 || b.present) {
                        throw new PartitionSyntaxException(fileName, lineNo, 1, "second '" + BEGIN + "' (first at "
                                + "line " + (beginLine != 0 ? beginLine : b.firstLine - 1) + ")");
                    }
                    beginLine = lineNo;
                    b.beginLineStart = pos;
                    b.contentStart = next;
                    b.firstLine = lineNo + 1;
                } else if (line.equals(END)) {
                    if (beginLine == 0) {
                        throw new PartitionSyntaxException(fileName, lineNo, 1, "'" + END + "' without a '" + BEGIN
                                + "' before it");
                    }
                    b.present = true;
                    b.contentEnd = pos;
                    b.endLineEnd = next;
                    b.lastLine = lineNo - 1;
                    beginLine = 0;
                }
                pos = next;
            }
            if (beginLine != 0) {
                throw new PartitionSyntaxException(fileName, beginLine, 1, "'" + BEGIN + "' without a '" + END
                        + "' after it");
            }
            return b;
        }
    }
}
