package dev.iov.ethernet.ovs;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bridge as read back from the database ({@link OvsSwitch#bridges()}), with its ports.
 *
 * @param name the bridge's name
 * @param datapathType its {@code datapath_type}: {@code netdev} (userspace), {@code system}, or empty (the default,
 *     the kernel module)
 * @param externalIds its {@code external_ids}
 * @param ports its ports, including the bridge's own local port, sorted by name
 */
public record OvsBridge(String name, String datapathType, Map<String, String> externalIds, List<OvsPort> ports) {

    /** Copies the collections. */
    public OvsBridge {
        externalIds = Map.copyOf(externalIds);
        ports = List.copyOf(ports);
    }

    /** @return the value of {@value OvsSwitch#OWNER_KEY} in its {@code external_ids} (any owner's), if marked */
    public Optional<String> owner() {
        return Optional.ofNullable(externalIds.get(OvsSwitch.OWNER_KEY));
    }
}
