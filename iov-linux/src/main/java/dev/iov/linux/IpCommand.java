package dev.iov.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip} for the test and lab fixtures that {@link NetworkNamespace} manages. Only fixtures use
 * it: a named namespace is a bind mount under {@code /var/run/netns} whose set-up (mount propagation, the bind mount
 * itself) {@code ip} already does right, while provisioning paths use netlink and never fork.
 *
 * <p>{@code ip} reports failures as text, e.g. {@code Cannot create namespace file "/run/netns/x": File exists}.
 * The child runs with {@code LC_ALL=C}, so that text ends with glibc's English {@code strerror}, which
 * {@link Errno#message()} matches back to an errno to throw the typed exception.
 */
final class IpCommand {

    private static final long TIMEOUT_SECONDS = 30;

    private IpCommand() {
    }

    /**
     * Runs {@code ip ARGS…} and waits for it.
     *
     * @param operation names the operation in errors, e.g. {@code "create network namespace"}
     * @param object names the object in errors, e.g. the namespace name
     * @param args the arguments after {@code ip}
     * @return what {@code ip} printed (stdout and stderr together)
     * @throws LinuxException if {@code ip} failed with a message that ends in a known errno text
     * @throws IllegalStateException if it failed otherwise or did not finish within 30 s
     * @throws UncheckedIOException if {@code ip} cannot be started
     */
    static String run(String operation, String object, String... args) {
        List<String> command = new ArrayList<>(args.length + 1);
        command.add("ip");
        command.addAll(List.of(args));
        Process process = start(command);
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw failure(operation, object, command, process.exitValue(), text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for " + String.join(" ", command), e);
        }
    }

    /**
     * Starts a command with {@code LC_ALL=C} and stderr merged into stdout.
     *
     * @param command the program and its arguments
     * @return the running process
     * @throws UncheckedIOException if it cannot be started
     */
    static Process start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    private static RuntimeException failure(String operation, String object, List<String> command, int exit,
            String text) {
        String detail = String.join(" ", command) + " exited with " + exit + ": " + text;
        for (Errno errno : Errno.values()) {
            if (text.contains(errno.message())) {
                return LinuxException.of(errno.number(), operation, object, detail);
            }
        }
        return new IllegalStateException(operation + " on '" + object + "' failed: " + detail);
    }
}
