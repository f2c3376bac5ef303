package dev.iov.api.fabric;

import dev.iov.api.model.Network;
import dev.iov.api.model.Vnic;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.IoBackend;

/**
 * What the fabric's services share: the model in memory, the records in the store, the pools, admission, events,
 * and the name of this management node (written into every intent, so a node resolves only its own).
 */
record FabricContext(FabricState state, FabricRecords records, AddressBook addresses, Admission admission,
        Events events, String node) {

    /** The request that made (or would make) a vNIC's port, for re-attaching, updating and restoring it. */
    AttachRequest requestFor(Vnic vnic) {
        Network network = state.requireNetwork(vnic.spec().network());
        return new AttachRequest(vnic.spec(), vnic.host(), vnic.uplink(), network, vnic.addresses());
    }

    /** The request of an intent's attach, which may not have happened (for {@link IoBackend#abandon}). */
    AttachRequest requestFor(VnicRecord record, Intent.Place place) {
        Network network = state.requireNetwork(record.spec().network());
        return new AttachRequest(record.spec(), place.host(), place.uplink(), network, record.addresses());
    }

    /** Undoes an attach while handling another failure; a port that will not go is reported and left to repair. */
    void detachQuietly(IoBackend backend, Vnic vnic, Throwable cause) {
        try {
            backend.detach(vnic.attachment());
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
            events.leftBehind(vnic, "undo", e);
        }
    }
}
