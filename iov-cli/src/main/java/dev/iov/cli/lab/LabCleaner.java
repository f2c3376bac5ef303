package dev.iov.cli.lab;

import dev.iov.linux.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Removes what a killed lab left behind: Open vSwitch daemons of the {@code ovs} backend (their private directories
 * live under {@link #ovsParent()}, and only a process whose command line names such a directory is stopped), then
 * every network namespace named {@code iov-lab-} (their devices go with them). One lab per machine: a lab running in
 * another process at the same time is removed too.
 */
final class LabCleaner {

    private static final List<String> PID_FILES = List.of("ovs-vswitchd.pid", "ovsdb-server.pid");

    private LabCleaner() {
    }

    /** @return where the lab's Open vSwitch daemons keep their private directories */
    static Path ovsParent() {
        return Path.of(System.getProperty("java.io.tmpdir"), LabPlan.PREFIX + "ovs");
    }

    /**
     * @return what was removed, one item per namespace or daemon directory, sorted
     * @throws dev.iov.linux.LinuxException when a namespace cannot be deleted
     */
    static List<String> clean() {
        List<String> removed = new ArrayList<>();
        Path parent = ovsParent();
        if (Files.isDirectory(parent)) {
            try (Stream<Path> dirs = Files.list(parent)) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    PID_FILES.forEach(file -> stop(dir, dir.resolve(file)));
                    deleteTree(dir);
                    removed.add("ovs daemons " + dir.getFileName());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("listing " + parent, e);
            }
        }
        removeOvsParentIfEmpty();
        removed.addAll(NetworkNamespace.deleteStale(LabPlan.PREFIX));
        return removed;
    }

    /** Deletes {@link #ovsParent()} once no lab's daemons live there, so that a lab leaves nothing in /tmp. */
    static void removeOvsParentIfEmpty() {
        try {
            Files.deleteIfExists(ovsParent());
        } catch (DirectoryNotEmptyException e) {
            // another lab's daemons (or a killed one's, for the next clean) are still there
        } catch (IOException e) {
            throw new UncheckedIOException("removing " + ovsParent(), e);
        }
    }

    /** Stops the process a pid file names, if it is still a daemon of that directory. */
    private static void stop(Path dir, Path pidFile) {
        Optional<ProcessHandle> process;
        try {
            process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return;
        }
        process.filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
