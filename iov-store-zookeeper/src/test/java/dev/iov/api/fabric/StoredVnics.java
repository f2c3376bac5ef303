package dev.iov.api.fabric;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.MacAddress;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.VersionedValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Test-only view of the vNIC records a {@link Fabric} keeps in a {@link StateStore}, decoded with the fabric's own
 * codec without building a fabric (which would resolve intents and change the records). It lives in the fabric's
 * package, on the test class path only, because the codec is package-private.
 */
public final class StoredVnics {

    /** What one stored vNIC record says. */
    public record Stored(VnicId id, Optional<MacAddress> mac, boolean attached, Optional<String> intent,
            Optional<String> intentNode, Optional<String> handle) {
    }

    private StoredVnics() {
    }

    /**
     * Every vNIC record under {@code iov/vnics/}, by id.
     *
     * @param store the store the fabric used (the default key prefix {@code iov/})
     * @return the records, decoded
     */
    public static Map<VnicId, Stored> read(StateStore store) {
        Map<VnicId, Stored> stored = new LinkedHashMap<>();
        for (Map.Entry<String, VersionedValue> entry : store.list("iov/vnics/").entrySet()) {
            VnicRecord record = RecordCodec.decodeVnic(entry.getKey(), entry.getValue().value());
            stored.put(record.id(), new Stored(record.id(), record.addresses().mac(), record.vnic().isPresent(),
                    record.intent().map(i -> i.kind().name()), record.intent().map(Intent::node),
                    record.vnic().map(v -> v.attachment().handle())));
        }
        return stored;
    }
}
