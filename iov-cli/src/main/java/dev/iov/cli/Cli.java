package dev.iov.cli;

import picocli.CommandLine;

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
     *
     * @param args the arguments after {@code iov}
     * @return the exit code ({@link ExitCodes})
     */
    public static int run(String... args) {
        configureLogging(debugRequested(args));
        return newCommandLine(new IovCommand()).execute(args);
    }

    /**
     * A picocli command line for {@code command} with iov's error handlers and exit code mapping. Callers (and
     * tests) may add subcommands and set {@code out}/{@code err} before {@code execute}; error messages go to the
     * root's {@code err} at the time of the error.
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
        return commandLine;
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
