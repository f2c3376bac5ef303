package dev.iov.cli;

import dev.iov.linux.sysfs.Sysfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Base of the {@code iov sriov} and {@code iov ib} commands that read or write sysfs: gives them
 * {@code --sysfs-root DIR} (default {@code /sys}), so they can be pointed at a copy of a machine's tree, and checks
 * that the root exists before anything is read or written.
 */
abstract class SysfsSubcommand extends IovSubcommand {

    /** The real sysfs. */
    static final Path SYSTEM_ROOT = Path.of("/sys");

    @Option(names = "--sysfs-root", paramLabel = "DIR",
            description = "The directory that plays /sys (default: /sys), e.g. a test tree.")
    private Path sysfsRoot = SYSTEM_ROOT;

    /** How a root becomes a {@link Sysfs}; tests substitute a tree that answers writes like the kernel. */
    private Function<Path, Sysfs> opener = Sysfs::at;

    /**
     * Replaces how the root is opened (tests: a tree whose writes are answered like the kernel's).
     *
     * @param opener maps the {@code --sysfs-root} directory to the sysfs to use
     */
    final void sysfsOpener(Function<Path, Sysfs> opener) {
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /**
     * The sysfs under {@code --sysfs-root}.
     *
     * @return the sysfs
     * @throws UserInputException when the root is not a directory
     */
    protected final Sysfs sysfs() {
        if (!Files.isDirectory(sysfsRoot)) {
            throw new UserInputException("--sysfs-root '" + sysfsRoot + "' "
                    + (Files.exists(sysfsRoot) ? "is not a directory" : "does not exist"));
        }
        return opener.apply(sysfsRoot);
    }
}
