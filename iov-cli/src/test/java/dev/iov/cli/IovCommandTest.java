package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.iov.cli.CliRunner.Result;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class IovCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- test-only commands that exercise the conventions ----

    @Command(name = "fail-iae")
    static final class IllegalArgumentCommand extends IovSubcommand {
        @Override
        protected CommandOutput execute() {
            throw new IllegalArgumentException("invalid MAC address 'zz:zz'");
        }
    }

    @Command(name = "fail-input")
    static final class UserInputCommand extends IovSubcommand {
        @Override
        protected CommandOutput execute() {
            throw UserInputException.at(Path.of("fabric.conf"), 12, "unknown network 'tenant-9'");
        }
    }

    @Command(name = "fail-runtime")
    static final class RuntimeFailureCommand extends IovSubcommand {
        @Override
        protected CommandOutput execute() {
            throw new IllegalStateException("backend sriov failed:\nEOPNOTSUPP on eth0");
        }
    }

    @Command(name = "fail-io")
    static final class IoFailureCommand extends IovSubcommand {
        @Override
        protected CommandOutput execute() {
            throw new UncheckedIOException(new NoSuchFileException("/etc/iov/fabric.conf"));
        }
    }

    @Command(name = "count")
    static final class CountCommand extends IovSubcommand {
        @Option(names = "--n", description = "how many")
        int n = 1;

        @Override
        protected CommandOutput execute() {
            return new CommandOutput() {
                @Override
                public Object toJson() {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("n", n);
                    json.put("items", List.of("a", "b"));
                    return json;
                }

                @Override
                public void printText(PrintWriter out) {
                    out.println("n = " + n);
                }
            };
        }
    }

    private static Result runWithTestCommands(String... args) {
        return CliRunner.run(new Object[] {new IllegalArgumentCommand(), new UserInputCommand(),
            new RuntimeFailureCommand(), new IoFailureCommand(), new CountCommand()}, args);
    }

    // ---- help and version ----

    @ParameterizedTest
    @ValueSource(strings = {"link", "rss", "sriov", "ib", "env"})
    void everyCommandGroupAnswersHelp(String group) {
        Result result = CliRunner.run(group, "--help");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Usage: iov " + group);
    }

    @Test
    void helpExitsZeroAndListsCommandsAndGlobalOptions() {
        Result r = CliRunner.run("--help");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).contains("Usage: iov", "--debug", "--version", "env", "Exit codes:");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void subcommandHelpShowsJsonOption() {
        Result r = CliRunner.run("env", "--help");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).contains("Usage: iov env", "--json", "--debug");
        assertThat(CliRunner.run("help", "env").out()).contains("Usage: iov env");
    }

    @Test
    void versionPrintsIovVersionAndJava() {
        Result r = CliRunner.run("--version");
        assertThat(r.exitCode()).isEqualTo(0);
        String expected = System.getProperty("iov.expected.version", "0.1.0-SNAPSHOT");
        assertThat(r.out().lines()).first().isEqualTo("iov " + expected);
        assertThat(r.out()).contains("Java " + Runtime.version());
        assertThat(VersionProvider.iovVersion()).isEqualTo(expected);
    }

    @Test
    void noCommandPrintsUsageOnStderrAndExitsTwo() {
        Result r = CliRunner.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Usage: iov");
    }

    // ---- user errors: exit 2, one line, no stack trace ----

    @Test
    void unknownOptionIsOneLineExitTwo() {
        Result r = CliRunner.run("--frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("iov: unknown option: '--frobnicate' (see 'iov --help')");
    }

    @Test
    void unknownSubcommandOptionNamesTheSubcommand() {
        Result r = CliRunner.run("env", "--frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("iov: unknown option: '--frobnicate' (see 'iov env --help')");
    }

    @Test
    void unknownCommandIsOneLineExitTwo() {
        Result r = CliRunner.run("frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("iov: unknown command 'frobnicate' (see 'iov --help')");
    }

    @Test
    void unexpectedArgumentIsNamed() {
        Result r = CliRunner.run("env", "extra");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("iov: unexpected argument 'extra' (see 'iov env --help')");
    }

    @Test
    void badOptionValueNamesTheValue() {
        Result r = runWithTestCommands("count", "--n", "many");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines()[0]).startsWith("iov: ").contains("'many'", "--n").doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void illegalArgumentFromTheApiIsAUserError(boolean debug) {
        Result r = debug ? runWithTestCommands("--debug", "fail-iae") : runWithTestCommands("fail-iae");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()[0]).isEqualTo("iov: invalid MAC address 'zz:zz'");
        if (!debug) {
            assertThat(r.errLines()).hasSize(1);
        }
    }

    @Test
    void userInputExceptionReportsFileAndLine() {
        Result r = runWithTestCommands("fail-input");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("iov: fabric.conf:12: unknown network 'tenant-9'");
    }

    // ---- runtime failures: exit 1, one line; --debug adds the trace ----

    @Test
    void runtimeFailureIsOneLineExitOneWithoutTrace() {
        Result r = runWithTestCommands("fail-runtime");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly("iov: backend sriov failed: EOPNOTSUPP on eth0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"before", "after"})
    void debugAddsTheStackTrace(String where) {
        Result r = where.equals("before")
                ? runWithTestCommands("--debug", "fail-runtime")
                : runWithTestCommands("fail-runtime", "--debug");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()[0]).isEqualTo("iov: backend sriov failed: EOPNOTSUPP on eth0");
        assertThat(r.err()).contains("java.lang.IllegalStateException: backend sriov failed",
                "at dev.iov.cli.IovCommandTest$RuntimeFailureCommand.execute");
    }

    @Test
    void ioFailuresAreDescribedPlainly() {
        Result r = runWithTestCommands("fail-io");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("iov: no such file: /etc/iov/fabric.conf");
    }

    // ---- output: text, or exactly one JSON document ----

    @Test
    void textByDefault() {
        Result r = runWithTestCommands("count", "--n", "3");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("n = 3" + System.lineSeparator());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonIsExactlyOneDocument() throws Exception {
        Result r = runWithTestCommands("count", "--json", "--n", "3");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.err()).isEmpty();
        try (var parser = JSON.getFactory().createParser(r.out())) {
            JsonNode document = JSON.readTree(parser);
            assertThat(document.get("n").asInt()).isEqualTo(3);
            assertThat(document.get("items").getNodeType()).isEqualTo(JsonNodeType.ARRAY);
            assertThat(parser.nextToken()).as("nothing after the document").isNull();
        }
    }

    @Test
    void jsonFailureLeavesStdoutEmpty() {
        Result r = runWithTestCommands("fail-runtime", "--json");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
    }
}
