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
     * @return the management node whose operation it reports ({@code FabricBuilder.nodeId}): this fabric's own, or
     *     another node's whose change this fabric saw in the shared store
     */
    String node();

    /**
     * A vNIC was provisioned.
     *
     * @param time when
     * @param vnic the new vNIC
     * @param node the management node whose operation it was
     */
    record VnicProvisioned(Instant time, Vnic vnic, String node) implements FabricEvent {
    }

    /**
     * A vNIC was released.
     *
     * @param time when
     * @param vnic the vNIC as it was before release
     * @param node the management node whose operation it was
     */
    record VnicReleased(Instant time, Vnic vnic, String node) implements FabricEvent {
    }

    /**
     * A vNIC moved to another host.
     *
     * @param time when
     * @param from the vNIC on its source host
     * @param to the vNIC on its target host
     * @param node the management node whose operation it was
     */
    record VnicMigrated(Instant time, Vnic from, Vnic to, String node) implements FabricEvent {
    }

    /**
     * A live vNIC's spec changed (rates, spoof check, trust) through {@code Fabric.update}.
     *
     * @param time when
     * @param from the vNIC before
     * @param to the vNIC after
     * @param node the management node whose operation it was
     */
    record VnicUpdated(Instant time, Vnic from, Vnic to, String node) implements FabricEvent {
    }

    /**
     * A drift report found differences between the declared model and the hosts.
     *
     * @param time when
     * @param report the differences
     * @param node the management node whose operation it was
     */
    record DriftFound(Instant time, DriftReport report, String node) implements FabricEvent {
    }

    /**
     * A backend failed, in a way the failing call could not report to its caller (a rollback step, a drift scan).
     *
     * @param time when
     * @param host the backend's host
     * @param backendId the backend
     * @param vnic the vNIC concerned, or null
     * @param message what failed
     * @param node the management node whose operation it was
     */
    record BackendFailed(Instant time, HostId host, String backendId, VnicId vnic, String message, String node)
            implements FabricEvent {
    }
}
