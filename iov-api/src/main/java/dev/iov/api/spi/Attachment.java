package dev.iov.api.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a backend returns from {@link IoBackend#attach}: everything it needs later to change, inspect or detach the
 * vNIC, also from another process after a restart (it is kept in the state store).
 *
 * @param backendId the {@link IoBackend#id() id} of the backend that made it
 * @param handle the backend's name for the port (a TAP device, a VF {@code ens1f0/vf3}, an OVS port UUID)
 * @param details further backend-specific facts (PCI address of a VF, libvirt XML, ...)
 */
public record Attachment(String backendId, String handle, Map<String, String> details) {

    /**
     * @param backendId the backend that made it
     * @param handle the backend's name for the port
     * @param details further backend-specific facts
     */
    public Attachment {
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(handle, "handle");
        details = Map.copyOf(details);
        if (backendId.isEmpty() || handle.isEmpty()) {
            throw new IllegalArgumentException("attachment needs a backend id and a handle, got '" + backendId
                    + "' and '" + handle + "'");
        }
    }

    /**
     * @param backendId the backend that made it
     * @param handle the backend's name for the port
     * @return an attachment without details
     */
    public static Attachment of(String backendId, String handle) {
        return new Attachment(backendId, handle, Map.of());
    }
}
