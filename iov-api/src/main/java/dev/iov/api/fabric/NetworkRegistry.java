package dev.iov.api.fabric;

import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import java.util.Objects;
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
            return insert(network);
        });
    }

    Network create(NetworkId id, NetworkKind kind) {
        Objects.requireNonNull(id, "network id");
        Objects.requireNonNull(kind, "network kind");
        return state.locked(() -> {
            if (state.network(id).isPresent()) {
                throw new IllegalArgumentException("network '" + id + "' is already defined");
            }
            return insert(fabric.addresses().allocateNetwork(id, kind));
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
            fabric.records().delete(id, stored.version());
            state.removeNetwork(id);
            fabric.addresses().releaseSegment(stored.value());
            return true;
        });
    }

    /** Reads the stored networks and takes their segments. Called once, before anything else runs. */
    void load() {
        for (Stored<Network> stored : fabric.records().networks()) {
            Network network = stored.value();
            fabric.addresses().adoptSegment(network, "state store record '" + fabric.records().key(network.id())
                    + "'");
            state.putNetwork(network, stored.version());
        }
    }

    /** Writes a network whose segment is taken; gives the segment back when the write fails. Lock held. */
    private Network insert(Network network) {
        long version;
        try {
            version = fabric.records().create(network);
        } catch (RuntimeException e) {
            fabric.addresses().releaseSegment(network);
            throw e;
        }
        state.putNetwork(network, version);
        LOG.info("defined network {} ({} {})", network.id(), network.kind(), network.segment());
        return network;
    }
}
