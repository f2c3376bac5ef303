package dev.iov.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base class of every {@code iov} subcommand: gives it {@code --help}, {@code --version}, {@code --json} and the
 * output conventions (see the {@linkplain dev.iov.cli package documentation}).
 *
 * <p>A subcommand implements {@link #execute()}, which does the work and returns a {@link CommandOutput}; this
 * class prints it as text, or with {@code --json} as exactly one JSON document. Errors are exceptions: throw
 * {@link UserInputException} (or let an {@link IllegalArgumentException} from the API through) for bad input,
 * anything else for failures; {@link Cli} turns them into {@code iov: <message>} and the exit code. Never call
 * {@code System.exit} and never print to {@code System.out}/{@code System.err} directly: use {@link #out()} and
 * {@link #err()}, which tests capture.
 *
 * <pre>{@code
 * @Command(name = "frob", description = "Frobs a thing.")
 * final class FrobCommand extends IovSubcommand {
 *     @Parameters(paramLabel = "THING") String thing;
 *
 *     @Override
 *     protected CommandOutput execute() {
 *         Frob result = ...;
 *         return new CommandOutput() { ... };
 *     }
 * }
 * }</pre>
 * Register it in {@link IovCommand}'s {@code subcommands}.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
public abstract class IovSubcommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the result as one JSON document on stdout.")
    private boolean json;

    /** For subclasses. */
    protected IovSubcommand() {
    }

    /**
     * Does the command's work.
     *
     * @return the result to print
     * @throws Exception on failure; see the class documentation for how exceptions become exit codes
     */
    protected abstract CommandOutput execute() throws Exception;

    /**
     * Runs {@link #execute()} and prints its result; called by picocli.
     *
     * @return {@link ExitCodes#OK}
     * @throws Exception whatever {@link #execute()} throws
     */
    @Override
    public final Integer call() throws Exception {
        CommandOutput output = execute();
        PrintWriter out = out();
        if (json) {
            Json.write(output.toJson(), out);
        } else {
            output.printText(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Whether {@code --json} was given.
     *
     * @return true for JSON output
     */
    protected final boolean json() {
        return json;
    }

    /**
     * Standard output of this invocation (the root command line's, so tests can capture it).
     *
     * @return the writer
     */
    protected final PrintWriter out() {
        return spec.root().commandLine().getOut();
    }

    /**
     * Standard error of this invocation; for warnings and progress, never for the result.
     *
     * @return the writer
     */
    protected final PrintWriter err() {
        return spec.root().commandLine().getErr();
    }

    /**
     * The picocli model of this command.
     *
     * @return the spec
     */
    protected final CommandSpec spec() {
        return spec;
    }
}
