package dev.iov.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iov ib pkey}: P_Key tools. */
@Command(
        name = "pkey",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "InfiniBand partition keys (P_Keys).",
        subcommands = {IbPkeyExplainCommand.class},
        footer = {"", "Example:", "  iov ib pkey explain 0x8001"})
final class IbPkeyCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: explain");
    }
}
