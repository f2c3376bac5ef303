package dev.iov.api.fabric;

import dev.iov.api.model.Capability;
import dev.iov.api.model.Network;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changing a live vNIC: rates, spoof check, trust. The new spec is re-admitted on the vNIC's uplink (its old charge
 * taken off first), applied by the backend, then recorded; when the record cannot be written, the backend is put
 * back to the old spec. What cannot change in place (network, MAC/GUID, a kind the vNIC is not) is refused: release
 * and provision again, or migrate.
 *
 * <p>No intent is written: an update interrupted between host and store leaves a port that differs from its record,
 * which drift reports as {@link Drift.Kind#MISMATCH} and repair puts back to the record.
 */
final class VnicUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(VnicUpdates.class);

    private final FabricContext fabric;
    private final FabricState state;

    VnicUpdates(FabricContext fabric) {
        this.fabric = fabric;
        this.state = fabric.state();
    }

    Vnic update(VnicId id, VnicSpec spec) {
        Objects.requireNonNull(id, "vNIC id");
        Objects.requireNonNull(spec, "spec");
        String operation = "update " + id;
        if (!spec.id().equals(id)) {
            throw new IllegalArgumentException("update of vNIC '" + id + "' with the spec of vNIC '" + spec.id() + "'");
        }
        record Admitted(VnicEntry entry, IoBackend backend, Network network, UplinkUsage usage, Charge charge) {
        }
        Admitted admitted = state.locked(() -> {
            VnicEntry entry = state.requireVnic(id);
            state.refuseIfBusy(id, operation);
            Vnic vnic = entry.vnic();
            Network network = state.requireNetwork(vnic.spec().network());
            checkChangeable(vnic, spec, network);
            IoBackend backend = state.requireBackend(vnic);
            Set<Capability> missing = EnumSet.copyOf(Admission.requiredCapabilities(spec, network));
            missing.removeAll(backend.capabilities());
            if (!missing.isEmpty()) {
                throw new AdmissionException(operation, List.of("backend '" + backend.id() + "' lacks " + missing));
            }
            UplinkUsage usage = state.host(vnic.host()).map(h -> h.usage.get(vnic.uplink())).orElse(null);
            Charge charge = null;
            if (usage != null && entry.charge() != null) {
                charge = Charge.of(spec, network, usage.uplink);
                usage.remove(entry.charge());
                String refusal = fabric.admission().refusal(usage, charge);
                if (refusal != null) {
                    usage.add(entry.charge());
                    throw new AdmissionException(operation + " on host '" + vnic.host() + "'", List.of(refusal));
                }
                usage.add(charge);
            }
            state.markBusy(id, network.id(), operation);
            return new Admitted(entry, backend, network, usage, charge);
        });
        VnicEntry entry = admitted.entry();
        Vnic from = entry.vnic();
        Runnable restoreCharge = () -> state.locked(() -> {
            if (admitted.charge() != null) {
                admitted.usage().remove(admitted.charge());
                admitted.usage().add(entry.charge());
            }
            state.clearBusy(id);
        });
        AttachRequest request = new AttachRequest(spec, from.host(), from.uplink(), admitted.network(),
                from.addresses());
        Attachment updated;
        try {
            updated = admitted.backend().update(from.attachment(), request);
        } catch (RuntimeException | Error e) {
            restoreCharge.run();
            throw e;
        }
        Vnic to = new Vnic(spec, from.host(), from.uplink(), from.backendKind(), updated, from.addresses());
        VnicRecord record = VnicRecord.attached(to, entry.record().carried());
        long version;
        try {
            version = admitted.charge() == null ? fabric.records().replace(record, entry.version())
                    : fabric.records().replace(record, entry.version(), List.of(
                            UplinkLedger.Change.remove(admitted.usage(), entry.charge()),
                            UplinkLedger.Change.add(admitted.usage(), admitted.charge())));
        } catch (RuntimeException | Error e) {
            try {
                admitted.backend().update(updated, fabric.requestFor(from));
            } catch (RuntimeException | Error undo) {
                e.addSuppressed(undo);
                fabric.events().undoFailed(from.host(), admitted.backend().id(), id, "update of the port", undo);
            }
            restoreCharge.run();
            throw e;
        }
        Charge charge = admitted.charge() != null ? admitted.charge() : entry.charge();
        state.locked(() -> {
            state.putVnic(new VnicEntry(record, version, charge));
            state.clearBusy(id);
        });
        LOG.debug("updated {} on {}", id, from.host());
        fabric.events().updated(from, to, fabric.node());
        return to;
    }

    private static void checkChangeable(Vnic vnic, VnicSpec spec, Network network) {
        VnicId id = vnic.id();
        if (!spec.network().equals(vnic.spec().network())) {
            throw new IllegalArgumentException("vNIC '" + id + "' cannot move from network '" + vnic.spec().network()
                    + "' to '" + spec.network() + "' in place; release it and provision it on the new network");
        }
        Provisioning.checkFitsNetwork(spec, network);
        if (!spec.backends().isEmpty() && !spec.backends().contains(vnic.backendKind())) {
            throw new IllegalArgumentException("vNIC '" + id + "' is a " + vnic.backendKind() + "; the new spec "
                    + "accepts only " + spec.backends());
        }
        checkSame(id, "MAC", spec.mac(), vnic.addresses().mac());
        checkSame(id, "GUID", spec.guid(), vnic.addresses().guid());
    }

    private static <T> void checkSame(VnicId id, String what, Optional<T> asked, Optional<T> held) {
        if (asked.isPresent() && !asked.equals(held)) {
            throw new IllegalArgumentException("vNIC '" + id + "' holds " + what + " "
                    + held.map(Object::toString).orElse("none") + "; it cannot change to " + asked.get()
                    + " in place");
        }
    }
}
