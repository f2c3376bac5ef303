package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicId;
import java.util.Objects;
import java.util.Optional;

/**
 * One difference between the declared model and a host.
 *
 * @param host the host
 * @param backendId the backend that found (or should have found) the port
 * @param kind what kind of difference
 * @param vnic the vNIC concerned, if any
 * @param handle the port's handle, if any
 * @param detail what differs, in words ({@code VLAN 20 on the port, 10 declared})
 */
public record Drift(HostId host, String backendId, Kind kind, Optional<VnicId> vnic, String handle, String detail) {

    /** Kinds of difference. */
    public enum Kind {
        /** A declared vNIC's port is not on the host. */
        MISSING,
        /** A port iov made is on the host but no vNIC record declares it (a leak, e.g. after a crash). */
        UNEXPECTED,
        /** The port exists but differs from the declaration (VLAN, MAC, GUID, rate). */
        MISMATCH,
        /** The backend could not inspect the host. */
        UNREACHABLE,
        /**
         * An operation on the vNIC stopped half way (its undo failed, or the manager stopped); repair finishes or
         * undoes it. The vNIC is busy until then.
         */
        INTERRUPTED
    }

    /**
     * @param host the host
     * @param backendId the backend
     * @param kind what kind of difference
     * @param vnic the vNIC concerned, if any
     * @param handle the port's handle, or empty
     * @param detail what differs
     */
    public Drift {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(vnic, "vnic");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(detail, "detail");
    }

    /** @return one line a person can read */
    public String toText() {
        return host + " " + backendId + " " + kind + vnic.map(v -> " " + v).orElse("")
                + (handle.isEmpty() ? "" : " [" + handle + "]") + ": " + detail;
    }
}
