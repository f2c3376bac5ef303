package dev.iov.api.fabric;

import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.store.VersionConflictException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declared networks: defining one with a chosen segment, creating one with a segment from a pool, removing one no
 * vNIC uses, and loading them back from the store. Networks change rarely, so their store writes happen under the
 * fabric's lock: two definitions can never take one segment.
 */
final class NetworkRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkRegistry.class);

    private final FabricContext fabric;
    private final FabricState state;

    NetworkRegistry(FabricContext fabric) {
        this.fabric = fabric;
        this.state = fabric.state();
    }

    Network define(Network network) {
        Objects.requireNonNull(network, "network");
        return state.locked(() -> {
            Network existing = state.network(network.id()).map(Stored::value).orElse(null);
            if (existing != null) {
                if (existing.equals(network)) {
                    return network;
                }
                throw new IllegalArgumentException("network '" + network.id() + "' is already defined as "
                        + existing + ", not " + network);
            }
            for (Stored<Network> other : state.networks()) {
                if (other.value().kind() == network.kind() && other.value().segment() == network.segment()) {
                    throw new IllegalArgumentException(network.kind() + " segment " + network.segment()
                            + " of network '" + network.id() + "' is already used by network '"
                            + other.value().id() + "'");
                }
            }
            fabric.addresses().reserveSegment(network);
            try {
                return insert(network);
            } catch (SegmentTakenException e) {
                throw new IllegalArgumentException(network.kind() + " segment " + network.segment() + " of network '"
                        + network.id() + "' is already used by network '" + e.holder + "' (defined by another "
                        + "management node)");
            }
        });
    }

    Network create(NetworkId id, NetworkKind kind) {
        Objects.requireNonNull(id, "network id");
        Objects.requireNonNull(kind, "network kind");
        return state.locked(() -> {
            if (state.network(id).isPresent()) {
                throw new IllegalArgumentException("network '" + id + "' is already defined");
            }
            while (true) {
                Network network = fabric.addresses().allocateNetwork(id, kind);
                try {
                    return insert(network);
                } catch (SegmentTakenException e) {
                    // Another management node claimed it: keep it taken here too, and try the next one.
                    fabric.addresses().adoptSegment(network, "claim " + fabric.records().claimKey(network));
                    LOG.debug("{} {} of network {} is claimed by {}; trying another", kind, network.segment(), id,
                            e.holder);
                }
            }
        });
    }

    boolean remove(NetworkId id) {
        Objects.requireNonNull(id, "network id");
        return state.locked(() -> {
            Stored<Network> stored = state.network(id).orElse(null);
            if (stored == null) {
                return false;
            }
            long users = state.usersOf(id);
            if (users > 0) {
                throw new IllegalStateException("network '" + id + "' is in use by " + users + " vNIC(s)");
            }
            fabric.records().delete(stored.value(), stored.version());
            state.removeNetwork(id);
            fabric.addresses().releaseSegment(stored.value());
            return true;
        });
    }

    /**
     * Reads the stored networks and takes their segments; a network recorded before segments were claimed in the
     * store is given its claim now. Called once, before anything else runs.
     */
    void load() {
        for (Stored<Network> stored : fabric.records().networks()) {
            Network network = stored.value();
            String source = "state store record '" + fabric.records().key(network.id()) + "'";
            fabric.addresses().adoptSegment(network, source);
            state.putNetwork(network, stored.version());
            NetworkId holder = fabric.records().claim(network);
            if (!holder.equals(network.id())) {
                LOG.warn("{}: {} segment {} is claimed by network '{}' too; remove one of them", source,
                        network.kind(), network.segment(), holder);
            }
        }
    }

    /** Another management node defined a network: take its segment here too. Lock held. */
    void follow(Network network, long version) {
        Optional<Stored<Network>> known = state.network(network.id());
        if (known.isPresent() && known.get().version() >= version) {
            return;
        }
        if (known.isEmpty()) {
            fabric.addresses().followSegment(network);
        }
        state.putNetwork(network, version);
    }

    /** Another management node removed a network. Lock held. */
    void followRemoval(NetworkId id) {
        state.network(id).ifPresent(stored -> {
            if (state.usersOf(id) == 0) {
                state.removeNetwork(id);
                fabric.addresses().unfollowSegment(stored.value());
            }
        });
    }

    /**
     * Writes a network whose segment is taken here, with the segment's claim in the store; gives the segment back
     * when the write fails. Lock held.
     *
     * @throws SegmentTakenException when another network holds the claim (the segment is given back here)
     * @throws IllegalArgumentException when another node recorded a network of that id
     */
    private Network insert(Network network) {
        long version;
        try {
            version = fabric.records().create(network);
        } catch (VersionConflictException e) {
            fabric.addresses().releaseSegment(network);
            if (e.key().equals(fabric.records().claimKey(network))) {
                throw new SegmentTakenException(network, fabric.records().claimant(network).map(NetworkId::value)
                        .orElse("another network"));
            }
            throw new IllegalArgumentException("network '" + network.id() + "' is already defined by another "
                    + "management node", e);
        } catch (RuntimeException e) {
            fabric.addresses().releaseSegment(network);
            throw e;
        }
        state.putNetwork(network, version);
        LOG.info("defined network {} ({} {})", network.id(), network.kind(), network.segment());
        return network;
    }

    /** The segment of a network being written is claimed by another network. */
    private static final class SegmentTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String holder;

        SegmentTakenException(Network network, String holder) {
            super(network.kind() + " segment " + network.segment() + " is claimed by network '" + holder + "'", null,
                    false, false);
            this.holder = holder;
        }
    }
}
