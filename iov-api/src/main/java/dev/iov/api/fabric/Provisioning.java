package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.UplinkKind;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreOutcomeUnknownException;
import dev.iov.api.store.VersionConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start and the end of a vNIC's life. Both write their {@link Intent} into the vNIC's record before they touch
 * the host, so that a manager killed in the middle knows on restart what to undo (a provision) or finish (a
 * release).
 *
 * <p>Provision: admit and charge the uplink, take addresses, write the record with a {@code PROVISION} intent,
 * attach, write the record attached. Every step pushes its undo; a failure undoes them newest first. Release: write
 * a {@code RELEASE} intent, detach, delete the record, free addresses and capacity.
 */
final class Provisioning {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);

    private final FabricContext fabric;
    private final FabricState state;

    Provisioning(FabricContext fabric) {
        this.fabric = fabric;
        this.state = fabric.state();
    }

    Vnic provision(HostId hostId, VnicSpec spec) {
        Objects.requireNonNull(hostId, "host id");
        Objects.requireNonNull(spec, "spec");
        VnicId id = spec.id();
        String operation = "provision " + id;
        Admitted admitted = fabric.admitOnCurrentSums(hostId, () -> state.locked(() -> admit(hostId, spec,
                operation)));
        Network network = admitted.network();
        Admission.Placement placement = admitted.placement();
        UndoLog undo = new UndoLog(operation);
        undo.pushAlways("admission on " + placement.usage().uplink.name(), () -> state.locked(() -> {
            placement.usage().remove(placement.charge());
            state.clearBusy(id);
        }));
        IoBackend backend = placement.backend();
        Intent.Place place = new Intent.Place(hostId, placement.usage().uplink.name(), backend.id(), backend.kind());
        Vnic vnic;
        VnicRecord attached;
        long version;
        try {
            // The address, the record with its intent and the uplink's charge: one store transaction.
            record Intended(VnicAddresses addresses, long version) {
            }
            boolean inTransaction = fabric.addresses().takenInTransaction(spec, network);
            Intended intended = fabric.addresses().allocateWith(spec, network, undo, (taken, poolSteps) -> {
                try {
                    return new Intended(taken, fabric.records().create(VnicRecord.provisioning(spec, taken,
                            Intent.provision(fabric.node(), place)), UplinkLedger.Change.add(placement.usage(),
                            placement.charge()), poolSteps));
                } catch (VersionConflictException e) {
                    if (e.key().equals(fabric.records().key(id))) {
                        throw new IllegalArgumentException("vNIC '" + id + "' already exists (recorded by another "
                                + "management node)", e);
                    }
                    throw e;
                } catch (StoreOutcomeUnknownException e) {
                    // The record may be there or not: resolution reads it; the address is its until then.
                    leaveInDoubt(id, undo, inTransaction ? Optional.empty() : Optional.of(taken));
                    throw e;
                }
            });
            VnicAddresses addresses = intended.addresses();
            long intendedVersion = intended.version();
            undo.push("record of " + id, () -> deleteOrLeaveInDoubt(id, intendedVersion,
                    UplinkLedger.Change.remove(placement.usage(), placement.charge())));
            AttachRequest request = new AttachRequest(spec, hostId, place.uplink(), network, addresses);
            Attachment attachment = backend.attach(request);
            undo.push("attach on " + backend.id(), () -> {
                try {
                    backend.detach(attachment);
                } catch (RuntimeException | Error e) {
                    // The older undos are skipped: the record keeps its PROVISION intent and the port its
                    // addresses, and resolving the intent (repair, or a restart) abandons the port and frees them.
                    state.locked(() -> state.addInDoubt(id));
                    throw e;
                }
            });
            vnic = new Vnic(spec, hostId, place.uplink(), backend.kind(), attachment, addresses);
            attached = VnicRecord.attached(vnic, VnicStats.ZERO);
            try {
                version = fabric.records().replace(attached, intendedVersion);
            } catch (StoreOutcomeUnknownException e) {
                // Attached, or still intended: resolution reads which, and keeps or abandons the port.
                leaveInDoubt(id, undo, Optional.empty());
                throw e;
            }
        } catch (RuntimeException | Error e) {
            undo.undoAll(e, (step, failure) -> fabric.events().undoFailed(hostId, backend.id(), id, step, failure));
            throw e;
        }
        state.locked(() -> {
            state.putVnic(new VnicEntry(attached, version, placement.charge()));
            state.clearBusy(id);
        });
        LOG.debug("provisioned {} on {} via {} ({})", id, hostId, backend.id(), vnic.attachment().handle());
        fabric.events().provisioned(vnic, fabric.node());
        return vnic;
    }

    /** The network and placement of an admitted provision. */
    private record Admitted(Network network, Admission.Placement placement) {
    }

    /** Places and charges a provision, marking it busy. Lock held. */
    private Admitted admit(HostId hostId, VnicSpec spec, String operation) {
        VnicId id = spec.id();
        FabricState.HostEntry host = state.requireHost(hostId);
        Network network = state.requireNetwork(spec.network());
        if (state.exists(id)) {
            throw new IllegalArgumentException("vNIC '" + id + "' already exists");
        }
        checkFitsNetwork(spec, network);
        List<String> reasons = new ArrayList<>();
        Admission.Placement placement = fabric.place(spec, network, host, Admission.candidateKinds(spec, network),
                reasons);
        if (placement == null) {
            throw new AdmissionException("vNIC '" + id + "' on host '" + hostId + "'", reasons);
        }
        state.markBusy(id, network.id(), operation);
        placement.usage().add(placement.charge());
        return new Admitted(network, placement);
    }

    /**
     * Stops undoing a provision whose store write has an unknown outcome: the vNIC is in doubt until repair, a
     * restart or a survivor's takeover resolves it from what the store holds.
     *
     * @param addresses an address taken apart from the write, which resolution frees if the record is not there
     */
    private void leaveInDoubt(VnicId id, UndoLog undo, Optional<VnicAddresses> addresses) {
        undo.leaveInDoubt();
        state.locked(() -> state.addInDoubt(id, addresses));
        LOG.warn("provision {}: a store write's outcome is unknown; Fabric.repair(driftReport()) finishes or undoes "
                + "it", id);
    }

    /**
     * Removes the record of a provision being undone. When the store refuses, the record (with its
     * {@code PROVISION} intent) stays, and the vNIC is in doubt until repair or a restart resolves the intent.
     */
    private void deleteOrLeaveInDoubt(VnicId id, long version, Optional<UplinkLedger.Change> uncharge) {
        try {
            fabric.records().delete(id, version, uncharge);
        } catch (VersionConflictException e) {
            if (e.actualVersion() != StateStore.ABSENT) {
                state.locked(() -> state.addInDoubt(id));
            }
            // Gone: a surviving node took the provision over (this node was taken for dead) and undid it, freeing
            // its addresses; the older undo steps, which would free them again, are skipped.
            throw e;
        } catch (RuntimeException | Error e) {
            state.locked(() -> state.addInDoubt(id));
            throw e;
        }
    }

    boolean release(VnicId id) {
        Objects.requireNonNull(id, "vNIC id");
        String operation = "release " + id;
        VnicEntry entry;
        IoBackend backend;
        entry = state.locked(() -> {
            Optional<VnicEntry> found = state.vnic(id);
            if (found.isEmpty()) {
                state.refuseIfBusy(id, operation);
                return null;
            }
            state.markBusy(id, found.get().record().spec().network(), operation);
            return found.get();
        });
        if (entry == null) {
            return false;
        }
        Vnic vnic = entry.vnic();
        try {
            backend = state.locked(() -> state.requireBackend(vnic));
        } catch (RuntimeException e) {
            state.locked(() -> state.clearBusy(id));
            throw e;
        }
        VnicRecord releasing = entry.record().with(Intent.release(fabric.node(), vnic));
        long releasingVersion;
        try {
            releasingVersion = fabric.records().replace(releasing, entry.version());
        } catch (RuntimeException | Error e) {
            state.locked(() -> state.clearBusy(id));
            throw e;
        }
        try {
            backend.detach(vnic.attachment());
        } catch (RuntimeException | Error e) {
            withdrawIntent(entry, releasingVersion, e);
            throw e;
        }
        try {
            fabric.records().delete(id, releasingVersion, UplinkLedger.Change.remove(
                    state.locked(() -> state.usage(vnic.host(), vnic.uplink())), entry.charge()));
        } catch (RuntimeException | Error e) {
            reattach(entry, backend, releasingVersion, e);
            throw e;
        }
        state.locked(() -> {
            state.removeVnic(id);
            state.clearBusy(id);
        });
        fabric.addresses().release(vnic.addresses());
        LOG.debug("released {} from {}", id, vnic.host());
        fabric.events().released(vnic, fabric.node());
        return true;
    }

    /**
     * Undoes a detach whose record could not be deleted: the port is made again and the intent withdrawn, so the
     * vNIC is as before. When that fails too, the record's {@code RELEASE} intent tells repair (or a restart) to
     * finish the release.
     */
    private void reattach(VnicEntry entry, IoBackend backend, long releasingVersion, Throwable cause) {
        Vnic vnic = entry.vnic();
        Attachment again;
        try {
            again = backend.attach(state.locked(() -> fabric.requestFor(vnic)));
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
            fabric.events().undoFailed(vnic.host(), backend.id(), vnic.id(), "detach of the port", e);
            leaveInDoubt(entry.with(entry.record().with(Intent.release(fabric.node(), vnic)), releasingVersion));
            return;
        }
        if (again.equals(vnic.attachment())) {
            withdrawIntent(entry, releasingVersion, cause);
            return;
        }
        // The backend made the port under another handle: record it.
        Vnic rebuilt = new Vnic(vnic.spec(), vnic.host(), vnic.uplink(), vnic.backendKind(), again, vnic.addresses());
        VnicRecord record = VnicRecord.attached(rebuilt, entry.record().carried());
        withdrawIntent(new VnicEntry(record, entry.version(), entry.charge()), releasingVersion, cause);
    }

    /** Takes back an intent whose operation failed before changing the host; in doubt if the store refuses. */
    private void withdrawIntent(VnicEntry entry, long intentVersion, Throwable cause) {
        VnicId id = entry.record().id();
        try {
            long version = fabric.records().replace(entry.record(), intentVersion);
            state.locked(() -> {
                state.putVnic(entry.with(entry.record(), version));
                state.clearBusy(id);
            });
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
            leaveInDoubt(entry); // memory keeps the vNIC as it was; resolving reads the record afresh
        }
    }

    /** Marks a vNIC whose record holds an intent nothing works on any more; repair resolves it. */
    private void leaveInDoubt(VnicEntry entry) {
        VnicId id = entry.record().id();
        state.locked(() -> {
            state.putVnic(entry);
            state.addInDoubt(id);
            state.clearBusy(id);
        });
        LOG.warn("{}: interrupted; Fabric.repair(driftReport()) finishes or undoes it", id);
    }

    /** The checks of a spec that need its network; the spec checked everything else when it was built. */
    static void checkFitsNetwork(VnicSpec spec, Network network) {
        if (Admission.candidateKinds(spec, network).isEmpty()) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "' accepts only " + spec.backends()
                    + ", none of which can join " + network.kind() + " network '" + network.id() + "'");
        }
        Optional<Bandwidth> maxRate = spec.maxRate().or(network::defaultMaxRate);
        if (spec.minRate().isPresent() && maxRate.isPresent() && spec.minRate().get().compareTo(maxRate.get()) > 0) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "': min rate " + spec.minRate().get()
                    + " is above the max rate " + maxRate.get() + " of network '" + network.id() + "'");
        }
        boolean ethernet = network.kind().uplinkKind() == UplinkKind.ETHERNET;
        if (spec.guid().isPresent() && ethernet) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "' names GUID " + spec.guid().get()
                    + " but network '" + network.id() + "' is " + network.kind());
        }
        if (spec.mac().isPresent() && !ethernet) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "' names MAC " + spec.mac().get()
                    + " but network '" + network.id() + "' is " + network.kind());
        }
    }
}
