package dev.iov.api.fabric;

import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.VnicId;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fabric's records in its state store: one per network, one per vNIC, and the fabric's settings, under the key
 * prefix the fabric was given. Every vNIC write is a compare-and-set on the version the caller read, so two
 * operations (or two management nodes) never overwrite each other's work.
 */
final class FabricRecords {
    private final StateStore store;
    /** This management node, written into every vNIC record it writes. */
    private final String node;
    private final String networkKeys;
    private final String vnicKeys;
    private final String configKeys;
    private final String segmentKeys;
    /** The shared uplink sums; null while this node admits alone. */
    private volatile UplinkLedger ledger;

    FabricRecords(StateStore store, String keyPrefix, String node) {
        this.store = store;
        this.node = node;
        this.networkKeys = keyPrefix + "networks/";
        this.vnicKeys = keyPrefix + "vnics/";
        this.configKeys = keyPrefix + "config/";
        this.segmentKeys = keyPrefix + "segments/";
    }

    String vnicPrefix() {
        return vnicKeys;
    }

    String networkPrefix() {
        return networkKeys;
    }

    String key(VnicId id) {
        return vnicKeys + id;
    }

    String key(NetworkId id) {
        return networkKeys + id;
    }

    /**
     * Makes every later vNIC write that changes an uplink's charges change the shared sums in the same transaction
     * (several management nodes). Called once, before the fabric serves.
     */
    void shareAdmission(UplinkLedger shared) {
        this.ledger = shared;
    }

    /** @return the shared uplink sums, or null when this node admits alone */
    UplinkLedger ledger() {
        return ledger;
    }

    // ------------------------------------------------------------------------------------------------- vNICs

    /**
     * Writes a new vNIC record together with the steps of the pool that took its address and, with shared
     * admission, the charge added to its uplink's sums: one transaction, one round trip.
     *
     * @throws AdmissionException when the shared sums no longer admit the charge
     */
    long create(VnicRecord record, Optional<UplinkLedger.Change> charge, List<StoreOp> poolSteps) {
        StoreOp put = new StoreOp.Put(key(record.id()), RecordCodec.encode(record, node), StateStore.ABSENT);
        if (poolSteps.isEmpty()) {
            return write(put, charge, record.id());
        }
        List<StoreOp> ops = new ArrayList<>(1 + poolSteps.size());
        ops.add(put);
        ops.addAll(poolSteps);
        if (ledger == null || charge.isEmpty()) {
            return store.commit(ops).get(0);
        }
        return ledger.commit(ops, List.of(charge.get()), "vNIC '" + record.id() + "'").get(0);
    }

    long replace(VnicRecord record, long version) {
        return store.put(key(record.id()), RecordCodec.encode(record, node), version);
    }

    /** Replaces a vNIC record and, with shared admission, changes the uplinks' sums in the same transaction. */
    long replace(VnicRecord record, long version, List<Optional<UplinkLedger.Change>> changes) {
        List<UplinkLedger.Change> present = changes.stream().flatMap(Optional::stream).toList();
        byte[] value = RecordCodec.encode(record, node);
        if (ledger == null || present.isEmpty()) {
            return store.put(key(record.id()), value, version);
        }
        return ledger.commit(List.of(new StoreOp.Put(key(record.id()), value, version)), present,
                "vNIC '" + record.id() + "'").get(0);
    }

    /** Deletes a vNIC record and, with shared admission, takes its charge off its uplink in the same transaction. */
    void delete(VnicId id, long version, Optional<UplinkLedger.Change> uncharge) {
        if (ledger == null || uncharge.isEmpty()) {
            store.delete(key(id), version);
            return;
        }
        write(new StoreOp.Delete(key(id), version), uncharge, id);
    }

    private long write(StoreOp op, Optional<UplinkLedger.Change> change, VnicId id) {
        if (ledger == null || change.isEmpty()) {
            if (op instanceof StoreOp.Put put) {
                return store.put(put.key(), put.value(), put.expectedVersion());
            }
            store.delete(op.key(), op.expectedVersion());
            return StateStore.ABSENT;
        }
        return ledger.commit(List.of(op), List.of(change.get()), "vNIC '" + id + "'").get(0);
    }

    Optional<Stored<VnicRecord>> read(VnicId id) {
        String key = key(id);
        return store.get(key).map(v -> new Stored<>(RecordCodec.decodeVnic(key, v.value()), v.version()));
    }

    /** @return every vNIC record, by key, with the key for messages */
    Map<String, VersionedValue> listVnics() {
        return store.list(vnicKeys);
    }

    // ----------------------------------------------------------------------------------------------- networks

    /**
     * Writes a new network together with the claim on its segment, in one transaction: of two nodes defining
     * networks with one segment, or one network id, only one succeeds.
     *
     * @return the network record's version
     * @throws VersionConflictException on {@link #claimKey} when the segment is claimed, or on the network's key
     *     when the id is taken
     */
    long create(Network network) {
        return store.commit(List.of(
                new StoreOp.Put(key(network.id()), RecordCodec.encode(network), StateStore.ABSENT),
                new StoreOp.Put(claimKey(network), network.id().value().getBytes(StandardCharsets.UTF_8),
                        StateStore.ABSENT))).get(0);
    }

    /** Removes a network's record and its segment's claim, in one transaction. */
    void delete(Network network, long version) {
        String claim = claimKey(network);
        boolean ours = claimant(network).map(network.id()::equals).orElse(false);
        List<StoreOp> ops = ours
                ? List.of(new StoreOp.Delete(key(network.id()), version), new StoreOp.Delete(claim,
                        StateStore.ANY_VERSION))
                : List.of(new StoreOp.Delete(key(network.id()), version));
        store.commit(ops);
    }

    /** The key that claims a network's segment: one per kind and segment, whoever defines it. */
    String claimKey(Network network) {
        return segmentKeys + network.kind().name().toLowerCase(Locale.ROOT) + "/" + network.segment();
    }

    /** @return the network that claims a network's segment, if any */
    Optional<NetworkId> claimant(Network network) {
        return store.get(claimKey(network)).map(v -> NetworkId.of(new String(v.value(), StandardCharsets.UTF_8)));
    }

    /**
     * Claims the segment of a network recorded before segments were claimed (or whose claim is gone).
     *
     * @return the network that holds the claim now: this one, or another that took the segment first
     */
    NetworkId claim(Network network) {
        Optional<NetworkId> holder = claimant(network);
        if (holder.isPresent()) {
            return holder.get();
        }
        try {
            store.put(claimKey(network), network.id().value().getBytes(StandardCharsets.UTF_8), StateStore.ABSENT);
            return network.id();
        } catch (VersionConflictException e) {
            return claimant(network).orElse(network.id());
        }
    }

    List<Stored<Network>> networks() {
        List<Stored<Network>> all = new ArrayList<>();
        store.list(networkKeys).forEach((key, v) ->
                all.add(new Stored<>(RecordCodec.decodeNetwork(key, v.value()), v.version())));
        return all;
    }

    // ------------------------------------------------------------------------------------------------ settings

    Optional<Stored<byte[]>> setting(String name) {
        return store.get(configKeys + name).map(v -> new Stored<>(v.value(), v.version()));
    }

    void putSetting(String name, byte[] value, long version) {
        store.put(configKeys + name, value, version);
    }
}
