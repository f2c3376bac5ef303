package dev.iov.api.fabric;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.IoBackend;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the fabric's services share: the model in memory, the records in the store, the pools, admission, events,
 * and the name of this management node (written into every intent, so a node resolves only its own).
 */
record FabricContext(FabricState state, FabricRecords records, AddressBook addresses, Admission admission,
        Events events, String node) {

    /** @return true when this fabric is one member of several sharing the store (built with a membership) */
    boolean isClusterMember() {
        return records.ledger() != null;
    }

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

    /**
     * Places a vNIC on a host. A single node decides on its own sums; with shared admission the decision is made on
     * the store's sums of every node (which the commit re-checks), so that another node's release, not yet seen
     * here, does not make this node refuse. The placement returned charges this node's sums of the uplink.
     */
    Admission.Placement place(VnicSpec spec, Network network, FabricState.HostEntry host, List<BackendKind> kinds,
            List<String> reasons) {
        UplinkLedger ledger = records.ledger();
        List<UplinkUsage> usages = ledger == null ? host.usages() : ledger.views(host.usages());
        Admission.Placement placement = admission.place(spec, network, host.backends, usages, kinds, reasons);
        if (placement == null || ledger == null) {
            return placement;
        }
        return new Admission.Placement(placement.backend(), host.usage.get(placement.usage().uplink.name()),
                placement.charge());
    }

    /**
     * Runs an admission (which takes the lock itself). A member decides on its replica of the shared sums, which may
     * miss another node's release: its refusal stands only once the replica of the host's sums is known to be current
     * (one round trip, only on refusal); otherwise the admission runs again on the fresh sums.
     *
     * @param host the host whose uplinks the admission charges
     * @param admission places and charges, or throws {@link AdmissionException}
     * @return what the admission returned
     */
    <T> T admitOnCurrentSums(HostId host, Supplier<T> admission) {
        for (int attempt = 0; ; attempt++) {
            try {
                return admission.get();
            } catch (AdmissionException refused) {
                if (attempt >= 2 || !isClusterMember() || records.ledger().isCurrent(state.locked(() ->
                        state.requireHost(host).usages()))) {
                    throw refused;
                }
            }
        }
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
