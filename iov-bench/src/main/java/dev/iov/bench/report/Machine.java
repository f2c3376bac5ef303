package dev.iov.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The machine and JVM a report ran on.
 *
 * @param cpu the CPU model
 * @param cores how many CPUs the JVM may use
 * @param memory the machine's memory, e.g. {@code 23.5 GiB}
 * @param kernel the kernel release
 * @param os the operating system
 * @param jdk the JDK that ran the benchmarks
 */
public record Machine(String cpu, int cores, String memory, String kernel, String os, String jdk) {

    /**
     * @param cpu the CPU model
     * @param cores the CPUs
     * @param memory the memory
     * @param kernel the kernel
     * @param os the OS
     * @param jdk the JDK
     */
    public Machine {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(jdk, "jdk");
    }

    /**
     * Describes the machine this JVM runs on, from {@code /proc} and the system properties.
     *
     * @return the machine
     */
    public static Machine detect() {
        String cpu = procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch"));
        String memory = procField("/proc/meminfo", "MemTotal")
                .map(v -> String.format(java.util.Locale.ROOT, "%.1f GiB",
                        Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                .orElse("unknown");
        String os = osRelease().orElse(System.getProperty("os.name"));
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")";
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memory, System.getProperty("os.version"),
                os, jdk);
    }

    private static java.util.Optional<String> procField(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.stream().filter(l -> l.startsWith(field)).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<String> osRelease() {
        try {
            return Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).findFirst();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
