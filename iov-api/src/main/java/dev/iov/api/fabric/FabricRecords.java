package dev.iov.api.fabric;

import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.VnicId;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.VersionedValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fabric's records in its state store: one per network, one per vNIC, and the fabric's settings, under the key
 * prefix the fabric was given. Every vNIC write is a compare-and-set on the version the caller read, so two
 * operations (or two management nodes) never overwrite each other's work.
 */
final class FabricRecords {
    private final StateStore store;
    private final String networkKeys;
    private final String vnicKeys;
    private final String configKeys;

    FabricRecords(StateStore store, String keyPrefix) {
        this.store = store;
        this.networkKeys = keyPrefix + "networks/";
        this.vnicKeys = keyPrefix + "vnics/";
        this.configKeys = keyPrefix + "config/";
    }

    String key(VnicId id) {
        return vnicKeys + id;
    }

    String key(NetworkId id) {
        return networkKeys + id;
    }

    // ------------------------------------------------------------------------------------------------- vNICs

    long create(VnicRecord record) {
        return store.put(key(record.id()), RecordCodec.encode(record), StateStore.ABSENT);
    }

    long replace(VnicRecord record, long version) {
        return store.put(key(record.id()), RecordCodec.encode(record), version);
    }

    void delete(VnicId id, long version) {
        store.delete(key(id), version);
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

    long create(Network network) {
        return store.put(key(network.id()), RecordCodec.encode(network), StateStore.ABSENT);
    }

    void delete(NetworkId id, long version) {
        store.delete(key(id), version);
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
