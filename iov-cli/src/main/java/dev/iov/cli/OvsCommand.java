package dev.iov.cli;

import dev.iov.ethernet.ovs.OvsSwitch;
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.ethernet.ovsdb.OvsdbConnectionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iov ovs}: Open vSwitch, read through its database (OVSDB, RFC 7047); no {@code ovs-vsctl} is run. */
@Command(
        name = "ovs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Open vSwitch, read over its database protocol (no ovs-vsctl is run).",
        subcommands = {OvsCommand.ShowCommand.class},
        footer = {"", "Example:", "  iov ovs show --ovsdb unix:/var/run/openvswitch/db.sock"})
final class OvsCommand implements Runnable {

    /** The owner mark iov's read-only views pass to {@link OvsSwitch}; they change nothing. */
    static final String READER = "iov-cli";

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: show");
    }

    /**
     * Reads every bridge from the database.
     *
     * @param target the database
     * @return the bridges
     * @throws OvsdbConnectionException when the database cannot be reached
     */
    static OvsBridges read(OvsdbTarget target) {
        try (OvsdbClient client = target.connect()) {
            return new OvsBridges(target.toString(),
                    new OvsSwitch(client, READER, OvsdbTarget.TIMEOUT).bridges());
        }
    }

    /** E.g. {@code OVS database unix:/run/db.sock is not reachable: Connection refused}. */
    static String unreachable(OvsdbTarget target, OvsdbConnectionException e) {
        return "OVS database " + target + " is not reachable: " + reason(e);
    }

    /** Why the connection failed, without exception class names, e.g. {@code Connection refused}. */
    static String reason(OvsdbConnectionException e) {
        Throwable cause = e.getCause();
        return ErrorHandler.oneLine(cause != null && cause.getMessage() != null ? cause.getMessage()
                : e.details().orElse(e.error()));
    }

    /** {@code iov ovs show}. */
    @Command(name = "show",
            description = {"Show every Open vSwitch bridge with its ports, their interfaces and types, VLAN mode and "
                    + "tag/trunks, and iov's owner mark (external_ids:iov-owner) where iov made the row. Read-only.",
                "An unreachable database is a failure (exit 1) naming its address."},
            footer = {"", "Examples:", "  iov ovs show", "  iov ovs show --ovsdb tcp:127.0.0.1:6640 --json"})
    static final class ShowCommand extends IovSubcommand {

        @Option(names = "--ovsdb", paramLabel = "unix:PATH|tcp:HOST:PORT", defaultValue = OvsdbTarget.DEFAULT,
                description = "The OVS database (default: ${DEFAULT-VALUE}).")
        String ovsdb;

        @Override
        protected CommandOutput execute() {
            OvsdbTarget target = OvsdbTarget.parse(ovsdb);
            try {
                return read(target);
            } catch (OvsdbConnectionException e) {
                throw new IllegalStateException(unreachable(target, e), e);
            }
        }
    }
}
