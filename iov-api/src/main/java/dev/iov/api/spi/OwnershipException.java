package dev.iov.api.spi;

import dev.iov.api.model.VnicId;
import java.util.Optional;

/**
 * A backend refused to change or remove a resource (a port, a VF, a membership) because the host says it belongs to
 * another vNIC than the one the call names, or to nothing iov made. Nothing was changed: a stale record, or a handle
 * reused after a restart, must never take another tenant's port down.
 */
public class OwnershipException extends BackendException {
    private static final long serialVersionUID = 1L;

    /** The vNIC the call was made for. */
    private final VnicId claimed;
    /** The vNIC the host says owns the resource, or null when iov does not own it. */
    private final VnicId owner;

    /**
     * @param backendId the backend that refused
     * @param operation what was asked ({@code detach web-7-eth0})
     * @param resource the resource, as the backend names it ({@code TAP iov1a2b3c4d}, {@code VF 3 of ens1f0})
     * @param claimed the vNIC the call was made for
     * @param owner the vNIC that owns the resource, or null when it is not iov's
     */
    public OwnershipException(String backendId, String operation, String resource, VnicId claimed, VnicId owner) {
        super(backendId, operation, resource + (owner == null ? " is not a port iov made"
                : " belongs to vNIC '" + owner + "'") + ", not to '" + claimed + "'; nothing was changed");
        this.claimed = claimed;
        this.owner = owner;
    }

    /** @return the vNIC the call was made for */
    public VnicId claimed() {
        return claimed;
    }

    /** @return the vNIC that owns the resource, empty when it is not iov's */
    public Optional<VnicId> owner() {
        return Optional.ofNullable(owner);
    }
}
