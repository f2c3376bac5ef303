package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.spi.IoBackend;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or undoes an operation of this management node that stopped between its intent and its end: a manager
 * killed mid-step (found on restart), or a step whose undo the store refused (found by repair). Always reads the
 * record afresh, since the store, not memory, says how far the operation got. Every step is idempotent, so a
 * resolution that fails half way can simply run again.
 */
final class Resolution {
    private static final Logger LOG = LoggerFactory.getLogger(Resolution.class);

    private final FabricContext fabric;
    private final FabricState state;

    Resolution(FabricContext fabric) {
        this.fabric = fabric;
        this.state = fabric.state();
    }

    /**
     * @param id a vNIC in doubt
     * @return what was done, in words
     * @throws FabricException when the intent is another node's, or its backend is not in the fabric
     */
    String resolve(VnicId id) {
        Optional<Stored<VnicRecord>> read = fabric.records().read(id);
        if (read.isEmpty()) {
            state.locked(() -> state.vnic(id)).ifPresent(e -> fabric.addresses().release(e.record().addresses()));
            // A provision whose record write had an unknown outcome and did not happen: its separately taken
            // address is free again.
            state.locked(() -> state.unrecorded(id)).ifPresent(fabric.addresses()::release);
            forget(id);
            return "nothing recorded for " + id + " any more";
        }
        VnicRecord record = read.get().value();
        long version = read.get().version();
        if (record.intent().isEmpty()) {
            adopt(record, version);
            return id + " was complete";
        }
        Intent intent = record.intent().get();
        if (!intent.node().equals(fabric.node())) {
            throw new FabricException("resolve " + id, "the " + intent.describe() + " of vNIC '" + id
                    + "' belongs to management node '" + intent.node() + "'; only that node resolves it");
        }
        IoBackend backend = backend(id, intent);
        switch (intent.kind()) {
            case PROVISION -> {
                backend.abandon(fabric.requestFor(record, intent.place()));
                fabric.records().delete(id, version, charged(record, intent.place().host(), intent.place().uplink(),
                        -1));
                fabric.addresses().release(record.addresses());
                forget(id);
            }
            case MIGRATE -> {
                backend.abandon(fabric.requestFor(record, intent.place()));
                adopt(record.withoutIntent(), fabric.records().replace(record.withoutIntent(), version,
                        List.of(charged(record, intent.place().host(), intent.place().uplink(), -1))));
            }
            case RELEASE -> {
                Vnic vnic = record.attachedVnic();
                backend.detach(vnic.attachment());
                fabric.records().delete(id, version, charged(record, vnic.host(), vnic.uplink(), -1));
                fabric.addresses().release(record.addresses());
                forget(id);
                fabric.events().released(vnic, fabric.node());
            }
            case DETACH_PREVIOUS -> {
                backend.detach(intent.attachment().orElseThrow());
                adopt(record.withoutIntent(), fabric.records().replace(record.withoutIntent(), version));
            }
            default -> throw new IllegalStateException(intent.kind().toString());
        }
        LOG.info("resolved the interrupted {} of {}", intent.describe(), id);
        return (intent.kind() == Intent.Kind.PROVISION || intent.kind() == Intent.Kind.MIGRATE ? "undid the "
                : "finished the ") + "interrupted " + intent.describe() + " of " + id;
    }

    /** The change of an uplink's shared sums by a recorded vNIC's charge; none when the uplink is unknown here. */
    private Optional<UplinkLedger.Change> charged(VnicRecord record, HostId host, String uplink, int sign) {
        return state.locked(() -> {
            UplinkUsage usage = state.usage(host, uplink);
            if (usage == null) {
                return Optional.<UplinkLedger.Change>empty();
            }
            Charge charge = Charge.of(record.spec(), state.requireNetwork(record.spec().network()), usage.uplink);
            return Optional.of(new UplinkLedger.Change(usage, charge, sign));
        });
    }

    private IoBackend backend(VnicId id, Intent intent) {
        return state.locked(() -> state.backend(intent.place().backendId())).orElseThrow(() ->
                new FabricException("resolve " + id, "the interrupted " + intent.describe() + " of vNIC '" + id
                        + "' needs backend '" + intent.place().backendId() + "' of host '" + intent.place().host()
                        + "', which is not in the fabric; add the host to finish it"));
    }

    /** Makes memory follow a record that is no longer in doubt, re-charging its uplink. */
    private void adopt(VnicRecord record, long version) {
        state.locked(() -> {
            state.removeVnic(record.id());
            state.putRecovered(record, version);
            state.removeInDoubt(record.id());
        });
    }

    private void forget(VnicId id) {
        state.locked(() -> {
            state.removeVnic(id);
            state.removeInDoubt(id);
        });
    }
}
