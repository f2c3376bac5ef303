package dev.iov.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * What {@link PrivilegedCondition} needs to know about the host. The seam lets tests simulate a non-root user,
 * a missing tool or a set environment variable on a machine that is none of these.
 */
interface HostFacts {

    /** The live host: {@code /proc/self/status}, the process environment, {@code PATH} and the file system. */
    HostFacts SYSTEM = new HostFacts() {
        @Override
        public OptionalLong effectiveUid() {
            return readEffectiveUid(Path.of("/proc/self/status"));
        }

        @Override
        public String env(String name) {
            return System.getenv(name);
        }

        @Override
        public boolean onPath(String tool) {
            return isOnPath(tool, System.getenv("PATH"));
        }

        @Override
        public boolean exists(String path) {
            try {
                return Files.exists(Path.of(path));
            } catch (InvalidPathException e) {
                return false;
            }
        }
    };

    /** The effective uid of this process; empty when it cannot be determined. */
    OptionalLong effectiveUid();

    /** The value of an environment variable, or null when it is not set. */
    String env(String name);

    /** True when {@code tool} is an executable regular file on {@code PATH} (or, if it contains {@code /}, at that path). */
    boolean onPath(String tool);

    /** True when {@code path} exists. */
    boolean exists(String path);

    /** Reads the effective uid from a {@code /proc/<pid>/status} file; empty when unreadable or malformed. */
    static OptionalLong readEffectiveUid(Path status) {
        try {
            return parseEffectiveUid(Files.readAllLines(status));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Parses the {@code Uid:} line of {@code /proc/<pid>/status}: {@code Uid: real effective saved fs}.
     *
     * @return the effective uid (second field), or empty when there is no well-formed {@code Uid:} line
     */
    static OptionalLong parseEffectiveUid(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("Uid:")) {
                String[] fields = line.substring("Uid:".length()).trim().split("\\s+");
                if (fields.length < 2) {
                    return OptionalLong.empty();
                }
                try {
                    return OptionalLong.of(Long.parseLong(fields[1]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** True when {@code tool} is an executable regular file in one of the {@code pathVariable} directories. */
    static boolean isOnPath(String tool, String pathVariable) {
        if (tool == null || tool.isEmpty()) {
            return false;
        }
        try {
            if (tool.indexOf('/') >= 0) {
                return isExecutableFile(Path.of(tool));
            }
            if (pathVariable == null) {
                return false;
            }
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isEmpty() && isExecutableFile(Path.of(dir, tool))) {
                    return true;
                }
            }
        } catch (InvalidPathException e) {
            return false;
        }
        return false;
    }

    private static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
