package dev.iov.api.spi;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A port as a backend finds it on the host, for drift detection. Backends report only what they can read back;
 * an empty field is "unknown", not "none", and is not compared.
 *
 * @param handle the backend's name for the port, as in {@link Attachment#handle()}
 * @param owner the vNIC iov marked the port with when it created it; empty for ports iov does not own (those are
 *     never reported as drift and never touched)
 * @param mac the MAC address programmed on the port
 * @param guid the port GUID programmed on the port
 * @param segment the VLAN, VNI or partition number the port is in
 * @param maxRate the rate limit enforced on the port; {@link Bandwidth#ZERO} when the port is known to be unlimited
 */
public record DiscoveredPort(
        String handle, Optional<VnicId> owner, Optional<MacAddress> mac, Optional<Guid> guid, OptionalInt segment,
        Optional<Bandwidth> maxRate) {

    /**
     * @param handle the backend's name for the port
     * @param owner the vNIC that owns it, if iov made it
     * @param mac the MAC address, if known
     * @param guid the port GUID, if known
     * @param segment the segment, if known
     * @param maxRate the rate limit, if known
     */
    public DiscoveredPort {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(maxRate, "maxRate");
    }
}
