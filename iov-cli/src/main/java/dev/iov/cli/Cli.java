package dev.iov.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.RunLast;

/**
 * Builds and runs the {@code iov} command line with the conventions every command shares (see the
 * {@linkplain dev.iov.cli package documentation}): error handling, exit codes and logging.
 */
public final class Cli {

    /** slf4j-simple's default level; set before the first logger is created. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";
    private static final String SHOW_THREAD_PROPERTY = "org.slf4j.simpleLogger.showThreadName";
    private static final String SHOW_SHORT_NAME_PROPERTY = "org.slf4j.simpleLogger.showShortLogName";

    private Cli() {
    }

    /**
     * Runs {@code iov} with the process's arguments: configures logging, parses, executes and maps errors.
     * Standard output and standard error are {@link StandardStreams} (control characters escaped, write failures
     * kept); so are {@code System.out} and {@code System.err}, where logs go. An {@link Error} (out of memory) is
     * one line and exit code {@link ExitCodes#FAILURE}, like any failure.
     *
     * @param args the arguments after {@code iov}
     * @return the exit code ({@link ExitCodes})
     */
    public static int run(String... args) {
        Charset charset = stdoutCharset();
        System.setOut(StandardStreams.printStream(new FileOutputStream(FileDescriptor.out), charset));
        System.setErr(StandardStreams.printStream(new FileOutputStream(FileDescriptor.err), charset));
        configureLogging(debugRequested(args));
        CommandLine commandLine = newCommandLine(new IovCommand());
        PrintWriter out = StandardStreams.writer(new FileOutputStream(FileDescriptor.out), charset,
                "standard output");
        PrintWriter err = StandardStreams.writer(new FileOutputStream(FileDescriptor.err), charset,
                "standard error");
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } catch (Error e) {
            err.println("iov: internal error: " + TerminalText.escape(e.toString())
                    + (debugRequested(args) ? "" : " (--debug prints the stack trace)"));
            if (debugRequested(args)) {
                e.printStackTrace(err);
            }
            return ExitCodes.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The charset the JDK would give {@code System.out}. */
    private static Charset stdoutCharset() {
        String name = System.getProperty("sun.stdout.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /**
     * A picocli command line for {@code command} with iov's error handlers and exit code mapping. Callers (and
     * tests) may add subcommands and set {@code out}/{@code err} before {@code execute}; error messages go to the
     * root's {@code err} at the time of the error.
     *
     * <p>A run that would exit 0 is checked last: when anything written to the root's {@code out} could not be
     * written (full disk, closed pipe; see {@link StandardStreams#check}), it fails with
     * {@code iov: cannot write standard output: CAUSE} and {@link ExitCodes#FAILURE}. This covers every command,
     * {@code --help} and {@code --version} included.
     *
     * @param command the root command, normally {@link IovCommand}
     * @return the configured command line
     */
    public static CommandLine newCommandLine(Object command) {
        CommandLine commandLine = new CommandLine(command);
        ErrorHandler errors = new ErrorHandler(commandLine);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setExitCodeExceptionMapper(ExitCodes.MAPPER);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionStrategy(checkingOutput(commandLine, new RunLast()));
        return commandLine;
    }

    /** Runs {@code strategy}, then fails a successful run whose standard output could not be written. */
    private static IExecutionStrategy checkingOutput(CommandLine root, IExecutionStrategy strategy) {
        return parseResult -> {
            int exitCode = strategy.execute(parseResult);
            if (exitCode == ExitCodes.OK) {
                try {
                    StandardStreams.check(root.getOut());
                } catch (OutputFailedException e) {
                    throw new ExecutionException(root, e.getMessage(), e);
                }
            }
            return exitCode;
        };
    }

    /**
     * Whether {@value ErrorHandler#DEBUG_OPTION} appears among the arguments (before a {@code --} terminator).
     * Looked at before parsing, because logging must be configured before any logger exists.
     *
     * @param args the arguments
     * @return whether debug output was asked for
     */
    static boolean debugRequested(String... args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(ErrorHandler.DEBUG_OPTION)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Configures slf4j-simple through its system properties: log to standard error, level {@code warn}, or
     * {@code debug} with {@code --debug}. Properties the user set with {@code -D} win, except that {@code --debug}
     * always raises the level. Has an effect only before the first logger is created.
     *
     * @param debug whether {@code --debug} was given
     */
    static void configureLogging(boolean debug) {
        if (debug) {
            System.setProperty(LOG_LEVEL_PROPERTY, "debug");
        } else {
            setIfAbsent(LOG_LEVEL_PROPERTY, "warn");
        }
        setIfAbsent(LOG_FILE_PROPERTY, "System.err");
        setIfAbsent(SHOW_THREAD_PROPERTY, "false");
        setIfAbsent(SHOW_SHORT_NAME_PROPERTY, "true");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
