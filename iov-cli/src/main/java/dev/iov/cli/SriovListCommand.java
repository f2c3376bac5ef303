package dev.iov.cli;

import dev.iov.sriov.sysfs.PhysicalFunction;
import dev.iov.sriov.sysfs.SriovDiscovery;
import dev.iov.sriov.sysfs.VirtualFunction;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code iov sriov list}: every SR-IOV network PF in sysfs with its enabled VFs. */
@Command(name = "list", description = "List SR-IOV network PFs (NVMe and other non-network SR-IOV devices are "
        + "ignored) with their enabled VFs, read from sysfs. Read-only.",
        footer = {"", "Examples:", "  iov sriov list", "  iov sriov list --json --sysfs-root /tmp/sys-copy"})
final class SriovListCommand extends SysfsSubcommand {

    @Override
    protected CommandOutput execute() {
        return new Pfs(SriovDiscovery.on(sysfs()).physicalFunctions());
    }

    /** The PFs, as a table or as {@code {"pfs":[…]}}; absent values are {@code null}, IDs {@code 0x%04x}. */
    record Pfs(List<PhysicalFunction> pfs) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pfs", rows());
            return document;
        }

        /** The JSON rows alone, one per device (also the inventory's section). */
        List<Map<String, Object>> rows() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PhysicalFunction pf : pfs) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("pci", pf.address().toString());
                row.put("netdev", pf.netdev().map(Object::toString).orElse(null));
                row.put("driver", pf.driver().orElse(null));
                row.put("vendor", hex16(pf.id().vendor()));
                row.put("device", hex16(pf.id().device()));
                row.put("numaNode", pf.numaNode() < 0 ? null : pf.numaNode());
                row.put("totalVfs", pf.totalVfs());
                row.put("numVfs", pf.numVfs());
                List<Map<String, Object>> vfs = new ArrayList<>();
                for (VirtualFunction vf : pf.virtualFunctions()) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("index", vf.index());
                    v.put("pci", vf.address().toString());
                    v.put("driver", vf.driver().orElse(null));
                    v.put("netdev", vf.netdev().map(Object::toString).orElse(null));
                    vfs.add(v);
                }
                row.put("vfs", vfs);
                rows.add(row);
            }
            return rows;
        }

        @Override
        public void printText(PrintWriter out) {
            if (pfs.isEmpty()) {
                out.println("no SR-IOV network PFs");
                return;
            }
            String format = "%-14s  %-15s  %-12s  %-9s  %4s  %7s%n";
            out.printf(format, "PCI", "NETDEV", "DRIVER", "ID", "NUMA", "VFS");
            for (PhysicalFunction pf : pfs) {
                out.printf(format, pf.address(), pf.netdev().map(Object::toString).orElse("-"),
                        pf.driver().orElse("-"), pf.id(), pf.numaNode() < 0 ? "-" : Integer.toString(pf.numaNode()),
                        pf.numVfs() + "/" + pf.totalVfs());
                for (VirtualFunction vf : pf.virtualFunctions()) {
                    out.printf("  vf %-3d %-14s  %-15s  %-12s  %-9s%n", vf.index(), vf.address(),
                            vf.netdev().map(Object::toString).orElse("-"), vf.driver().orElse("-"), vf.id());
                }
            }
        }

        private static String hex16(int id) {
            return String.format("0x%04x", id);
        }
    }
}
