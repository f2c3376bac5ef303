package dev.iov.cli.lab;

import dev.iov.linux.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Ends every process inside one of the lab's network namespaces before the namespace is deleted: deleting a named
 * namespace only removes its name, and what runs in it (a ping or iperf3 of a killed lab, a shell someone opened
 * with {@code ip netns exec}) would keep running, and spinning, with no way left to reach it.
 *
 * <p>A process is in the namespace when {@code /proc/PID/ns/net} is the same nsfs inode (device and inode number)
 * as the namespace's {@code /var/run/netns/NAME}, or as the namespace's descriptor recorded when the lab made it.
 * Each gets {@code SIGKILL} with {@code kill(2)} ({@link Signals#send}); then this waits, bounded, until none is
 * left (a process that has exited, even a zombie, no longer has a network namespace).
 */
final class NamespaceProcesses {

    private static final Path PROC = Path.of("/proc");
    private static final long WAIT_NANOS = 10_000_000_000L;

    private NamespaceProcesses() {
    }

    /**
     * The identity of a network namespace: its nsfs device and inode.
     *
     * @param dev the device
     * @param ino the inode
     */
    record Identity(long dev, long ino) {

        /**
         * @param nsFile a namespace file: {@code /var/run/netns/NAME}, {@code /proc/PID/ns/net}, or
         *     {@code /proc/self/fd/N} of a namespace descriptor
         * @return its identity, or empty when it does not exist
         */
        static Optional<Identity> of(Path nsFile) {
            try {
                Map<String, Object> a = Files.readAttributes(nsFile, "unix:dev,ino");
                return Optional.of(new Identity(((Number) a.get("dev")).longValue(),
                        ((Number) a.get("ino")).longValue()));
            } catch (IOException | UncheckedIOException | SecurityException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * @param namespace a network namespace
     * @return the pids of the processes in it now, never this process
     */
    static List<Long> in(Identity namespace) {
        long self = ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.matches("[0-9]{1,10}")) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid != self && Identity.of(entry.resolve("ns").resolve("net")).filter(namespace::equals)
                        .isPresent()) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + PROC, e);
        }
        return pids;
    }

    /**
     * Kills every process in a namespace and waits until they are gone.
     *
     * @param namespace the namespace
     * @param name its name, for messages
     * @return how many processes were killed
     * @throws IllegalStateException when some are still there after 10 s
     */
    static int kill(Identity namespace, String name) {
        Set<Long> killed = new HashSet<>();
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (List<Long> left = in(namespace); !left.isEmpty(); left = in(namespace)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes " + left + " in network namespace " + name
                        + " did not end after SIGKILL");
            }
            for (long pid : left) {
                // A process that exits between the listing and the signal is fine: send returns false.
                if (Signals.send(pid, Signals.SIGKILL)) {
                    killed.add(pid);
                }
            }
            // SIGKILL is delivered at once, but the kernel takes a moment to tear a process down.
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while ending the processes in " + name, e);
            }
        }
        return killed.size();
    }
}
