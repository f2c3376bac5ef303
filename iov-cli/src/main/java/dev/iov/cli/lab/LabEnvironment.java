package dev.iov.cli.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether this machine lets the lab use the kernel: root, {@code /dev/net/tun}, and {@code ip} on the PATH. */
final class LabEnvironment {

    private static final Path TUN = Path.of("/dev/net/tun");

    private LabEnvironment() {
    }

    /** @return why the kernel lab cannot run here, or empty when it can */
    static Optional<String> kernelLabUnavailable() {
        if (!isRoot()) {
            return Optional.of("not running as root");
        }
        if (!Files.exists(TUN)) {
            return Optional.of("no " + TUN + " (no TAP support)");
        }
        if (!ProcessOutput.onPath("ip")) {
            return Optional.of("no 'ip' command (iproute2) on the PATH");
        }
        if (!ProcessOutput.onPath("ping")) {
            return Optional.of("no 'ping' command on the PATH");
        }
        return Optional.empty();
    }

    /** @return whether the effective user id is 0 ({@code /proc/self/status}) */
    static boolean isRoot() {
        return effectiveUid() == 0;
    }

    /** @return the effective user id ({@code /proc/self/status}), or -1 when it cannot be read */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 ? Long.parseLong(ids[1]) : -1;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
