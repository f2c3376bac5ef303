package dev.iov.api.fabric;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving a vNIC to another host, keeping its network and addresses.
 *
 * <p>Steps: charge the target uplink; write a {@code MIGRATE} intent; attach on the target; switch the record to the
 * target with a {@code DETACH_PREVIOUS} intent, carrying the source port's counters into the record; detach on the
 * source; clear the intent. Until the switch, a failure undoes everything and the vNIC stays on its source. After
 * it, the vNIC <i>has</i> moved (the VM runs there): a source port that will not go, or an intent the store will not
 * clear, leaves the vNIC in doubt for repair instead of failing the migration.
 */
final class Migration {
    private static final Logger LOG = LoggerFactory.getLogger(Migration.class);

    private final FabricContext fabric;
    private final FabricState state;

    Migration(FabricContext fabric) {
        this.fabric = fabric;
        this.state = fabric.state();
    }

    MigrationPlan plan(VnicId id, HostId target) {
        return state.locked(() -> {
            Vnic vnic = state.requireVnic(id).vnic();
            return toPlan(vnic, target, placeOnTarget(vnic, target));
        });
    }

    Vnic migrate(VnicId id, HostId target) {
        Objects.requireNonNull(target, "target host");
        String operation = "migrate " + id + " to " + target;
        record Admitted(VnicEntry entry, Admission.Placement placement, IoBackend source, Network network) {
        }
        Admitted admitted = fabric.admitOnCurrentSums(target, () -> state.locked(() -> {
            VnicEntry entry = state.requireVnic(id);
            state.refuseIfBusy(id, operation);
            Admission.Placement placement = placeOnTarget(entry.vnic(), target);
            IoBackend source = state.requireBackend(entry.vnic());
            Network network = state.requireNetwork(entry.vnic().spec().network());
            state.markBusy(id, network.id(), operation);
            placement.usage().add(placement.charge());
            return new Admitted(entry, placement, source, network);
        }));
        VnicEntry entry = admitted.entry();
        Admission.Placement placement = admitted.placement();
        Vnic from = entry.vnic();
        IoBackend backend = placement.backend();
        Intent.Place place = new Intent.Place(target, placement.usage().uplink.name(), backend.id(), backend.kind());
        Runnable unreserveTarget = () -> state.locked(() -> {
            placement.usage().remove(placement.charge());
            state.clearBusy(id);
        });

        long intentVersion;
        try {
            intentVersion = fabric.records().replace(entry.record().with(Intent.migrate(fabric.node(), place)),
                    entry.version(), List.of(UplinkLedger.Change.add(placement.usage(), placement.charge())));
        } catch (RuntimeException | Error e) {
            unreserveTarget.run();
            throw e;
        }
        AttachRequest request = new AttachRequest(from.spec(), target, place.uplink(), admitted.network(),
                from.addresses());
        Attachment attachment;
        try {
            attachment = backend.attach(request);
        } catch (RuntimeException | Error e) {
            withdraw(entry, intentVersion, placement, unreserveTarget, e);
            throw e;
        }
        Vnic to = new Vnic(from.spec(), target, place.uplink(), backend.kind(), attachment, from.addresses());
        VnicRecord moved = new VnicRecord(from.spec(), from.addresses(), Optional.of(to),
                Optional.of(Intent.detachPrevious(fabric.node(), from)),
                entry.record().carried().plus(finalCounters(admitted.source(), from)));
        long movedVersion;
        try {
            movedVersion = fabric.records().replace(moved, intentVersion, List.of(UplinkLedger.Change.remove(
                    state.locked(() -> state.usage(from.host(), from.uplink())), entry.charge())));
        } catch (RuntimeException | Error e) {
            fabric.detachQuietly(backend, to, e);
            withdraw(entry, intentVersion, placement, unreserveTarget, e);
            throw e;
        }
        state.locked(() -> {
            state.removeVnic(id);
            state.putVnic(new VnicEntry(moved, movedVersion, placement.charge()));
        });
        finish(moved, movedVersion, admitted.source(), from);
        LOG.debug("migrated {} from {} to {} via {}", id, from.host(), target, backend.id());
        fabric.events().migrated(from, to, fabric.node());
        return to;
    }

    /** Detaches the source port and clears the intent; what fails is left in doubt for repair. */
    private void finish(VnicRecord moved, long version, IoBackend source, Vnic from) {
        VnicId id = moved.id();
        try {
            source.detach(from.attachment());
        } catch (RuntimeException | Error e) {
            fabric.events().leftBehind(from, "migration", e);
            leaveInDoubt(id);
            return;
        }
        try {
            VnicRecord done = moved.withoutIntent();
            long doneVersion = fabric.records().replace(done, version);
            state.locked(() -> {
                state.vnic(id).ifPresent(e -> state.putVnic(e.with(done, doneVersion)));
                state.clearBusy(id);
            });
        } catch (RuntimeException | Error e) {
            LOG.warn("migration of {}: the old port is gone but the record keeps its intent ({}); repair clears it",
                    id, e.getMessage());
            leaveInDoubt(id);
        }
    }

    private void leaveInDoubt(VnicId id) {
        state.locked(() -> {
            state.addInDoubt(id);
            state.clearBusy(id);
        });
    }

    /**
     * The source port's counters, read just before it goes, so that the vNIC's counters continue on the target.
     * A source that cannot say loses them (logged): the migration matters more than the count.
     */
    private VnicStats finalCounters(IoBackend source, Vnic from) {
        try {
            return source.stats(from.attachment());
        } catch (RuntimeException e) {
            LOG.warn("migration of {}: counters of {} on {} unreadable, not carried: {}", from.id(),
                    from.attachment().handle(), from.host(), e.getMessage());
            return VnicStats.ZERO;
        }
    }

    /** Puts the record back as it was before the {@code MIGRATE} intent; in doubt if the store refuses. */
    private void withdraw(VnicEntry entry, long intentVersion, Admission.Placement placement,
            Runnable unreserveTarget, Throwable cause) {
        VnicId id = entry.record().id();
        try {
            long version = fabric.records().replace(entry.record(), intentVersion,
                    List.of(UplinkLedger.Change.remove(placement.usage(), placement.charge())));
            state.locked(() -> state.putVnic(entry.with(entry.record(), version)));
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
            state.locked(() -> state.addInDoubt(id));
        }
        unreserveTarget.run();
    }

    private Admission.Placement placeOnTarget(Vnic vnic, HostId target) {
        FabricState.HostEntry host = state.requireHost(target);
        if (vnic.host().equals(target)) {
            throw new IllegalArgumentException("vNIC '" + vnic.id() + "' is already on host '" + target + "'");
        }
        state.requireBackend(vnic);
        Network network = state.requireNetwork(vnic.spec().network());
        List<BackendKind> kinds = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        BackendKind current = vnic.backendKind();
        if (current.liveMigratable()) {
            kinds.add(current);
        } else {
            reasons.add("a " + current + " cannot live-migrate (its state is in the device), so only a declared "
                    + "fallback kind can carry the vNIC during the move");
        }
        Admission.candidateKinds(vnic.spec(), network).stream().filter(k -> k != current && k.liveMigratable())
                .forEach(kinds::add);
        String what = "migration of vNIC '" + vnic.id() + "' to host '" + target + "'";
        if (kinds.isEmpty()) {
            reasons.add("vNIC '" + vnic.id() + "' declares no kind that can live-migrate; declare a fallback, e.g. "
                    + "backends(SRIOV_VF, VSWITCH_PORT)");
            throw new AdmissionException(what, reasons);
        }
        Admission.Placement placement = fabric.place(vnic.spec(), network, host, kinds, reasons);
        if (placement == null) {
            throw new AdmissionException(what, reasons);
        }
        return placement;
    }

    private static MigrationPlan toPlan(Vnic vnic, HostId target, Admission.Placement placement) {
        BackendKind from = vnic.backendKind();
        BackendKind to = placement.backend().kind();
        String reason;
        if (to == from) {
            reason = "same kind (" + to + ") on the target";
        } else if (!from.liveMigratable()) {
            reason = "a " + from + " cannot live-migrate: the target gets a " + to + " (the declared fallback); the "
                    + "guest keeps its network through its failover device while the " + from + " is unplugged";
        } else {
            reason = "the target has no " + from + " for the network: it gets a " + to + " (the declared fallback)";
        }
        return new MigrationPlan(vnic.id(), vnic.host(), target, placement.usage().uplink.name(),
                placement.backend().id(), to, to != from, reason);
    }
}
