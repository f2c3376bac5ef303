package dev.iov.cli;

import java.nio.file.Path;

/**
 * The user's input is wrong: a value, a combination of options, a line in a configuration file. The CLI prints
 * {@code iov: <message>} on one line (no stack trace) and exits with {@link ExitCodes#USAGE}.
 *
 * <p>The message must name the bad value, quoted ({@code unknown network 'tenant-9'}); for configuration files
 * use {@link #at(Path, int, String)} so the message starts with {@code file:line: }.
 */
public class UserInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the bad value
     */
    public UserInputException(String message) {
        super(message);
    }

    /**
     * Creates the exception with the exception that revealed the problem (for {@code --debug} traces).
     *
     * @param message what is wrong, naming the bad value
     * @param cause the underlying exception
     */
    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An error in a file, reported as {@code file:line: message} (the compiler convention editors understand).
     *
     * @param file the file
     * @param line the 1-based line number
     * @param message what is wrong on that line, naming the bad value
     * @return the exception, to throw
     */
    public static UserInputException at(Path file, int line, String message) {
        return new UserInputException(file + ":" + line + ": " + message);
    }
}
