package dev.iov.api.fabric;

import dev.iov.api.model.NetworkId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.VersionedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running fabric in step with what other management nodes write into the shared store: their networks,
 * provisions, migrations, updates and releases reach this node's model (with their addresses taken in this node's
 * pools and their charges on its uplinks) and raise the same events as this node's own operations, marked with the
 * node that made them.
 *
 * <p>A store event only says that a key changed: the follower reads the key's current record and makes the model
 * agree with it, so events that arrive late, twice or out of order do no harm. A record whose version the model
 * already holds (this node's own writes, which its operations apply themselves) is no change, and a vNIC an
 * operation of this node is changing, or whose interrupted operation waits for resolution, is left to that.
 */
final class StoreFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreFollower.class);

    private final FabricContext fabric;
    private final FabricState state;
    private final NetworkRegistry networks;
    private final StateStore store;
    /** The node that last wrote each vNIC record this node saw, so a deletion can be said to be that node's. */
    private final Map<VnicId, String> writers = new ConcurrentHashMap<>();
    private final List<StateStore.Watch> watches = new ArrayList<>();

    StoreFollower(FabricContext fabric, NetworkRegistry networks, StateStore store) {
        this.fabric = fabric;
        this.state = fabric.state();
        this.networks = networks;
        this.store = store;
    }

    /** Starts following; call after the store's records are loaded, so that nothing between is missed. */
    void start() {
        watches.add(store.watch(fabric.records().networkPrefix(), this::onNetwork));
        watches.add(store.watch(fabric.records().vnicPrefix(), this::onVnic));
        // Whatever changed between the load and the watches: compare every record once.
        store.list(fabric.records().networkPrefix()).keySet().forEach(this::followNetwork);
        store.list(fabric.records().vnicPrefix()).keySet().forEach(this::followVnic);
    }

    private void onNetwork(StoreEvent event) {
        followNetwork(event.key());
    }

    private void onVnic(StoreEvent event) {
        followVnic(event.key());
    }

    private void followNetwork(String key) {
        boolean added;
        try {
            NetworkId id = NetworkId.of(key.substring(fabric.records().networkPrefix().length()));
            added = state.locked(() -> {
                // Read under the lock: this node's own operations change the store before the model, under it.
                Optional<VersionedValue> current = store.get(key);
                if (current.isEmpty()) {
                    networks.followRemoval(id);
                    return false;
                }
                boolean known = state.network(id).isPresent();
                networks.follow(RecordCodec.decodeNetwork(key, current.get().value()), current.get().version());
                return !known;
            });
        } catch (RuntimeException e) {
            LOG.warn("following the store: cannot apply network record '{}': {}", key, e.getMessage());
            return;
        }
        if (added) {
            // vNICs of the network that arrived before it were skipped: take them now.
            store.list(fabric.records().vnicPrefix()).keySet().forEach(this::followVnic);
        }
    }

    private void followVnic(String key) {
        List<Runnable> announcements = new ArrayList<>(1);
        try {
            VnicId id = VnicId.of(key.substring(fabric.records().vnicPrefix().length()));
            state.locked(() -> {
                if (state.isBusy(id) || state.isInDoubt(id)) {
                    return;
                }
                // Read under the lock: this node's own operations change the store before the model, under it.
                Optional<VersionedValue> current = store.get(key);
                Optional<VnicEntry> known = state.vnic(id);
                if (current.isEmpty()) {
                    known.ifPresent(entry -> {
                        state.removeVnic(id);
                        fabric.addresses().unfollow(entry.record().addresses());
                        String by = Optional.ofNullable(writers.get(id)).orElse("");
                        announcements.add(() -> fabric.events().released(entry.vnic(), by));
                    });
                    writers.remove(id);
                    return;
                }
                long version = current.get().version();
                if (known.isPresent() && known.get().version() >= version) {
                    return;
                }
                RecordCodec.Written written = RecordCodec.decodeWritten(key, current.get().value());
                VnicRecord record = written.record();
                String by = written.writer();
                writers.put(id, by);
                if (state.network(record.spec().network()).isEmpty()) {
                    LOG.warn("following the store: vNIC {} is on network {}, which this node does not know yet",
                            id, record.spec().network());
                    return;
                }
                if (record.intent().map(i -> i.node().equals(fabric.node())).orElse(false)) {
                    // This node's intent that none of its operations works on: a write whose outcome was unknown
                    // that turned out to have happened. Repair (or a restart) resolves it.
                    fabric.addresses().follow(record.addresses());
                    if (known.isPresent()) {
                        state.removeVnic(id);
                    }
                    record.vnic().ifPresent(v -> state.putRecovered(record, version));
                    state.addInDoubt(id);
                    LOG.warn("following the store: vNIC {} holds an intent of this node that no operation works on; "
                            + "Fabric.repair(driftReport()) resolves it", id);
                    return;
                }
                if (record.vnic().isEmpty()) {
                    // Being provisioned by another node: its address is taken, the vNIC does not exist yet.
                    fabric.addresses().follow(record.addresses());
                    return;
                }
                Vnic after = record.attachedVnic();
                if (known.isEmpty()) {
                    fabric.addresses().follow(record.addresses());
                    state.putRecovered(record, version);
                    announcements.add(() -> fabric.events().provisioned(after, by));
                    return;
                }
                Vnic before = known.get().vnic();
                state.removeVnic(id);
                state.putRecovered(record, version);
                if (!before.host().equals(after.host())) {
                    announcements.add(() -> fabric.events().migrated(before, after, by));
                } else if (!before.spec().equals(after.spec())) {
                    announcements.add(() -> fabric.events().updated(before, after, by));
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("following the store: cannot apply vNIC record '{}': {}", key, e.getMessage());
        }
        announcements.forEach(Runnable::run);
    }

    @Override
    public void close() {
        watches.forEach(StateStore.Watch::close);
        watches.clear();
    }
}
