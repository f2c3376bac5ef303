package dev.iov.cli;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.sriov.vf.VfSnapshot;
import dev.iov.sriov.vf.VfSnapshots;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code iov sriov restore PF_NETDEV FILE}: applies a file written by {@code iov sriov save}. The file is read and
 * checked (its format, and that it belongs to PF_NETDEV) before any request is sent.
 */
@Command(name = "restore", description = {
    "Apply the VF settings saved by 'iov sriov save' to PF_NETDEV, one request per VF. The file must be a snapshot "
            + "of PF_NETDEV; a bad file or another PF's snapshot is refused before anything is sent.",
    "When the kernel refuses a VF's settings, the VFs already changed are put back."},
        footer = {"", "Example:", "  iov sriov restore ens1f0 /var/lib/iov/ens1f0-vfs.json"})
final class SriovRestoreCommand extends IovSubcommand {

    @Parameters(index = "0", paramLabel = "PF_NETDEV", description = "The PF's network interface.")
    String pf;

    @Parameters(index = "1", paramLabel = "FILE", description = "A snapshot written by 'iov sriov save'.")
    Path file;

    @Override
    protected CommandOutput execute() {
        InterfaceName pfName = SriovCommand.interfaceName("PF_NETDEV", pf);
        // A VfSnapshotFormatException (file:line:column: ..., or a file over the size limit) is an
        // IllegalArgumentException: exit 2. The read is bounded, so /dev/zero or a huge file cannot exhaust the heap.
        UserFiles.checkInput("FILE", file);
        VfSnapshot snapshot = VfSnapshots.read(file);
        if (!snapshot.pf().equals(pfName)) {
            throw new UserInputException(file + " is a snapshot of PF '" + snapshot.pf() + "', not of PF_NETDEV '"
                    + pfName + "'");
        }
        try (Rtnetlink rtnetlink = Rtnetlink.open()) {
            if (rtnetlink.link(pfName).isEmpty()) {
                // Also for a snapshot without VFs, which sends nothing.
                throw new UserInputException("PF_NETDEV '" + pfName + "': no such network interface");
            }
            SriovCommand.onInterface("PF_NETDEV", pfName, () -> {
                new VfSnapshots(rtnetlink).apply(snapshot);
                return null;
            });
        }
        return new SriovSaveCommand.SnapshotResult("restored", snapshot, file);
    }
}
