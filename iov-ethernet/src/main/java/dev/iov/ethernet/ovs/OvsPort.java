package dev.iov.ethernet.ovs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A port of a bridge as read back from the database, with its first interface's settings.
 *
 * @param name the port's name
 * @param owned whether iov's owner mark (of this {@link OvsSwitch}'s owner) is on it
 * @param externalIds the port's {@code external_ids}
 * @param tag its {@code tag}, if any
 * @param trunks its {@code trunks}
 * @param vlanMode its {@code vlan_mode}, if set
 * @param interfaceType its interface's {@code type}
 * @param mac its interface's {@code mac} column, or else {@code external_ids:attached-mac}
 * @param policingRateKbps its interface's {@code ingress_policing_rate}
 * @param ofport the OpenFlow port number ovs-vswitchd gave the interface (-1 when it failed), if assigned
 * @param error the interface's {@code error}, if any
 * @param interfaces the names of all its interfaces (one, or several for a bond), sorted
 */
public record OvsPort(String name, boolean owned, Map<String, String> externalIds, OptionalInt tag, List<Integer> trunks,
        Optional<String> vlanMode, String interfaceType, Optional<String> mac, long policingRateKbps,
        OptionalLong ofport, Optional<String> error, List<String> interfaces) {

    /** Copies the collections. */
    public OvsPort {
        externalIds = Map.copyOf(externalIds);
        trunks = List.copyOf(trunks);
        interfaces = List.copyOf(interfaces);
    }

    /** @return the value of {@value OvsSwitch#OWNER_KEY} in its {@code external_ids} (any owner's), if marked */
    public Optional<String> owner() {
        return Optional.ofNullable(externalIds.get(OvsSwitch.OWNER_KEY));
    }
}
