package dev.iov.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * Runs the {@code iov} command line in-process and captures stdout, stderr and the exit code. Output goes through
 * the same {@link StandardStreams} writers as in {@link Cli#run} (UTF-8), so control characters are escaped here as
 * they are on a terminal.
 */
final class CliRunner {

    /** What one run produced. */
    record Result(int exitCode, String out, String err) {
        /** Stderr split into lines (no trailing empty line). */
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\\R");
        }
    }

    private CliRunner() {
    }

    /** Runs {@code iov args} with the real commands only. */
    static Result run(String... args) {
        return run(new Object[0], args);
    }

    /** Runs {@code iov args} with extra (test) subcommands registered next to the real ones. */
    static Result run(Object[] extraSubcommands, String... args) {
        return run(commandLine -> {
            for (Object command : extraSubcommands) {
                commandLine.addSubcommand(command);
            }
        }, args);
    }

    /**
     * Runs {@code iov args} after {@code configure} has seen the command line (to add test subcommands, or to
     * point commands at test fixtures).
     */
    static Result run(Consumer<CommandLine> configure, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = run(configure, out, err, args);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code iov args} with standard output and standard error going to the given streams. */
    static int run(Consumer<CommandLine> configure, OutputStream out, OutputStream err, String... args) {
        CommandLine commandLine = Cli.newCommandLine(new IovCommand());
        configure.accept(commandLine);
        // After the subcommands are added: setOut/setErr apply to the hierarchy as it is now.
        commandLine.setOut(StandardStreams.writer(out, StandardCharsets.UTF_8, "standard output"));
        commandLine.setErr(StandardStreams.writer(err, StandardCharsets.UTF_8, "standard error"));
        int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return exitCode;
    }
}
