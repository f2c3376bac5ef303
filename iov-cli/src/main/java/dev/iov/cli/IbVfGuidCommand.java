package dev.iov.cli;

import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.VfConfig;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iov ib vf-guid}: the node and port GUIDs of an InfiniBand VF, kept by the PF driver. */
@Command(name = "vf-guid", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Node and port GUIDs of InfiniBand VFs, set through the PF over rtnetlink.",
        subcommands = {IbVfGuidCommand.SetCommand.class},
        footer = {"", "Example:", "  iov ib vf-guid set ib0 --vf 0 --node-guid 0x0002c90300000001"})
final class IbVfGuidCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: set");
    }

    /** {@code iov ib vf-guid set}: one {@code RTM_SETLINK} with {@code IFLA_VF_IB_NODE_GUID}/{@code _PORT_GUID}. */
    @Command(name = "set", description = "Set a VF's node and/or port GUID in one netlink request, like "
            + "'ip link set PF_NETDEV vf N node_guid G port_guid G'. The GUIDs are checked before anything is sent.",
            footer = {"", "Example:",
                "  iov ib vf-guid set ib0 --vf 0 --port-guid 0002:c903:0000:0002"})
    static final class SetCommand extends VfRequestCommand {

        @Option(names = "--node-guid", paramLabel = "GUID", description = "xxxx:xxxx:xxxx:xxxx or 0x and 16 hex "
                + "digits; not zero.")
        String nodeGuid;

        @Option(names = "--port-guid", paramLabel = "GUID", description = "As --node-guid.")
        String portGuid;

        @Override
        CommandOutput applied(InterfaceName pfName, VfConfig config) {
            return new Applied(pfName, config);
        }

        @Override
        VfConfig config() {
            VfConfig.Builder builder = forVf();
            if (nodeGuid == null && portGuid == null) {
                throw new UserInputException("nothing to set for VF " + vf + ": give --node-guid, --port-guid or both");
            }
            if (nodeGuid != null) {
                builder.nodeGuid(guid("--node-guid", nodeGuid));
            }
            if (portGuid != null) {
                builder.portGuid(guid("--port-guid", portGuid));
            }
            return builder.build();
        }

        private static Guid guid(String option, String text) {
            Guid guid;
            try {
                guid = Guid.parse(text);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(option + ": " + e.getMessage(), e);
            }
            if (guid.equals(Guid.ZERO)) {
                throw new UserInputException(option + " '" + text + "': the zero GUID is not a valid port identity");
            }
            return guid;
        }
    }

    /** What was sent. */
    record Applied(InterfaceName pf, VfConfig config) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pf", pf.value());
            document.put("vf", config.vf());
            document.put("nodeGuid", config.nodeGuid().map(Guid::toString).orElse(null));
            document.put("portGuid", config.portGuid().map(Guid::toString).orElse(null));
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.printf("%s vf %d:%s%s%n", pf, config.vf(),
                    config.nodeGuid().map(g -> " node_guid " + g).orElse(""),
                    config.portGuid().map(g -> " port_guid " + g).orElse(""));
        }
    }
}
