package dev.iov.cli;

import dev.iov.api.net.PciAddress;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.sysfs.PhysicalFunction;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code iov sriov numvfs PCI N}: enables N VFs on a PF (0 disables them). */
@Command(name = "numvfs", description = {
    "Enable N VFs on the PF at PCI (sriov_numvfs); 0 disables them. A different non-zero count is reached through 0, "
            + "as the kernel requires; when that fails, the previous count is written back.",
    "N above the PF's sriov_totalvfs is refused before anything is written."},
        footer = {"", "Examples:", "  iov sriov numvfs 0000:3b:00.0 4", "  iov sriov numvfs 0000:3b:00.0 0"})
final class SriovNumVfsCommand extends SysfsSubcommand {

    @Parameters(index = "0", paramLabel = "PCI", description = "The PF's PCI address, e.g. 0000:3b:00.0.")
    String pci;

    @Parameters(index = "1", paramLabel = "N", description = "How many VFs to enable, 0 to sriov_totalvfs.")
    int count;

    @Override
    protected CommandOutput execute() {
        PciAddress address = SriovCommand.pciAddress("PCI", pci);
        if (count < 0) {
            throw new UserInputException("N '" + count + "' is negative");
        }
        Sysfs sysfs = sysfs();
        PhysicalFunction pf = SriovDiscovery.on(sysfs).physicalFunction(address)
                .orElseThrow(() -> new UserInputException("PCI '" + pci + "' is not an SR-IOV network PF under "
                        + sysfs.root()));
        if (count > pf.totalVfs()) {
            throw new UserInputException("N '" + count + "' exceeds sriov_totalvfs " + pf.totalVfs() + " of PF "
                    + address);
        }
        SriovControl.on(sysfs).setNumVfs(address, count);
        return new Result(address, pf.numVfs(), count);
    }

    /** What changed. */
    record Result(PciAddress pf, int before, int after) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pci", pf.toString());
            document.put("numVfsBefore", before);
            document.put("numVfs", after);
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.println(before == after ? pf + ": " + after + " VFs enabled (unchanged)"
                    : pf + ": " + after + " VFs enabled (was " + before + ")");
        }
    }
}
