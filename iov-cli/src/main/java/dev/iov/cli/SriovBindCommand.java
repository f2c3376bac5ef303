package dev.iov.cli;

import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.sysfs.SriovControl;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code iov sriov bind PCI --driver NAME}: binds a PCI function (normally a VF) to a driver; {@code --driver default}
 * gives it back to the driver the kernel picks. No kernel driver is called {@code default}, so the word is free.
 */
@Command(name = "bind", description = {
    "Bind the PCI function at PCI (normally a VF) to a driver: sets driver_override, unbinds the current driver and "
            + "asks drivers_probe; on failure the previous driver and override are put back.",
    "--driver default clears driver_override and gives the function back to the driver the kernel picks (e.g. after "
            + "vfio-pci)."},
        footer = {"", "Examples:", "  iov sriov bind 0000:3b:00.2 --driver vfio-pci",
            "  iov sriov bind 0000:3b:00.2 --driver default"})
final class SriovBindCommand extends SysfsSubcommand {

    /** The {@code --driver} value that means "the kernel's choice". */
    static final String DEFAULT_DRIVER = "default";

    @Parameters(paramLabel = "PCI", description = "The function's PCI address, e.g. 0000:3b:00.2.")
    String pci;

    @Option(names = "--driver", required = true, paramLabel = "NAME",
            description = "A driver under bus/pci/drivers (vfio-pci, mlx5_core, iavf, ...), or 'default'.")
    String driver;

    @Override
    protected CommandOutput execute() {
        PciAddress address = SriovCommand.pciAddress("PCI", pci);
        Sysfs sysfs = sysfs();
        String dir = "bus/pci/devices/" + address;
        if (!sysfs.exists(dir)) {
            throw new UserInputException("PCI '" + pci + "': no such device (" + sysfs.resolve(dir) + ")");
        }
        boolean release = driver.equals(DEFAULT_DRIVER);
        if (!release && !sysfs.exists("bus/pci/drivers/" + driver)) {
            throw new UserInputException("--driver '" + driver + "' is not loaded (no "
                    + sysfs.resolve("bus/pci/drivers/" + driver) + "); load its module first");
        }
        Optional<String> before = sysfs.linkTarget(dir + "/driver");
        SriovControl control = SriovControl.on(sysfs);
        Optional<String> after;
        if (release) {
            after = control.releaseToDefaultDriver(address);
        } else {
            control.bindDriver(address, driver);
            after = Optional.of(driver);
        }
        return new Result(address, before, after);
    }

    /** The driver before and after. */
    record Result(PciAddress function, Optional<String> before, Optional<String> after) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pci", function.toString());
            document.put("driverBefore", before.orElse(null));
            document.put("driver", after.orElse(null));
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.println(function + ": " + after.orElse("no driver") + " (was " + before.orElse("no driver") + ")");
        }
    }
}
