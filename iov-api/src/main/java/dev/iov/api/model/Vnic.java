package dev.iov.api.model;

import dev.iov.api.spi.Attachment;
import java.util.Objects;

/**
 * A provisioned vNIC: what was asked for, where it landed and what it holds. The fabric's state store keeps one
 * record per vNIC; its existence means the vNIC is attached on {@code host}.
 *
 * @param spec what was asked for
 * @param host the host it is attached on
 * @param uplink the uplink of that host whose capacity it uses
 * @param backendKind the kind of vNIC it is
 * @param attachment what the backend returned, needed to change or detach it
 * @param addresses the MAC or GUID it holds
 */
public record Vnic(
        VnicSpec spec, HostId host, String uplink, BackendKind backendKind, Attachment attachment,
        VnicAddresses addresses) {

    /**
     * @param spec what was asked for
     * @param host the host it is attached on
     * @param uplink the uplink whose capacity it uses
     * @param backendKind the kind of vNIC it is
     * @param attachment what the backend returned
     * @param addresses the MAC or GUID it holds
     */
    public Vnic {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(uplink, "uplink");
        Objects.requireNonNull(backendKind, "backendKind");
        Objects.requireNonNull(attachment, "attachment");
        Objects.requireNonNull(addresses, "addresses");
    }

    /** @return the vNIC's identifier */
    public VnicId id() {
        return spec.id();
    }
}
