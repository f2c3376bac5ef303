package dev.iov.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs the {@code iov} command line in-process and captures stdout, stderr and the exit code. */
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
        CommandLine commandLine = Cli.newCommandLine(new IovCommand());
        configure.accept(commandLine);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // After the subcommands are added: setOut/setErr apply to the hierarchy as it is now.
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
