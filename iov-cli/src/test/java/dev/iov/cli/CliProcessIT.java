package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What only a real {@code iov} process shows (the shaded jar, {@code java -jar}): standard output that cannot be
 * written ({@code /dev/full}, a pipe nobody reads) is a failure, exit 1 with the cause on stderr; a command
 * interrupted by SIGINT or SIGTERM exits 130 or 143 as shells report it, while a command that runs until such a
 * signal by design ({@code lab --hold}) stops cleanly with 0; an endless input file is refused, not read into an
 * {@link OutOfMemoryError}.
 */
class CliProcessIT {

    private static final String PARTITIONS = "Default=0x7fff, ipoib : ALL=full;\n";

    private static Path jar;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("iov.cli.jar", "iov-cli.jar"));
        assertThat(jar).as("system property iov.cli.jar (set by the failsafe configuration)").isRegularFile();
    }

    @AfterEach
    void noProcessLeft() {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                throw new AssertionError("iov (pid " + p.pid() + ") still ran after the test");
            }
        }
    }

    // ---------------------------------------------------------------- standard output that cannot be written

    @ParameterizedTest(name = "iov {0} > /dev/full")
    @CsvSource({"env", "rss hash --src 198.18.0.1 --dst 198.18.0.2 --json", "--help", "--version",
        "completion bash", "ib pkey explain 0x8001"})
    void aFullDiskIsAFailureNamingTheCause(String args) throws Exception {
        ProcessBuilder builder = iov(args.split(" ")).redirectOutput(new File("/dev/full"))
                .redirectError(dir.resolve("err").toFile());

        int exit = finish(start(builder));

        String err = Files.readString(dir.resolve("err"));
        assertThat(exit).as("stderr: %s", err).isEqualTo(1);
        assertThat(err).isEqualTo("iov: cannot write standard output: No space left on device\n");
    }

    @Test
    void aPipeNobodyReadsIsAFailure() throws Exception {
        // iov reads its input from the pipe on stdin, so it writes only after the reader of its stdout is gone.
        Process iov = start(iov("ib", "partitions", "parse", "/dev/stdin").redirectError(dir.resolve("err").toFile()));
        iov.getInputStream().close();
        try (OutputStream in = iov.getOutputStream()) {
            in.write(PARTITIONS.getBytes(StandardCharsets.UTF_8));
        }

        int exit = finish(iov);

        String err = Files.readString(dir.resolve("err"));
        assertThat(exit).as("stderr: %s", err).isEqualTo(1);
        assertThat(err).isEqualTo("iov: cannot write standard output: Broken pipe\n");
    }

    @Test
    void aReadablePipeAsInputWorks() throws Exception {
        Process iov = start(iov("ib", "partitions", "parse", "/dev/stdin").redirectError(dir.resolve("err").toFile()));
        CompletableFuture<String> out = readAll(iov);
        try (OutputStream in = iov.getOutputStream()) {
            in.write(PARTITIONS.getBytes(StandardCharsets.UTF_8));
        }

        assertThat(finish(iov)).as(Files.readString(dir.resolve("err"))).isZero();
        assertThat(out.get(30, TimeUnit.SECONDS)).contains("Default", "0x7fff");
    }

    // ---------------------------------------------------------------- endless input

    @Test
    void devZeroAsInputIsRefusedWithoutReadingItAll() throws Exception {
        Process iov = start(iov("ib", "partitions", "parse", "/dev/zero").redirectError(dir.resolve("err").toFile()));
        CompletableFuture<String> out = readAll(iov);

        int exit = finish(iov);

        String err = Files.readString(dir.resolve("err"));
        assertThat(exit).as("stderr: %s", err).isEqualTo(2);
        assertThat(out.get(30, TimeUnit.SECONDS)).isEmpty();
        assertThat(err).startsWith("iov: ").contains("/dev/zero").hasLineCount(1);
        CliRobustnessTest.assertNoStackTrace(err);
    }

    // ---------------------------------------------------------------- signals

    @ParameterizedTest(name = "{0}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalInterruptingACommandExits128PlusItsNumber(String signal, int expected) throws Exception {
        // An OVSDB server that accepts the connection and never answers: iov is inside the command when it is
        // accepted, waiting for the reply.
        Path socket = dir.resolve("db.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Process iov = start(iov("ovs", "show", "--ovsdb", "unix:" + socket)
                    .redirectError(dir.resolve("err").toFile()));
            CompletableFuture<String> out = readAll(iov);
            try (SocketChannel connection = server.accept()) {
                kill(signal, iov);

                int exit = finish(iov);

                String err = Files.readString(dir.resolve("err"));
                assertThat(exit).as("stderr: %s", err).isEqualTo(expected);
                assertThat(out.get(30, TimeUnit.SECONDS)).isEmpty();
                CliRobustnessTest.assertNoStackTrace(err);
            }
        }
    }

    @Test
    void sigtermEndsLabHoldCleanlyWithZero() throws Exception {
        Process iov = start(iov("lab", "--in-process", "--hold", "--vms", "2", "--pcap",
                dir.resolve("hold.pcap").toString()).redirectError(dir.resolve("err").toFile()));
        List<String> lines = new ArrayList<>();
        try (var out = iov.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("holding the fabric up")) {
                    kill("TERM", iov);
                }
            }
        }

        int exit = finish(iov);

        String err = Files.readString(dir.resolve("err"));
        assertThat(lines).anyMatch(l -> l.startsWith("holding the fabric up"));
        assertThat(exit).as("stdout: %s%nstderr: %s", lines, err).isZero();
        assertThat(lines.get(lines.size() - 1)).startsWith("torn down");
        assertThat(err).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private ProcessBuilder iov(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static int finish(Process process) throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("iov did not finish within 60 s");
        }
        return process.exitValue();
    }

    private static CompletableFuture<String> readAll(Process process) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** kill(1): sends the signal and nothing else (Process.destroy would also close our ends of its pipes). */
    private static void kill(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
