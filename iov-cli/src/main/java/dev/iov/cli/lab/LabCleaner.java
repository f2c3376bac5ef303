package dev.iov.cli.lab;

import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Removes what a killed lab left behind: Open vSwitch daemons of the {@code ovs} backend, then every process still
 * inside a namespace named {@code iov-lab-} ({@link NamespaceProcesses}), then those namespaces (their devices go
 * with them). The caller holds the {@link LabLock}, so no other lab is running.
 *
 * <p>Where the daemons were: each killed lab's daemons have a private directory under {@link LabLock#ovsParent()},
 * inside the lab's run directory ({@code /run/iov}), which only its owner (root) can write. Nothing another user
 * made can be there, so the cleaner needs no record of which directories were the lab's; it still checks the
 * parent with {@link LabFiles#requireOwnDirectory} (refusing a directory of another user, a symbolic link, a
 * directory others can write), skips entries that are not directories of the running user, never follows a symbolic
 * link, and stops only a process whose pid file is there and whose command line names that directory. Nothing is
 * looked for in {@code java.io.tmpdir}, where earlier versions kept them: any user can plant names there.
 */
final class LabCleaner {

    private static final List<String> PID_FILES = List.of("ovs-vswitchd.pid", "ovsdb-server.pid");
    private static final Path NETNS = Path.of("/var/run/netns");

    private LabCleaner() {
    }

    /** @return where the lab's Open vSwitch daemons keep their private directories */
    static Path ovsParent() {
        return LabLock.ovsParent();
    }

    /**
     * @return what was removed, one item per namespace or daemon directory, sorted
     * @throws LabFiles.UnsafePathException when the daemons' parent directory is not the running user's own
     * @throws dev.iov.linux.LinuxException when a namespace cannot be deleted
     */
    static List<String> clean() {
        List<String> removed = new ArrayList<>();
        Path parent = ovsParent();
        if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) {
            LabFiles.requireOwnDirectory(parent);
            try (Stream<Path> entries = Files.list(parent)) {
                for (Path dir : entries.sorted().toList()) {
                    if (!isOwnDirectory(dir)) {
                        continue;
                    }
                    PID_FILES.forEach(file -> stop(dir, dir.resolve(file)));
                    LabFiles.deleteTree(dir);
                    removed.add("ovs daemons " + dir.getFileName());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("listing " + parent, e);
            }
        }
        removeOvsParentIfEmpty();
        for (String name : labNamespaces()) {
            NamespaceProcesses.Identity.of(NETNS.resolve(name))
                    .ifPresent(ns -> NamespaceProcesses.kill(ns, name));
        }
        removed.addAll(NetworkNamespace.deleteStale(LabPlan.PREFIX));
        return removed;
    }

    private static List<String> labNamespaces() {
        if (!Files.isDirectory(NETNS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(NETNS)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(LabPlan.PREFIX)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + NETNS, e);
        }
    }

    private static boolean isOwnDirectory(Path dir) {
        try {
            LabFiles.requireOwnDirectory(dir);
            return true;
        } catch (LabFiles.UnsafePathException | UncheckedIOException e) {
            return false;
        }
    }

    /** Deletes {@link #ovsParent()} once no lab's daemons live there, so that a lab leaves nothing behind. */
    static void removeOvsParentIfEmpty() {
        try {
            Files.deleteIfExists(ovsParent());
        } catch (DirectoryNotEmptyException e) {
            // a killed lab's daemons are still there, for the next clean
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + ovsParent(), e);
        }
    }

    /** Stops the process a pid file names, if it is still a daemon of that directory. */
    private static void stop(Path dir, Path pidFile) {
        Optional<ProcessHandle> process;
        try {
            if (!Files.isRegularFile(pidFile, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (NoSuchFileException | NumberFormatException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + pidFile, e);
        }
        process.filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .ifPresent(p -> {
                    Signals.send(p.pid(), Signals.SIGTERM);
                    try {
                        p.onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        Signals.send(p.pid(), Signals.SIGKILL);
                    }
                });
    }
}
