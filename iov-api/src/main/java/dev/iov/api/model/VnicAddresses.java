package dev.iov.api.model;

import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The addresses a vNIC holds: a MAC on Ethernet networks, a port GUID on InfiniBand partitions. They stay with the
 * vNIC when it migrates.
 *
 * @param mac the MAC address (Ethernet)
 * @param guid the port GUID (InfiniBand)
 */
public record VnicAddresses(Optional<MacAddress> mac, Optional<Guid> guid) {

    /** No addresses. */
    public static final VnicAddresses NONE = new VnicAddresses(Optional.empty(), Optional.empty());

    /**
     * @param mac the MAC address (Ethernet)
     * @param guid the port GUID (InfiniBand)
     */
    public VnicAddresses {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(guid, "guid");
    }

    /**
     * @param mac a MAC address
     * @return addresses holding only that MAC
     */
    public static VnicAddresses ofMac(MacAddress mac) {
        return new VnicAddresses(Optional.of(mac), Optional.empty());
    }

    /**
     * @param guid a port GUID
     * @return addresses holding only that GUID
     */
    public static VnicAddresses ofGuid(Guid guid) {
        return new VnicAddresses(Optional.empty(), Optional.of(guid));
    }
}
