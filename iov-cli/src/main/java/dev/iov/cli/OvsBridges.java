package dev.iov.cli;

import dev.iov.ethernet.ovs.OvsBridge;
import dev.iov.ethernet.ovs.OvsPort;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Open vSwitch bridges with their ports, interfaces, VLAN settings and iov's owner mark, as {@code iov ovs show}
 * and the OVS section of {@code iov inventory} print them.
 *
 * @param ovsdb the database they were read from
 * @param bridges the bridges, sorted by name
 */
record OvsBridges(String ovsdb, List<OvsBridge> bridges) implements CommandOutput {

    @Override
    public Object toJson() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("ovsdb", ovsdb);
        document.put("bridges", bridgesJson());
        return document;
    }

    /** The bridges alone, as a JSON list (for the inventory's {@code ovs} section). */
    List<Map<String, Object>> bridgesJson() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OvsBridge bridge : bridges) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", bridge.name());
            row.put("datapathType", bridge.datapathType().isEmpty() ? "system" : bridge.datapathType());
            row.put("owner", bridge.owner().orElse(null));
            List<Map<String, Object>> ports = new ArrayList<>();
            for (OvsPort port : bridge.ports()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("name", port.name());
                p.put("interfaces", port.interfaces());
                p.put("type", port.interfaceType().isEmpty() ? "system" : port.interfaceType());
                p.put("vlanMode", effectiveVlanMode(port));
                p.put("tag", port.tag().isPresent() ? port.tag().getAsInt() : null);
                p.put("trunks", port.trunks());
                p.put("mac", port.mac().orElse(null));
                p.put("ofport", port.ofport().isPresent() ? port.ofport().getAsLong() : null);
                p.put("owner", port.owner().orElse(null));
                p.put("error", port.error().orElse(null));
                ports.add(p);
            }
            row.put("ports", ports);
            rows.add(row);
        }
        return rows;
    }

    @Override
    public void printText(PrintWriter out) {
        if (bridges.isEmpty()) {
            out.println("no OVS bridges (" + ovsdb + ")");
            return;
        }
        printTables(out);
    }

    /** One block per bridge: a heading line, then a table of its ports. */
    void printTables(PrintWriter out) {
        String format = "  %-15s  %-24s  %-8s  %-20s  %s%n";
        for (OvsBridge bridge : bridges) {
            out.printf("bridge %s (datapath %s, %s)%n", bridge.name(),
                    bridge.datapathType().isEmpty() ? "system" : bridge.datapathType(),
                    bridge.owner().map(o -> "iov-owner " + o).orElse("not iov's"));
            out.printf(format, "PORT", "INTERFACES", "TYPE", "VLAN", "IOV-OWNER");
            for (OvsPort port : bridge.ports()) {
                out.printf(format, port.name(), String.join(",", port.interfaces()),
                        port.interfaceType().isEmpty() ? "system" : port.interfaceType(), vlanText(port),
                        port.owner().orElse("-") + port.error().map(e -> "  error: " + e).orElse(""));
            }
        }
    }

    /** {@code vlan_mode} as OVS applies it when the column is empty: access with a tag, trunk without. */
    static String effectiveVlanMode(OvsPort port) {
        return port.vlanMode().orElse(port.tag().isPresent() ? "access" : "trunk");
    }

    /** E.g. {@code access 10}, {@code trunk all}, {@code trunk 10,20}, {@code native-untagged 10 +20,30}. */
    static String vlanText(OvsPort port) {
        String mode = effectiveVlanMode(port);
        String tag = port.tag().isPresent() ? " " + port.tag().getAsInt() : "";
        String trunks = port.trunks().stream().map(String::valueOf).collect(Collectors.joining(","));
        if (mode.equals("access")) {
            return mode + tag;
        }
        if (mode.equals("trunk")) {
            return mode + " " + (trunks.isEmpty() ? "all" : trunks);
        }
        return mode + tag + " +" + (trunks.isEmpty() ? "all" : trunks);
    }
}
