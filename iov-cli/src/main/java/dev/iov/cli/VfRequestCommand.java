package dev.iov.cli;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VfConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command that sends one {@code RTM_SETLINK} with VF settings to a PF ({@code iov sriov vf set},
 * {@code iov ib vf-guid set}): every value is checked by {@link #config()} before the netlink socket is opened, so
 * bad input exits 2 with nothing sent, and a refusal by the kernel exits 1 naming the PF.
 */
abstract class VfRequestCommand extends IovSubcommand {

    @Parameters(paramLabel = "PF_NETDEV", description = "The PF's network interface, e.g. ens1f0.")
    String pf;

    @Option(names = "--vf", required = true, paramLabel = "N", description = "The VF number, from 0.")
    int vf;

    @Override
    protected final CommandOutput execute() {
        InterfaceName pfName = SriovCommand.interfaceName("PF_NETDEV", pf);
        VfConfig config = config();
        try (Rtnetlink rtnetlink = Rtnetlink.open()) {
            SriovCommand.onInterface("PF_NETDEV", pfName, () -> {
                rtnetlink.setVf(pfName, config);
                return null;
            });
        }
        return applied(pfName, config);
    }

    /**
     * @return the request, every value checked
     * @throws UserInputException naming the option when a value is invalid
     */
    abstract VfConfig config();

    /**
     * @param pfName the PF
     * @param config what was sent
     * @return the command's output
     */
    abstract CommandOutput applied(InterfaceName pfName, VfConfig config);

    /** @return a request builder for {@link #vf}, which must not be negative */
    final VfConfig.Builder forVf() {
        if (vf < 0) {
            throw new UserInputException("--vf '" + vf + "' is negative (VF numbers start at 0)");
        }
        return VfConfig.forVf(vf);
    }
}
