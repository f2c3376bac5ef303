package dev.iov.api.fabric;

import dev.iov.api.cluster.Membership;
import dev.iov.api.model.VnicId;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or undoes the operations of management nodes that are gone. When the membership loses a node (its session
 * ended: it died, or was cut off past its timeout), every survivor looks for records whose intent names a node that is
 * not a member; for each it rewrites the intent's owner to itself by compare-and-set on the record's version, and the
 * survivor whose write wins resolves the intent as the dead node would have on restart. The same compare-and-set
 * fences the dead node should it come back: its next write to that record conflicts.
 *
 * <p>Runs on a thread of its own, one pass at a time; a pass that cannot resolve an intent (its backend is not in
 * this fabric, the host refuses) leaves it to the next pass, the next membership change or repair.
 */
final class Takeover implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);

    private final FabricContext fabric;
    private final FabricState state;
    private final Resolution resolution;
    private final Membership membership;
    private final ExecutorService worker;
    private Membership.Subscription subscription;

    Takeover(FabricContext fabric, Resolution resolution, Membership membership) {
        this.fabric = fabric;
        this.state = fabric.state();
        this.resolution = resolution;
        this.membership = membership;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "iov-takeover-" + fabric.node());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts watching the membership, and takes over at once what nodes gone before this one started left. */
    void start() {
        subscription = membership.subscribe(members -> schedule());
        schedule();
    }

    private void schedule() {
        try {
            worker.execute(this::pass);
        } catch (RejectedExecutionException closed) {
            // The fabric is closing.
        }
    }

    /** One pass over the records: takes over and resolves each intent of a node that is not a member. */
    List<String> pass() {
        List<String> done = new ArrayList<>();
        Set<String> alive;
        try {
            alive = membership.members();
        } catch (RuntimeException e) {
            LOG.debug("takeover: membership unavailable: {}", e.getMessage());
            return done;
        }
        for (Map.Entry<String, VersionedValue> stored : fabric.records().listVnics().entrySet()) {
            try {
                VnicRecord record = RecordCodec.decodeVnic(stored.getKey(), stored.getValue().value());
                if (record.intent().isEmpty()) {
                    continue;
                }
                Intent intent = record.intent().get();
                if (intent.node().equals(fabric.node()) || alive.contains(intent.node())) {
                    continue;
                }
                if (state.locked(() -> state.backend(intent.place().backendId())).isEmpty()) {
                    LOG.debug("takeover: the {} of {} by gone node {} needs backend {}, not in this fabric",
                            intent.describe(), record.id(), intent.node(), intent.place().backendId());
                    continue;
                }
                take(record, intent, stored.getValue().version()).ifPresent(done::add);
            } catch (RuntimeException e) {
                LOG.warn("takeover of '{}' failed: {}", stored.getKey(), e.getMessage());
            }
        }
        return done;
    }

    private Optional<String> take(VnicRecord record, Intent intent, long version) {
        VnicId id = record.id();
        Intent ours = new Intent(intent.kind(), fabric.node(), intent.place(), intent.attachment());
        boolean claimed = state.locked(() -> {
            if (state.isBusy(id) || state.isInDoubt(id)) {
                return false;
            }
            state.addInDoubt(id);
            return true;
        });
        if (!claimed) {
            return Optional.empty();
        }
        try {
            fabric.records().replace(record.with(ours), version);
        } catch (VersionConflictException lost) {
            // Another survivor took it, or the record moved on.
            state.locked(() -> state.removeInDoubt(id));
            return Optional.empty();
        } catch (RuntimeException e) {
            state.locked(() -> state.removeInDoubt(id));
            throw e;
        }
        LOG.info("took over the interrupted {} of {} from gone node {}", intent.describe(), id, intent.node());
        String outcome = resolution.resolve(id);
        return Optional.of(outcome + " (taken over from node " + intent.node() + ")");
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
