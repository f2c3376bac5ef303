package dev.iov.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParameterException;

/**
 * The exit codes of every {@code iov} command, and the mapping from exceptions to them. The table (also in the
 * README's "Exit codes" section and in {@code iov --help}):
 *
 * <ul>
 *   <li>{@value #OK}: success. For a command that runs until it is stopped ({@code iov switch run},
 *       {@code iov lab --hold}), SIGINT or SIGTERM is the expected end: it stops cleanly and exits 0 (the lab: 1
 *       when a step failed).
 *   <li>{@value #FAILURE}: a runtime failure: an I/O error, standard output that cannot be written (full disk,
 *       closed pipe), the kernel or a backend refusing, an unreachable OVS database, a bug.
 *   <li>{@value #USAGE}: the user's input is wrong: unknown command or option, bad option value, missing
 *       parameter; a file or network interface the user named that does not exist; an input file that is a
 *       directory, unreadable, too large, not UTF-8 text or invalid ({@code file:line: message}); an output file
 *       whose directory does not exist or that is not a regular file. Thrown as {@link UserInputException}, or an
 *       {@link IllegalArgumentException} (iov's value types and API validate their input with it, quoting the bad
 *       value). Nothing has been changed.
 *   <li>128 + the signal's number: a command interrupted by a signal before it finished: {@value #INTERRUPTED}
 *       for SIGINT (Ctrl-C), {@value #TERMINATED} for SIGTERM, as shells report it. What the command built (the
 *       lab's namespaces) is removed first.
 * </ul>
 */
public final class ExitCodes implements IExitCodeExceptionMapper {

    /** Success. */
    public static final int OK = 0;

    /** A runtime failure. */
    public static final int FAILURE = 1;

    /** Invalid input or usage. */
    public static final int USAGE = 2;

    /** Interrupted by SIGINT (Ctrl-C): 128 + 2. */
    public static final int INTERRUPTED = 130;

    /** Terminated by SIGTERM: 128 + 15. */
    public static final int TERMINATED = 143;

    /** The mapper used by {@link Cli}; stateless. */
    static final ExitCodes MAPPER = new ExitCodes();

    private ExitCodes() {
    }

    /**
     * Maps an exception to {@link #USAGE} when it is the user's fault, {@link #FAILURE} otherwise.
     *
     * @param exception what a command threw, or picocli's {@link ParameterException}
     * @return the exit code
     */
    @Override
    public int getExitCode(Throwable exception) {
        return isUserError(exception) ? USAGE : FAILURE;
    }

    /**
     * True for picocli's {@link ParameterException}, {@link UserInputException} and {@link IllegalArgumentException}
     * (after unwrapping {@link #unwrap wrappers}).
     *
     * @param exception the exception
     * @return whether the exception reports bad user input
     */
    public static boolean isUserError(Throwable exception) {
        Throwable t = unwrap(exception);
        return t instanceof ParameterException || t instanceof UserInputException
                || t instanceof IllegalArgumentException;
    }

    /**
     * Strips exceptions that only carry another one: {@link ExecutionException}, {@link CompletionException},
     * {@link InvocationTargetException}, {@link UndeclaredThrowableException}.
     *
     * @param exception the exception
     * @return the innermost exception that is not a mere wrapper
     */
    static Throwable unwrap(Throwable exception) {
        Throwable t = exception;
        while ((t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
