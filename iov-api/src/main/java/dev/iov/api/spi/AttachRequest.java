package dev.iov.api.spi;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend needs to create a vNIC's port: the fabric has already admitted it and allocated its addresses.
 *
 * @param spec what the caller asked for
 * @param host the host to attach on
 * @param uplink the uplink whose capacity the vNIC uses
 * @param network the network, with its segment and MTU
 * @param addresses the MAC or GUID to program
 */
public record AttachRequest(VnicSpec spec, HostId host, String uplink, Network network, VnicAddresses addresses) {

    /**
     * @param spec what the caller asked for
     * @param host the host to attach on
     * @param uplink the uplink whose capacity the vNIC uses
     * @param network the network
     * @param addresses the MAC or GUID to program
     */
    public AttachRequest {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(uplink, "uplink");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(addresses, "addresses");
    }

    /** @return the rate limit to enforce: the spec's, else the network's default, else none */
    public Optional<Bandwidth> effectiveMaxRate() {
        return spec.maxRate().or(network::defaultMaxRate);
    }
}
