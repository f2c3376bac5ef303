package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.testing.TestNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test fixtures: namespace names and running commands. */
final class Fixtures {

    private Fixtures() {
    }

    /** @return a fresh test namespace name, {@code iov-t-} plus 8 random hex digits */
    static String namespaceName() {
        return TestNamespaces.uniqueName();
    }

    /**
     * Waits for a process and returns its output, failing the test if it exits non-zero.
     *
     * @param process a process whose stderr is merged into stdout
     * @return its output
     */
    static String succeed(Process process) {
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("finished").isTrue();
            assertThat(process.exitValue()).as("exit status; output: %s", output).isZero();
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Runs {@code ip ARGS…} and fails the test if it fails.
     *
     * @param args arguments after {@code ip}
     * @return its output
     */
    static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            return succeed(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Turns IPv6 off on an interface so the kernel sends nothing on it by itself (router solicitations, neighbour
     * discovery). Writes the sysctl file from a thread inside the namespace: {@code /proc/sys/net} shows the
     * namespace of the thread that opens it, and no {@code sysctl} binary is needed.
     *
     * @param namespace the interface's namespace
     * @param interfaceName the interface
     */
    static void disableIpv6(NetworkNamespace namespace, String interfaceName) {
        namespace.call(() -> {
            Path knob = Path.of("/proc/sys/net/ipv6/conf", interfaceName, "disable_ipv6");
            if (Files.exists(knob)) {
                Files.writeString(knob, "1");
            }
            return null;
        });
    }

    /**
     * Closes every resource, even when an earlier close fails; rethrows the first failure with the others
     * suppressed. For {@code @AfterEach} methods.
     *
     * @param resources what to close, in order; nulls are skipped
     */
    static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException ? (RuntimeException) e
                        : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
