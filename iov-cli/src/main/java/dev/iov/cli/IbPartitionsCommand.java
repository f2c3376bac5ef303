package dev.iov.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iov ib partitions}: OpenSM {@code partitions.conf} tools. */
@Command(
        name = "partitions",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "OpenSM partitions.conf files.",
        subcommands = {IbPartitionsParseCommand.class},
        footer = {"", "Example:", "  iov ib partitions parse /etc/opensm/partitions.conf"})
final class IbPartitionsCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: parse");
    }
}
