package dev.iov.cli;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.VlanId;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanSet;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --port NAME[:access=VLAN|:trunk[=VLANS]]} of {@code iov switch run}: an existing link and how its port
 * treats VLANs (OVS semantics). A bare {@code NAME} is a trunk of every VLAN, untagged traffic included (VLAN 0),
 * so ports given without a mode make a plain learning bridge.
 *
 * @param text the option as given, for messages
 * @param name the link
 * @param config the port's VLAN configuration
 */
record SwitchPortOption(String text, InterfaceName name, PortConfig config) {

    /**
     * Parses one option value; nothing is opened.
     *
     * @param text e.g. {@code veth1:access=10}, {@code veth2:trunk}, {@code veth3:trunk=10,20-30}
     * @return the port
     * @throws UserInputException naming the value and what is wrong with it
     */
    static SwitchPortOption parse(String text) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String mode = colon < 0 ? "trunk" : text.substring(colon + 1);
        InterfaceName link;
        try {
            link = InterfaceName.of(name);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--port '" + text + "': " + e.getMessage(), e);
        }
        try {
            if (mode.startsWith("access=")) {
                int vlan = VlanId.parse(mode.substring(7)).value();
                return new SwitchPortOption(text, link, PortConfig.access(vlan));
            }
            if (mode.equals("trunk")) {
                return new SwitchPortOption(text, link, PortConfig.trunk(VlanSet.all()));
            }
            if (mode.startsWith("trunk=")) {
                return new SwitchPortOption(text, link, PortConfig.trunk(vlans(mode.substring(6))));
            }
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--port '" + text + "': " + e.getMessage(), e);
        }
        throw new UserInputException("--port '" + text + "': expected NAME, NAME:access=VLAN, NAME:trunk or "
                + "NAME:trunk=VLAN[,VLAN|FROM-TO]...");
    }

    /** {@code 10,20-30}: VLAN IDs 1-4094 and ranges of them. */
    private static VlanSet vlans(String list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("empty VLAN list after 'trunk='");
        }
        List<Integer> ids = new ArrayList<>();
        VlanSet set = VlanSet.none();
        for (String item : list.split(",", -1)) {
            int dash = item.indexOf('-');
            if (dash > 0) {
                int from = VlanId.parse(item.substring(0, dash)).value();
                int to = VlanId.parse(item.substring(dash + 1)).value();
                if (from > to) {
                    throw new IllegalArgumentException("VLAN range '" + item + "' is empty");
                }
                set = set.union(VlanSet.range(from, to));
            } else {
                ids.add(VlanId.parse(item).value());
            }
        }
        return set.union(VlanSet.of(ids.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** E.g. {@code access 10}, {@code trunk all}, {@code trunk 10,20}. */
    String describe() {
        switch (config.mode()) {
            case ACCESS:
                return "access " + config.tag();
            case TRUNK:
                String vlans = config.trunks().toString();
                return config.trunks().equals(VlanSet.all()) ? "trunk all"
                        : "trunk " + vlans.substring(1, vlans.length() - 1);
            default:
                return config.toString();
        }
    }
}
