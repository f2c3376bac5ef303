package dev.iov.cli;

/**
 * Standard output (or another stream the result goes to) could not be written: a full disk, a closed pipe. The
 * command's result is then lost or incomplete, so it is a failure: {@code iov: cannot write standard output: No
 * space left on device} and exit code {@link ExitCodes#FAILURE}, never 0. See {@link StandardStreams#check}.
 */
public class OutputFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be written and why
     * @param cause the I/O error, or null when it is not known
     */
    public OutputFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
