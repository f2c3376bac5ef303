package dev.iov.cli;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.sriov.vf.VfSnapshot;
import dev.iov.sriov.vf.VfSnapshots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code iov sriov save PF_NETDEV FILE}: the PF's VF settings to a file, for {@code iov sriov restore}. */
@Command(name = "save", description = "Save the VF settings of a PF (MAC, VLAN, rates, spoof checking, trust, link "
        + "state, as the kernel reports them) to FILE, atomically; a PF driver reload forgets them, "
        + "'iov sriov restore' puts them back.",
        footer = {"", "Example:", "  iov sriov save ens1f0 /var/lib/iov/ens1f0-vfs.json"})
final class SriovSaveCommand extends IovSubcommand {

    @Parameters(index = "0", paramLabel = "PF_NETDEV", description = "The PF's network interface.")
    String pf;

    @Parameters(index = "1", paramLabel = "FILE", description = "The snapshot file (JSON); replaced if it exists.")
    Path file;

    @Override
    protected CommandOutput execute() {
        InterfaceName pfName = SriovCommand.interfaceName("PF_NETDEV", pf);
        Path target = UserFiles.checkOutput("FILE", file);
        try (Rtnetlink rtnetlink = Rtnetlink.open()) {
            VfSnapshot snapshot = SriovCommand.onInterface("PF_NETDEV", pfName,
                    () -> new VfSnapshots(rtnetlink).save(pfName, target));
            return new SnapshotResult("saved", snapshot, file);
        }
    }

    /** What was saved or restored, and where. */
    record SnapshotResult(String action, VfSnapshot snapshot, Path file) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pf", snapshot.pf().value());
            document.put("file", file.toString());
            document.put("vfs", snapshot.vfs().size());
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.println(action + " the settings of " + snapshot.vfs().size() + " VFs of " + snapshot.pf()
                    + (action.equals("saved") ? " to " : " from ") + file);
        }
    }
}
