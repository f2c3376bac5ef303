package dev.iov.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at what this machine offers for iov, read-only: kernel, privileges, TAP, network namespaces, tools, SR-IOV
 * and InfiniBand devices. The file system root and {@code PATH} are parameters so tests can point it at a fake
 * tree.
 */
final class EnvProbe {

    /** The executables iov's backends, tests and {@code iov lab} use, in the order they are reported. */
    static final List<String> TOOLS = List.of(
            "ip", "ovs-vsctl", "ovsdb-server", "ovs-vswitchd", "tshark", "iperf3", "strace", "virt-xml-validate");

    private static final Logger LOG = LoggerFactory.getLogger(EnvProbe.class);

    private final Path root;
    private final String pathVariable;

    /**
     * A probe of the host below {@code root}.
     *
     * @param root the file system root, {@code /} for the real host
     * @param pathVariable the {@code PATH} to search tools on; may be null
     */
    EnvProbe(Path root, String pathVariable) {
        this.root = root;
        this.pathVariable = pathVariable;
    }

    /** A probe of this host. */
    static EnvProbe system() {
        return new EnvProbe(Path.of("/"), System.getenv("PATH"));
    }

    /** Probes everything. */
    EnvReport probe() {
        Map<String, String> tools = new LinkedHashMap<>();
        for (String tool : TOOLS) {
            tools.put(tool, findOnPath(tool).map(Path::toString).orElse(null));
        }
        return new EnvReport(
                kernelRelease().orElse(null),
                effectiveUid(),
                Files.exists(root.resolve("dev/net/tun")),
                Files.exists(root.resolve("proc/self/ns/net")),
                tools,
                countSriovDevices(),
                countEntries(root.resolve("sys/class/infiniband")),
                Runtime.version().toString());
    }

    Optional<String> kernelRelease() {
        Path file = root.resolve("proc/sys/kernel/osrelease");
        try {
            String release = Files.readString(file).strip();
            return release.isEmpty() ? Optional.empty() : Optional.of(release);
        } catch (IOException e) {
            LOG.debug("cannot read {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /** The effective uid from {@code /proc/self/status} ({@code Uid: real effective saved fs}). */
    OptionalLong effectiveUid() {
        Path status = root.resolve("proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Uid:")) {
                    String[] fields = line.substring(4).trim().split("\\s+");
                    return fields.length >= 2 ? OptionalLong.of(Long.parseLong(fields[1])) : OptionalLong.empty();
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("cannot read the effective uid from {}: {}", status, e.toString());
        }
        return OptionalLong.empty();
    }

    /** The first executable regular file named {@code tool} in a {@code PATH} directory. */
    Optional<Path> findOnPath(String tool) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, tool);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException e) {
                LOG.debug("ignoring PATH entry {}: {}", dir, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** PCI devices that can have virtual functions: {@code /sys/bus/pci/devices/<bdf>/sriov_totalvfs} exists. */
    int countSriovDevices() {
        Path devices = root.resolve("sys/bus/pci/devices");
        if (!Files.isDirectory(devices)) {
            LOG.debug("no {}", devices);
            return 0;
        }
        try (Stream<Path> entries = Files.list(devices)) {
            return (int) entries.filter(device -> Files.isRegularFile(device.resolve("sriov_totalvfs"))).count();
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", devices, e.toString());
            return 0;
        }
    }

    private static int countEntries(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.debug("no {}", dir);
            return 0;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return (int) entries.count();
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", dir, e.toString());
            return 0;
        }
    }
}
