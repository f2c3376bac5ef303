package dev.iov.api.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A hypervisor host and its uplinks.
 *
 * @param id the host's identifier
 * @param uplinks its physical ports, with distinct names
 */
public record Host(HostId id, List<Uplink> uplinks) {

    /**
     * Validates the host.
     *
     * @param id the host's identifier
     * @param uplinks its physical ports, with distinct names
     * @throws IllegalArgumentException when two uplinks share a name
     */
    public Host {
        Objects.requireNonNull(id, "host id");
        uplinks = List.copyOf(uplinks);
        Set<String> names = new HashSet<>();
        for (Uplink uplink : uplinks) {
            if (!names.add(uplink.name())) {
                throw new IllegalArgumentException("host '" + id + "' has two uplinks named '" + uplink.name() + "'");
            }
        }
    }

    /**
     * @param id the host's identifier
     * @param uplinks its physical ports
     * @return the host
     */
    public static Host of(String id, Uplink... uplinks) {
        return new Host(HostId.of(id), List.of(uplinks));
    }

    /**
     * @param name an uplink name
     * @return the uplink with that name, if the host has one
     */
    public Optional<Uplink> uplink(String name) {
        return uplinks.stream().filter(u -> u.name().equals(name)).findFirst();
    }
}
