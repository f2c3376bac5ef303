package dev.iov.cli;

import dev.iov.ethernet.ovsdb.OvsdbConnectionException;
import dev.iov.infiniband.hca.Hca;
import dev.iov.infiniband.hca.HcaDiscovery;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.sysfs.Sysfs;
import dev.iov.sriov.sysfs.PhysicalFunction;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code iov inventory}: what this host offers iov, in one read-only pass: links (rtnetlink), Linux bridges, SR-IOV
 * PFs and VFs and InfiniBand HCAs (sysfs), and Open vSwitch bridges when a database is reachable.
 */
@Command(name = "inventory",
        description = {"Show what this host offers: the links of this network namespace (kind, state, MAC, MTU, "
                + "master; read over rtnetlink), Linux bridges with their ports, SR-IOV PFs and VFs and InfiniBand "
                + "HCAs (from sysfs), and Open vSwitch bridges when its database is reachable.",
            "An unreachable OVS database is reported as 'not reachable', not as an error. Read-only."},
        footer = {"", "Examples:", "  iov inventory", "  iov inventory --json --ovsdb tcp:127.0.0.1:6640",
            "  ip netns exec iov-lab-vm1 iov inventory"})
final class InventoryCommand extends SysfsSubcommand {

    @Option(names = "--ovsdb", paramLabel = "unix:PATH|tcp:HOST:PORT", defaultValue = OvsdbTarget.DEFAULT,
            description = "The OVS database to ask for bridges (default: ${DEFAULT-VALUE}).")
    String ovsdb;

    @Override
    protected CommandOutput execute() {
        OvsdbTarget target = OvsdbTarget.parse(ovsdb);
        Sysfs sysfs = sysfs();
        List<LinkInfo> links;
        try (Rtnetlink rtnetlink = Rtnetlink.open()) {
            links = rtnetlink.links();
        }
        List<PhysicalFunction> pfs = SriovDiscovery.on(sysfs).physicalFunctions();
        List<Hca> hcas = HcaDiscovery.on(sysfs).hcas();
        OvsBridges ovs = null;
        String ovsError = null;
        try {
            ovs = OvsCommand.read(target);
        } catch (OvsdbConnectionException e) {
            ovsError = OvsCommand.reason(e);
        }
        return new Inventory(links, pfs, hcas, target.toString(), Optional.ofNullable(ovs),
                Optional.ofNullable(ovsError));
    }

    /**
     * The inventory: one section per source, as tables or as one JSON document
     * {@code {"links":[…],"bridges":[…],"sriov":[…],"infiniband":[…],"ovs":{…}}}.
     *
     * @param links the links of this namespace
     * @param pfs the SR-IOV network PFs
     * @param hcas the RDMA devices
     * @param ovsdb the OVS database asked
     * @param ovs its bridges, when it answered
     * @param ovsError why it did not answer (e.g. {@code Connection refused}), when it did not
     */
    record Inventory(List<LinkInfo> links, List<PhysicalFunction> pfs, List<Hca> hcas, String ovsdb,
            Optional<OvsBridges> ovs, Optional<String> ovsError) implements CommandOutput {

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            List<Map<String, Object>> linkRows = new ArrayList<>();
            for (LinkInfo link : links) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", link.index());
                row.put("name", link.name().value());
                row.put("kind", link.kind().orElse(null));
                row.put("state", link.operState().name());
                row.put("up", link.up());
                row.put("mac", link.macAddress().map(Object::toString).orElse(null));
                row.put("mtu", link.mtu());
                row.put("master", masterName(link).orElse(null));
                linkRows.add(row);
            }
            document.put("links", linkRows);
            List<Map<String, Object>> bridgeRows = new ArrayList<>();
            for (LinkInfo bridge : bridges()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", bridge.name().value());
                row.put("state", bridge.operState().name());
                row.put("ports", portsOf(bridge));
                bridgeRows.add(row);
            }
            document.put("bridges", bridgeRows);
            document.put("sriov", new SriovListCommand.Pfs(pfs).rows());
            document.put("infiniband", new IbListCommand.Hcas(hcas).rows());
            Map<String, Object> ovsSection = new LinkedHashMap<>();
            ovsSection.put("ovsdb", ovsdb);
            ovsSection.put("reachable", ovs.isPresent());
            ovs.ifPresent(o -> ovsSection.put("bridges", o.bridgesJson()));
            ovsError.ifPresent(e -> ovsSection.put("error", e));
            document.put("ovs", ovsSection);
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.println("Links (" + links.size() + ")");
            String format = "%5s  %-15s  %-8s  %-8s  %-17s  %5s  %s%n";
            out.printf(format, "INDEX", "NAME", "KIND", "STATE", "MAC", "MTU", "MASTER");
            for (LinkInfo link : links) {
                out.printf(format, link.index(), link.name(), link.kind().orElse("-"), link.operState(),
                        link.macAddress().map(Object::toString).orElse("-"), link.mtu(),
                        masterName(link).orElse("-"));
            }
            out.println();
            out.println("Linux bridges");
            List<LinkInfo> bridges = bridges();
            if (bridges.isEmpty()) {
                out.println("no Linux bridges");
            }
            for (LinkInfo bridge : bridges) {
                List<String> ports = portsOf(bridge);
                out.printf("%-15s  %-8s  ports: %s%n", bridge.name(), bridge.operState(),
                        ports.isEmpty() ? "none" : String.join(", ", ports));
            }
            out.println();
            out.println("SR-IOV");
            new SriovListCommand.Pfs(pfs).printText(out);
            out.println();
            out.println("InfiniBand");
            new IbListCommand.Hcas(hcas).printText(out);
            out.println();
            out.println("Open vSwitch (" + ovsdb + ")");
            if (ovs.isPresent()) {
                if (ovs.get().bridges().isEmpty()) {
                    out.println("no OVS bridges");
                } else {
                    ovs.get().printTables(out);
                }
            } else {
                out.println("not reachable" + ovsError.map(e -> ": " + e).orElse(""));
            }
        }

        private List<LinkInfo> bridges() {
            return links.stream().filter(l -> l.kind().filter("bridge"::equals).isPresent()).toList();
        }

        private List<String> portsOf(LinkInfo bridge) {
            return links.stream().filter(l -> is(l.masterIndex(), bridge.index())).map(l -> l.name().value())
                    .collect(Collectors.toList());
        }

        private Optional<String> masterName(LinkInfo link) {
            if (link.masterIndex().isEmpty()) {
                return Optional.empty();
            }
            int master = link.masterIndex().getAsInt();
            return Optional.of(links.stream().filter(l -> l.index() == master).findFirst()
                    .map(l -> l.name().value()).orElse("#" + master));
        }

        private static boolean is(OptionalInt value, int expected) {
            return value.isPresent() && value.getAsInt() == expected;
        }
    }
}
