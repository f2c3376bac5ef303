package dev.iov.api.fabric;

import dev.iov.api.event.FabricEvent;
import dev.iov.api.event.FabricListener;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the fabric's events to its listeners, in the calling thread, after the change they announce is durable.
 * A listener that throws is logged and skipped; the others still hear about it.
 */
final class Events {
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final Clock clock;
    /** This management node, which events of its own operations name. */
    private final String node;
    private final List<FabricListener> listeners = new CopyOnWriteArrayList<>();

    Events(Clock clock, String node, List<FabricListener> initial) {
        this.clock = clock;
        this.node = node;
        this.listeners.addAll(initial);
    }

    Instant now() {
        return clock.instant();
    }

    void add(FabricListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void remove(FabricListener listener) {
        listeners.remove(listener);
    }

    void publish(FabricEvent event) {
        for (FabricListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("fabric listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
            }
        }
    }

    void provisioned(Vnic vnic, String by) {
        publish(new FabricEvent.VnicProvisioned(now(), vnic, by));
    }

    void released(Vnic vnic, String by) {
        publish(new FabricEvent.VnicReleased(now(), vnic, by));
    }

    void migrated(Vnic from, Vnic to, String by) {
        publish(new FabricEvent.VnicMigrated(now(), from, to, by));
    }

    void updated(Vnic from, Vnic to, String by) {
        publish(new FabricEvent.VnicUpdated(now(), from, to, by));
    }

    void driftFound(DriftReport report) {
        publish(new FabricEvent.DriftFound(report.time(), report, node));
    }

    /** A backend failed where the call that met it could not tell its caller (an undo, a scan, a recovery). */
    void backendFailed(HostId host, String backendId, VnicId vnic, String message) {
        publish(new FabricEvent.BackendFailed(now(), host, backendId, vnic, message, node));
    }

    /** A port that could not be removed is left on its host; drift repair removes it later. */
    void leftBehind(Vnic vnic, String operation, Throwable failure) {
        LOG.error("{} of {}: port {} on {} is left behind; drift repair will remove it", operation, vnic.id(),
                vnic.attachment().handle(), vnic.host(), failure);
        backendFailed(vnic.host(), vnic.attachment().backendId(), vnic.id(),
                operation + " left port " + vnic.attachment().handle() + " behind: " + failure.getMessage());
    }

    /** An undo step failed; the operation's own failure is what its caller sees. */
    void undoFailed(HostId host, String backendId, VnicId vnic, String step, Throwable failure) {
        backendFailed(host, backendId, vnic, "could not undo " + step + ": " + failure.getMessage());
    }
}
