package dev.iov.cli;

import dev.iov.cli.lab.LabCommand;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code iov} command; subcommands do the work. Run it with {@code java -jar iov-cli-*-all.jar} or
 * the {@code ./iov} launcher in the repository.
 */
@Command(
        name = "iov",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Provision, inspect and move virtual NICs: SR-IOV virtual functions, InfiniBand partitions "
                + "and virtual switch ports.",
        subcommands = {LabCommand.class, EnvCommand.class, InventoryCommand.class, LinkCommand.class,
            SwitchCommand.class, OvsCommand.class, RssCommand.class, SriovCommand.class, IbCommand.class,
            CompletionCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:runtime failure, e.g. stdout cannot be written (one line on stderr; --debug adds the stack trace)",
            "2:invalid input: unknown command or option, bad value, a named file or interface that does not exist, "
                    + "a bad input file",
            "130:interrupted by SIGINT (Ctrl-C)",
            "143:terminated by SIGTERM"
        },
        footer = {"", "Every command that prints data accepts --json to print exactly one JSON document on stdout.",
            "", "Examples:", "  iov inventory", "  iov help switch run", "  source <(iov completion bash)"})
public final class IovCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = ErrorHandler.DEBUG_OPTION, scope = ScopeType.INHERIT,
            description = "Log at debug level and print stack traces of failures (stderr).")
    private boolean debug;

    /** Created by picocli (or by tests). */
    public IovCommand() {
    }

    /**
     * The {@code iov} entry point; exits with the command's exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(Cli.run(args));
    }

    /** {@code iov} without a command: the usage on stderr, exit code 2. */
    @Override
    public Integer call() {
        Logger log = LoggerFactory.getLogger(IovCommand.class);
        log.debug("no command given");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
