package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.infiniband.hca.FakeIbSysfs;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Bad input to every leaf command of {@code iov}, in-process: each row of {@link #badInputs()} is one command line
 * with a bad name, value, file (missing, a directory, a FIFO, {@code /dev/zero}, truncated, binary) or interface, and
 * what must come of it: the exit code ({@code 2} for the user's input, see {@link ExitCodes}), one line on stderr that
 * names the bad value, no stack trace or exception class name, nothing on stdout, and no file in the fixture
 * directory changed, added or removed. {@link #everyLeafCommandHasARow()} fails when a command is added without a
 * row. What needs a real process ({@code /dev/full} as stdout, a closed pipe, signals) is in {@link CliProcessIT}.
 */
class CliRobustnessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A network interface that does not exist (the name is valid, and too odd to be on a test machine). */
    private static final String NO_SUCH_IF = "iovnosuch9";

    @TempDir
    Path dir;

    private Thread fifoWriter;

    /** One bad command line: {@code args} may use the placeholders of {@link #fixture(String)}. */
    record Row(String command, int exit, String message, String... args) {
        @Override
        public String toString() {
            return String.join(" ", args) + " -> " + exit;
        }
    }

    static Stream<Row> badInputs() {
        return Stream.of(
                // the root command
                new Row("iov", 2, "unknown command 'frobnicate'", "frobnicate"),
                new Row("iov", 2, "unknown option: '--frob'", "--frob"),
                // lab (bad options only: a run builds a fabric)
                new Row("iov lab", 2, "'1'", "lab", "--vms", "1"),
                new Row("iov lab", 2, "'vpp'", "lab", "--backend", "vpp"),
                // env, link list, completion
                new Row("iov env", 2, "'extra'", "env", "extra"),
                new Row("iov link list", 2, "'extra'", "link", "list", "extra"),
                new Row("iov completion", 2, "'fish'", "completion", "fish"),
                // inventory
                new Row("iov inventory", 2, "MISSING", "inventory", "--sysfs-root", "MISSING"),
                new Row("iov inventory", 2, "'bogus'", "inventory", "--ovsdb", "bogus"),
                // switch run: every option is checked before a link is looked up
                new Row("iov switch run", 2, "'bad/name'", "switch", "run", "--port", "bad/name", "--port", "b"),
                new Row("iov switch run", 2, "'a:access=5000'", "switch", "run", "--port", "a:access=5000",
                        "--port", "b"),
                new Row("iov switch run", 2, "DIR", "switch", "run", "--port", "a", "--port", "b", "--pcap", "DIR"),
                new Row("iov switch run", 2, "MISSING/x.pcap", "switch", "run", "--port", "a", "--port", "b",
                        "--pcap", "MISSING/x.pcap"),
                new Row("iov switch run", 2, "FIFO", "switch", "run", "--port", "a", "--port", "b", "--pcap",
                        "FIFO"),
                new Row("iov switch run", 2, "'" + NO_SUCH_IF + "'", "switch", "run", "--port", NO_SUCH_IF,
                        "--port", "lo"),
                new Row("iov switch run", 2, "'iov-no-such-ns'", "switch", "run", "--port", "a", "--port", "b",
                        "--netns", "iov-no-such-ns"),
                // ovs show
                new Row("iov ovs show", 2, "'tcp:host'", "ovs", "show", "--ovsdb", "tcp:host"),
                // rss hash
                new Row("iov rss hash", 2, "'198.18.0.300'", "rss", "hash", "--src", "198.18.0.300", "--dst",
                        "198.18.0.2"),
                new Row("iov rss hash", 2, "'zz'", "rss", "hash", "--src", "198.18.0.1", "--dst", "198.18.0.2",
                        "--key", "zz"),
                // sriov list, numvfs, bind
                new Row("iov sriov list", 2, "MISSING", "sriov", "list", "--sysfs-root", "MISSING"),
                new Row("iov sriov list", 2, "SNAPSHOT", "sriov", "list", "--sysfs-root", "SNAPSHOT"),
                new Row("iov sriov numvfs", 2, "'0000:3b:00.9'", "sriov", "numvfs", "0000:3b:00.9", "1"),
                new Row("iov sriov numvfs", 2, "'many'", "sriov", "numvfs", "0000:3b:00.0", "many"),
                new Row("iov sriov bind", 2, "'pci0'", "sriov", "bind", "pci0", "--driver", "vfio-pci"),
                // sriov vf set/show: an interface that does not exist is the user's input
                new Row("iov sriov vf set", 2, "'" + NO_SUCH_IF + "'", "sriov", "vf", "set", NO_SUCH_IF, "--vf",
                        "0", "--trust", "on"),
                new Row("iov sriov vf set", 2, "'02:00:00:00:00'", "sriov", "vf", "set", "lo", "--vf", "0",
                        "--mac", "02:00:00:00:00"),
                new Row("iov sriov vf set", 2, "'-1'", "sriov", "vf", "set", "lo", "--vf", "-1", "--trust", "on"),
                new Row("iov sriov vf show", 2, "'" + NO_SUCH_IF + "'", "sriov", "vf", "show", NO_SUCH_IF),
                new Row("iov sriov vf show", 2, "'a b'", "sriov", "vf", "show", "a b"),
                // sriov save: the target is checked before the kernel is asked
                new Row("iov sriov save", 2, "'" + NO_SUCH_IF + "'", "sriov", "save", NO_SUCH_IF, "OUT"),
                new Row("iov sriov save", 2, "DIR", "sriov", "save", "lo", "DIR"),
                new Row("iov sriov save", 2, "MISSING/out.json", "sriov", "save", "lo", "MISSING/out.json"),
                new Row("iov sriov save", 2, "FIFO", "sriov", "save", "lo", "FIFO"),
                // sriov restore: every kind of bad file
                new Row("iov sriov restore", 2, "MISSING", "sriov", "restore", "lo", "MISSING"),
                new Row("iov sriov restore", 2, "DIR", "sriov", "restore", "lo", "DIR"),
                new Row("iov sriov restore", 2, "BINARY:1:18: byte offset 17: 0xff is not valid UTF-8", "sriov", "restore",
                        "lo", "BINARY"),
                new Row("iov sriov restore", 2, "TRUNCATED:", "sriov", "restore", "lo", "TRUNCATED"),
                new Row("iov sriov restore", 2, "/dev/zero", "sriov", "restore", "lo", "/dev/zero"),
                new Row("iov sriov restore", 2, "FIFO", "sriov", "restore", "lo", "FIFO"),
                new Row("iov sriov restore", 2, "'" + NO_SUCH_IF + "'", "sriov", "restore", NO_SUCH_IF, "SNAPSHOT"),
                // ib
                new Row("iov ib list", 2, "MISSING", "ib", "list", "--sysfs-root", "MISSING"),
                new Row("iov ib pkey explain", 2, "'0x10000'", "ib", "pkey", "explain", "0x10000"),
                new Row("iov ib pkey explain", 2, "'zz'", "ib", "pkey", "explain", "zz"),
                new Row("iov ib partitions parse", 2, "MISSING", "ib", "partitions", "parse", "MISSING"),
                new Row("iov ib partitions parse", 2, "DIR", "ib", "partitions", "parse", "DIR"),
                new Row("iov ib partitions parse", 2, "BINARY:1:18: non-ASCII byte 0xff outside a comment", "ib",
                        "partitions", "parse", "BINARY"),
                new Row("iov ib partitions parse", 2, "/dev/zero", "ib", "partitions", "parse", "/dev/zero"),
                new Row("iov ib partitions parse", 2, "FIFO", "ib", "partitions", "parse", "FIFO"),
                new Row("iov ib partitions parse", 2, "'yaml'", "ib", "partitions", "parse", "SNAPSHOT", "--format",
                        "yaml"),
                new Row("iov ib vf-guid set", 2, "'" + NO_SUCH_IF + "'", "ib", "vf-guid", "set", NO_SUCH_IF,
                        "--vf", "0", "--node-guid", "0x0000000000000001"),
                new Row("iov ib vf-guid set", 2, "'0xzz'", "ib", "vf-guid", "set", "lo", "--vf", "0",
                        "--node-guid", "0xzz"));
    }

    @BeforeEach
    void fixtures() throws IOException, InterruptedException {
        Files.createDirectory(dir.resolve("dir"));
        // A valid snapshot (of PF iovnosuch9), and the same cut in the middle of a string.
        String snapshot = "{\n  \"format\": \"iov-vf-snapshot/1\",\n  \"pf\": \"" + NO_SUCH_IF
                + "\",\n  \"vfs\": []\n}\n";
        Files.writeString(dir.resolve("snapshot.json"), snapshot);
        Files.writeString(dir.resolve("truncated.json"), snapshot.substring(0, 40));
        // 17 bytes of text, then bytes no UTF-8 text contains.
        byte[] binary = new byte[32];
        byte[] text = "{ \"format\": \"iov-".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, binary, 0, text.length);
        assertThat(text.length).isEqualTo(17);
        Arrays.fill(binary, 17, 32, (byte) 0xff);
        Files.write(dir.resolve("binary.bin"), binary);
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
        // A writer that sends garbage to whoever opens the FIFO for reading, then closes it.
        fifoWriter = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(dir.resolve("fifo").toFile())) {
                out.write("garbage \u0001 that is no file\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the reader went away: fine
            }
        }, "fifo-writer");
        fifoWriter.setDaemon(true);
        fifoWriter.start();
    }

    @AfterEach
    void releaseFifoWriter() throws Exception {
        if (fifoWriter.isAlive()) {
            // The writer may still wait in its open (nobody read the FIFO), or be past it (the command opened the
            // FIFO and the writer is closing): a blocking open for reading would then wait forever for a writer.
            // Opened read-write, a FIFO never blocks on Linux: a waiting writer's open returns, its few bytes go
            // into the pipe's buffer and it closes.
            try (RandomAccessFile unblock = new RandomAccessFile(dir.resolve("fifo").toFile(), "rw")) {
                fifoWriter.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
        fifoWriter.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(fifoWriter.isAlive()).isFalse();
    }

    /** Placeholders in a row's arguments and message: the fixture files of this test. */
    private String fixture(String text) {
        return text.replace("MISSING", dir.resolve("missing").toString())
                .replace("DIR", dir.resolve("dir").toString())
                .replace("SNAPSHOT", dir.resolve("snapshot.json").toString())
                .replace("TRUNCATED", dir.resolve("truncated.json").toString())
                .replace("BINARY", dir.resolve("binary.bin").toString())
                .replace("FIFO", dir.resolve("fifo").toString())
                .replace("OUT", dir.resolve("out.json").toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputExitsWithOneLineNamingTheValueAndChangesNothing(Row row) throws Exception {
        Map<String, String> before = snapshotOf(dir);
        String[] args = Arrays.stream(row.args()).map(this::fixture).toArray(String[]::new);

        CliRunner.Result result = CliRunner.run(args);

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isEqualTo(row.exit());
        assertThat(result.out()).as("stdout").isEmpty();
        assertThat(result.errLines()).as("one line on stderr").hasSize(1);
        assertThat(result.err()).startsWith("iov: ").contains(fixture(row.message()));
        assertNoStackTrace(result.err());
        assertThat(snapshotOf(dir)).as("no file in %s changed, added or removed", dir).isEqualTo(before);
    }

    @Test
    void everyLeafCommandHasARow() {
        List<String> covered = badInputs().map(Row::command).distinct().toList();
        List<String> leaves = new ArrayList<>();
        collectLeaves(Cli.newCommandLine(new IovCommand()), leaves);

        assertThat(leaves).hasSizeGreaterThan(15);
        assertThat(covered).containsAll(leaves);
    }

    private static void collectLeaves(CommandLine command, List<String> into) {
        if (command.getCommandName().equals("help")) {
            return;
        }
        if (command.getSubcommands().isEmpty()) {
            into.add(command.getCommandSpec().qualifiedName());
        }
        command.getSubcommands().values().stream().distinct().forEach(sub -> collectLeaves(sub, into));
    }

    // ---------------------------------------------------------------- terminal escapes

    @Test
    void controlCharactersInAnErrorMessageAreEscaped() {
        CliRunner.Result result = CliRunner.run("\u001b]0;owned\u0007\u001b[2Jx\u009b31m\u007f");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("iov: unknown command '\\x1b]0;owned\\x07\\x1b[2Jx\\x9b31m\\x7f' "
                + "(see 'iov --help')" + System.lineSeparator());
    }

    @Test
    void controlCharactersInAFileNameAreEscapedInTheError() {
        String name = dir.resolve("evil\u001b[31m\u007f.json").toString();

        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", name);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("evil\\x1b[31m\\x7f.json").doesNotContain("\u001b", "\u007f");
    }

    /** ASCII controls only: sysfs attributes are read as ASCII, and a C1 control is not ASCII. */
    @Test
    void controlCharactersReadFromSysfsAreEscapedInTextAndInJson() throws Exception {
        FakeIbSysfs fake = FakeIbSysfs.example(dir.resolve("sys"));
        Path fwVer;
        try (Stream<Path> files = Files.walk(fake.root())) {
            fwVer = files.filter(p -> p.getFileName().toString().equals("fw_ver")).findFirst().orElseThrow();
        }
        Files.writeString(fwVer, "20.39\u001b[2J\u001b]0;x\u0007\u007f1002\r\n");
        String root = fake.root().toString();

        CliRunner.Result text = CliRunner.run("ib", "list", "--sysfs-root", root);
        CliRunner.Result json = CliRunner.run("ib", "list", "--sysfs-root", root, "--json");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("20.39\\x1b[2J\\x1b]0;x\\x07\\x7f1002");
        assertNoControlCharacters(text.out());
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertNoControlCharacters(json.out());
        JsonNode hcas = JSON.readTree(json.out()).get("hcas");
        assertThat(hcas.findValuesAsText("fwVer")).contains("20.39\u001b[2J\u001b]0;x\u0007\u007f1002");
    }

    // ---------------------------------------------------------------- helpers

    static void assertNoStackTrace(String err) {
        assertThat(err).as("no stack trace").doesNotContain("\tat ", "Exception", "Error:", "Caused by");
    }

    /** No C0 control other than newline and tab, no DEL, no C1 control. */
    static void assertNoControlCharacters(String text) {
        assertThat(text.chars().filter(c -> (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)))
                .as("control characters in %s", text).isEmpty();
    }

    /** Every path below {@code root} with its type and, for regular files, the SHA-256 of its content. */
    static Map<String, String> snapshotOf(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                String what;
                if (Files.isSymbolicLink(path)) {
                    what = "link " + Files.readSymbolicLink(path);
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    what = "dir";
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    what = "file " + sha256(Files.readAllBytes(path));
                } else {
                    what = "other";
                }
                entries.put(root.relativize(path).toString(), what);
            }
        }
        return entries;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
