package dev.iov.api.event;

import dev.iov.api.fabric.DriftReport;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import java.time.Instant;

/**
 * Something that happened to the fabric, delivered to {@link FabricListener}s after it is durable in the state store.
 */
public sealed interface FabricEvent {

    /** @return when the fabric observed it */
    Instant time();

    /**
     * A vNIC was provisioned.
     *
     * @param time when
     * @param vnic the new vNIC
     */
    record VnicProvisioned(Instant time, Vnic vnic) implements FabricEvent {
    }

    /**
     * A vNIC was released.
     *
     * @param time when
     * @param vnic the vNIC as it was before release
     */
    record VnicReleased(Instant time, Vnic vnic) implements FabricEvent {
    }

    /**
     * A vNIC moved to another host.
     *
     * @param time when
     * @param from the vNIC on its source host
     * @param to the vNIC on its target host
     */
    record VnicMigrated(Instant time, Vnic from, Vnic to) implements FabricEvent {
    }

    /**
     * A live vNIC's spec changed (rates, spoof check, trust) through {@code Fabric.update}.
     *
     * @param time when
     * @param from the vNIC before
     * @param to the vNIC after
     */
    record VnicUpdated(Instant time, Vnic from, Vnic to) implements FabricEvent {
    }

    /**
     * A drift report found differences between the declared model and the hosts.
     *
     * @param time when
     * @param report the differences
     */
    record DriftFound(Instant time, DriftReport report) implements FabricEvent {
    }

    /**
     * A backend failed, in a way the failing call could not report to its caller (a rollback step, a drift scan).
     *
     * @param time when
     * @param host the backend's host
     * @param backendId the backend
     * @param vnic the vNIC concerned, or null
     * @param message what failed
     */
    record BackendFailed(Instant time, HostId host, String backendId, VnicId vnic, String message)
            implements FabricEvent {
    }
}
