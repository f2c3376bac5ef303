package dev.iov.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A finished command of the lab (ping, iperf3, tshark) and the parsing of what it printed.
 *
 * @param exit its exit status
 * @param output stdout and stderr
 */
record ProcessOutput(int exit, String output) {

    private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");

    /**
     * Reads a started process to its end.
     *
     * @param process the process (stderr merged into stdout)
     * @param timeoutSeconds how long to wait after its output ended
     * @param what the command, for messages
     * @return its exit status and output
     * @throws IllegalStateException when it does not end in time (it is killed)
     */
    static ProcessOutput of(Process process, int timeoutSeconds, String what) {
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in " + timeoutSeconds + " s");
            }
            return new ProcessOutput(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + what, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    /**
     * @return the sent and received counts of a ping summary line
     * @throws IllegalStateException when the output has no summary (ping failed to start)
     */
    LabPlane.PingResult pingResult() {
        Matcher m = PING_SUMMARY.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("ping printed no summary (exit " + exit + "): "
                    + output.strip().replaceAll("\\s*\\R\\s*", " "));
        }
        return new LabPlane.PingResult(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    /**
     * @param program a program name
     * @return whether it is an executable in a directory of {@code PATH}
     */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
