package dev.iov.api.spi;

import dev.iov.api.model.VnicId;
import java.util.Map;
import java.util.Objects;

/**
 * What a backend returns from {@link IoBackend#attach}: everything it needs later to change, inspect or detach the
 * vNIC, also from another process after a restart (it is kept in the state store). It names the vNIC it was made
 * for, so that a backend can refuse ({@link OwnershipException}) to touch a resource the host says is someone
 * else's.
 *
 * @param vnic the vNIC the port belongs to
 * @param backendId the {@link IoBackend#id() id} of the backend that made it
 * @param handle the backend's name for the port (a TAP device, a VF {@code 0000:3b:00.0/vf3}, an OVS port)
 * @param details further backend-specific facts (PCI address of a VF, libvirt XML, ...)
 */
public record Attachment(VnicId vnic, String backendId, String handle, Map<String, String> details) {

    /**
     * @param vnic the vNIC the port belongs to
     * @param backendId the backend that made it
     * @param handle the backend's name for the port
     * @param details further backend-specific facts
     * @throws IllegalArgumentException when the backend id or handle is empty
     */
    public Attachment {
        Objects.requireNonNull(vnic, "vnic");
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(handle, "handle");
        details = Map.copyOf(details);
        if (backendId.isEmpty() || handle.isEmpty()) {
            throw new IllegalArgumentException("attachment of vNIC '" + vnic + "' needs a backend id and a handle, got '"
                    + backendId + "' and '" + handle + "'");
        }
    }

    /**
     * @param vnic the vNIC the port belongs to
     * @param backendId the backend that made it
     * @param handle the backend's name for the port
     * @return an attachment without details
     */
    public static Attachment of(VnicId vnic, String backendId, String handle) {
        return new Attachment(vnic, backendId, handle, Map.of());
    }
}
