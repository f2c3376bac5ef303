package dev.iov.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iov ib}: InfiniBand HCAs in sysfs and P_Keys. */
@Command(
        name = "ib",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "InfiniBand: list HCAs and their ports from sysfs, explain P_Keys, parse partitions.conf, set VF GUIDs.",
        subcommands = {IbListCommand.class, IbPkeyCommand.class, IbPartitionsCommand.class,
            IbVfGuidCommand.class},
        footer = {"", "Examples:", "  iov ib list", "  iov ib pkey explain 0x8001"})
final class IbCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: list, pkey, partitions, vf-guid");
    }
}
