package dev.iov.cli;

import dev.iov.infiniband.hca.Hca;
import dev.iov.infiniband.hca.HcaDiscovery;
import dev.iov.infiniband.hca.HcaPort;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code iov ib list}: every RDMA device in sysfs with its ports. */
@Command(name = "list", description = "List InfiniBand HCAs and other RDMA devices (RoCE, soft-RoCE) with their "
        + "ports: state, physical state, rate, LID, SM LID, link layer and valid P_Keys, read from sysfs. Read-only.",
        footer = {"", "Examples:", "  iov ib list", "  iov ib list --json"})
final class IbListCommand extends SysfsSubcommand {

    @Override
    protected CommandOutput execute() {
        return new Hcas(HcaDiscovery.on(sysfs()).hcas());
    }

    /**
     * The devices, as a table or as {@code {"hcas":[…]}}; GUIDs {@code 0x%016x}, P_Keys {@code 0x%04x}, LIDs as
     * numbers, absent values {@code null}.
     */
    record Hcas(List<Hca> hcas) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("hcas", rows());
            return document;
        }

        /** The JSON rows alone, one per device (also the inventory's section). */
        List<Map<String, Object>> rows() {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Hca hca : hcas) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", hca.name());
                row.put("pci", hca.pci().map(Object::toString).orElse(null));
                row.put("nodeGuid", hca.nodeGuid().toHexString());
                row.put("nodeType", hca.nodeType().name());
                row.put("fwVer", hca.firmware().orElse(null));
                List<Map<String, Object>> ports = new ArrayList<>();
                for (HcaPort port : hca.ports()) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("port", port.number());
                    p.put("state", port.state().name());
                    p.put("physState", port.physicalState().name());
                    p.put("rate", port.rate());
                    p.put("lid", port.lid());
                    p.put("smLid", port.smLid());
                    p.put("linkLayer", port.linkLayer());
                    p.put("pkeys", port.pkeys().stream().map(Object::toString).toList());
                    ports.add(p);
                }
                row.put("ports", ports);
                rows.add(row);
            }
            return rows;
        }

        @Override
        public void printText(PrintWriter out) {
            if (hcas.isEmpty()) {
                out.println("no InfiniBand/RDMA devices");
                return;
            }
            String format = "%-10s  %-14s  %-18s  %-12s  %s%n";
            out.printf(format, "DEVICE", "PCI", "NODE GUID", "FIRMWARE", "TYPE");
            for (Hca hca : hcas) {
                out.printf(format, hca.name(), hca.pci().map(Object::toString).orElse("-"),
                        hca.nodeGuid().toHexString(), hca.firmware().orElse("-"), hca.nodeType().name());
                for (HcaPort port : hca.ports()) {
                    out.printf("  port %-3d %-10s %-10s %-22s lid 0x%04x sm 0x%04x pkeys %s%n", port.number(),
                            port.linkLayer(), port.state().name() + "/" + port.physicalState().name(), port.rate(),
                            port.lid(), port.smLid(), port.pkeys().isEmpty() ? "-"
                                    : port.pkeys().stream().map(Object::toString).collect(Collectors.joining(",")));
                }
            }
        }
    }
}
