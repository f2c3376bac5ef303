package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A separate JVM running a {@code main} class of the test classpath, for tests in which a process must really die
 * (SIGKILL leaves no chance to close a session). Talk to it with lines: {@link #send} writes one to its standard
 * input, {@link #awaitLine} waits for one on its standard output. Its standard error goes to
 * {@code target/child-jvms/<name>.log}. Closing it kills it if it still runs; a child whose standard input closes
 * (the test JVM died) should exit by itself, as {@link ChildNode} does.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start("child", ChildNode.class, connectString, namespace, "2000", "child")) {
 *     child.awaitLine("joined", line -> line.startsWith("JOINED"), Duration.ofSeconds(60));
 *     int exit = child.killForcibly(Duration.ofSeconds(10)); // 137: SIGKILL
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "child-jvm-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} in a new JVM with this JVM's test classpath and a small heap.
     *
     * @param name names the child in messages and its log file
     * @param mainClass a class with a {@code main} method, on the test classpath
     * @param args its arguments
     * @return the running child
     * @throws IOException when the JVM cannot be started
     */
    public static ChildJvm start(String name, Class<?> mainClass, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classpath(), mainClass.getName()));
        command.addAll(List.of(args));
        Path dir = Path.of("target", "child-jvms");
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        return new ChildJvm(name, process, log);
    }

    /**
     * The classpath of the tests: surefire's {@code surefire.test.class.path} when set (under surefire,
     * {@code java.class.path} may be only its booter jar, whose manifest lists the real entries), else
     * {@code java.class.path}.
     */
    private static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /**
     * Writes a command line to the child's standard input.
     *
     * @param command the line, without its newline
     * @throws IOException when the child's input is closed (it died)
     */
    public void send(String command) throws IOException {
        synchronized (stdin) {
            stdin.write(command + "\n");
            stdin.flush();
        }
    }

    /**
     * Waits for a line of the child's standard output (one printed before the call counts too).
     *
     * @param what the line expected, for the failure message
     * @param matches tells the line
     * @param timeout how long to wait
     * @return the first line that matches
     */
    public String awaitLine(String what, Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines) {
                if (matches.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive() && lines.stream().noneMatch(matches)) {
                Thread.sleep(50);  // let the reader take the last lines
                for (String line : lines) {
                    if (matches.test(line)) {
                        return line;
                    }
                }
                fail("child " + name + " exited with " + process.exitValue() + " before printing " + what
                        + "; output " + lines + "; stderr in " + log.toAbsolutePath() + ":\n" + tail());
            }
            Thread.sleep(10);
        }
        fail("not within " + timeout + ": child " + name + " printed " + what + "; output " + lines
                + "; stderr in " + log.toAbsolutePath() + ":\n" + tail());
        return null;
    }

    /** @return every line the child printed so far */
    public List<String> output() {
        return List.copyOf(lines);
    }

    /** @return the child's process id */
    public long pid() {
        return process.pid();
    }

    /** @return true while the child runs */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the child with {@link Process#destroyForcibly()} (SIGKILL on Linux: it runs no shutdown hook and closes
     * nothing) and waits for it to end.
     *
     * @param timeout how long to wait for it to end
     * @return its exit code, 137 (128 + 9) for a SIGKILL
     */
    public int killForcibly(Duration timeout) throws InterruptedException {
        process.destroyForcibly();
        return awaitExit(timeout);
    }

    /**
     * Waits for the child to end by itself.
     *
     * @param timeout how long to wait
     * @return its exit code
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("child " + name + " still runs after " + timeout);
        }
        return process.exitValue();
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The child is gone.
        }
    }

    private String tail() {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + name + ", pid " + process.pid() + (process.isAlive() ? "" : ", exited") + "]";
    }
}
