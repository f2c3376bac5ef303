package dev.iov.cli;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PciAddress;
import dev.iov.linux.NoSuchDeviceException;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code iov sriov}: SR-IOV physical and virtual functions, through sysfs and rtnetlink. */
@Command(
        name = "sriov",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "SR-IOV physical functions (PFs) and their virtual functions (VFs): list them, enable VFs, "
                + "bind drivers, set VF MAC/VLAN/rates/trust, save and restore VF settings.",
        subcommands = {SriovListCommand.class, SriovVfCommand.class, SriovNumVfsCommand.class,
            SriovBindCommand.class, SriovSaveCommand.class, SriovRestoreCommand.class},
        footer = {"", "Examples:", "  iov sriov list",
            "  iov sriov vf set ens1f0 --vf 0 --mac 02:00:00:00:00:01 --vlan 10"})
final class SriovCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "choose a subcommand: list, vf, numvfs, bind, save, restore");
    }

    /**
     * Parses a PCI address given on the command line.
     *
     * @param what the parameter, for the message ({@code PCI})
     * @param text the value
     * @return the address
     * @throws UserInputException naming the parameter and the value
     */
    static PciAddress pciAddress(String what, String text) {
        try {
            return PciAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses an interface name given on the command line.
     *
     * @param what the parameter, for the message ({@code PF_NETDEV})
     * @param text the value
     * @return the name
     * @throws UserInputException naming the parameter and the value
     */
    static InterfaceName interfaceName(String what, String text) {
        try {
            return InterfaceName.of(text);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a netlink request about the interface the user named; the interface not existing ({@code ENODEV}) is
     * the user's input, like a file that does not exist: exit 2, {@code PF_NETDEV 'ens9': no such network
     * interface}.
     *
     * @param what the parameter, for the message ({@code PF_NETDEV})
     * @param name the interface
     * @param request the request
     * @param <T> what it returns
     * @return what {@code request} returned
     * @throws UserInputException when the kernel says there is no such interface
     */
    static <T> T onInterface(String what, InterfaceName name, Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchDeviceException e) {
            throw new UserInputException(what + " '" + name + "': no such network interface", e);
        }
    }
}
