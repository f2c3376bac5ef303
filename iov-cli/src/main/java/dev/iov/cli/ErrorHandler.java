package dev.iov.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every error into one line {@code iov: <message>} on standard error and an exit code from
 * {@link ExitCodes}; with {@code --debug}, a failure raised while a command ran is followed by its stack trace.
 * Control characters in the message (a file name or value with {@code ESC} in it) are {@linkplain TerminalText
 * escaped}.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {

    /** The global option that asks for stack traces (and debug logging). */
    static final String DEBUG_OPTION = "--debug";

    private final CommandLine root;

    ErrorHandler(CommandLine root) {
        this.root = root;
    }

    /** Bad command line: unknown command or option, bad value, missing parameter. Never a stack trace. */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        PrintWriter err = root.getErr();
        err.println("iov: " + TerminalText.escape(describeParameterError(ex)));
        err.flush();
        return ExitCodes.MAPPER.getExitCode(ex);
    }

    /** A command threw. */
    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = root.getErr();
        err.println("iov: " + TerminalText.escape(describe(ex)));
        if (debugRequested(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.MAPPER.getExitCode(ex);
    }

    static String describeParameterError(ParameterException ex) {
        CommandLine command = ex.getCommandLine();
        String message = ex.getMessage();
        if (ex instanceof UnmatchedArgumentException) {
            UnmatchedArgumentException unmatched = (UnmatchedArgumentException) ex;
            List<String> arguments = unmatched.getUnmatched();
            boolean takesPositionals = !command.getCommandSpec().positionalParameters().isEmpty();
            boolean takesCommands = !command.getSubcommands().isEmpty();
            if (!unmatched.isUnknownOption() && !takesPositionals && !arguments.isEmpty()) {
                message = takesCommands
                        ? "unknown command '" + arguments.get(0) + "'"
                        : "unexpected argument" + (arguments.size() > 1 ? "s " : " ") + quoted(arguments);
            }
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + quoted(suggestions) + "?";
            }
        }
        return lowerFirst(oneLine(message)) + " (see '" + command.getCommandSpec().qualifiedName() + " --help')";
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
    }

    /** picocli's messages start with a capital ("Unknown option"); ours do not. Leaves "IFLA_..." alone. */
    private static String lowerFirst(String message) {
        if (message.length() >= 2 && Character.isUpperCase(message.charAt(0))
                && Character.isLowerCase(message.charAt(1))) {
            return Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        return message;
    }

    /** The message for an exception: its own, made friendlier for common I/O exceptions, on one line. */
    static String describe(Throwable exception) {
        Throwable t = ExitCodes.unwrap(exception);
        if (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof NoSuchFileException) {
            return oneLine("no such file: " + ((NoSuchFileException) t).getFile());
        }
        if (t instanceof AccessDeniedException) {
            return oneLine("permission denied: " + ((AccessDeniedException) t).getFile());
        }
        if (t instanceof FileAlreadyExistsException) {
            return oneLine("file already exists: " + ((FileAlreadyExistsException) t).getFile());
        }
        if (t instanceof NotDirectoryException) {
            return oneLine("not a directory: " + ((NotDirectoryException) t).getFile());
        }
        String message = t.getMessage();
        Throwable cause = t.getCause();
        if (cause != null && cause != t && message != null && message.equals(cause.toString())) {
            // new RuntimeException(cause): the message is just the cause's class and message.
            return describe(cause);
        }
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return oneLine(withoutDecoderJargon(t, message));
    }

    /**
     * A decoding failure's own message is {@code Input length = 1}, which tells nobody anything: wherever it
     * appears in the message (the exception itself, or a wrapper's {@code cannot read FILE: Input length = 1}),
     * it becomes {@code not UTF-8 text}. Input files the user names are decoded by {@link UserFiles}, which gives the
     * byte offset; this covers what other layers read (sysfs, the kernel's answers).
     */
    private static String withoutDecoderJargon(Throwable t, String message) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CharacterCodingException && c.getMessage() != null && message.contains(c.getMessage())) {
                return message.replace(c.getMessage(), "not UTF-8 text");
            }
        }
        return message;
    }

    /** Joins the lines of {@code text} with single spaces. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Whether {@value #DEBUG_OPTION} was given at any level of the command line. */
    static boolean debugRequested(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(DEBUG_OPTION)) {
                return true;
            }
        }
        return false;
    }
}
