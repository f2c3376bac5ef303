package dev.iov.api.fabric;

import dev.iov.api.model.Host;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.store.VersionedValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager restart: the vNIC records are read back, their addresses taken, and each backend is handed the ports
 * the store says it owns on its host ({@link IoBackend#restore}) before it serves anything, so that it never gives
 * one of them to a new vNIC. Ports a backend cannot find are reported {@link Drift.Kind#MISSING}; operations this
 * node left half done are then resolved (see {@link Resolution}).
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final FabricContext fabric;
    private final FabricState state;
    private final Resolution resolution;
    /** Intents found at load that this run has not resolved yet, by vNIC. */
    private final Map<VnicId, Intent> pending = new LinkedHashMap<>();

    Recovery(FabricContext fabric, Resolution resolution) {
        this.fabric = fabric;
        this.state = fabric.state();
        this.resolution = resolution;
    }

    /** The whole recovery of a fabric being built: networks, records, hosts, restores, then this node's intents. */
    RecoveryReport start(NetworkRegistry networks, Map<Host, List<IoBackend>> hosts) {
        List<FabricState.HostEntry> added = new ArrayList<>();
        state.locked(() -> {
            networks.load();
            loadVnics();
            hosts.forEach((host, backends) -> added.add(state.addHost(host, backends)));
        });
        RecoveryReport report = RecoveryReport.EMPTY;
        for (FabricState.HostEntry host : added) {
            report = report.plus(restore(host));
        }
        report = report.plus(resolvePending());
        if (!report.equals(RecoveryReport.EMPTY)) {
            LOG.info("recovery: {} port(s) restored, {} missing, {} interrupted operation(s) resolved, {} waiting",
                    report.adopted(), report.missing().size(), report.resolved().size(), report.unresolved().size());
        }
        return report;
    }

    /** Reads the vNIC records (after the networks). Lock held; called once, before any host is restored. */
    void loadVnics() {
        for (Map.Entry<String, VersionedValue> stored : fabric.records().listVnics().entrySet()) {
            String source = "state store record '" + stored.getKey() + "'";
            VnicRecord record = RecordCodec.decodeVnic(stored.getKey(), stored.getValue().value());
            if (state.network(record.spec().network()).isEmpty()) {
                throw new FabricException("load", source + ": vNIC '" + record.id() + "' is on network '"
                        + record.spec().network() + "', which is not defined");
            }
            fabric.addresses().adopt(record.addresses(), source);
            if (record.vnic().isPresent()) {
                state.putRecovered(record, stored.getValue().version());
            }
            record.intent().ifPresent(intent -> {
                if (fabric.isClusterMember() && !intent.node().equals(fabric.node())) {
                    // Another member's operation: it finishes it, or a survivor takes it over if it is gone;
                    // meanwhile this node follows the record as it changes.
                    return;
                }
                state.addInDoubt(record.id());
                pending.put(record.id(), intent);
            });
        }
        LOG.info("loaded {} network(s) and {} attached vNIC(s) from the state store; {} operation(s) interrupted",
                state.networks().size(), state.vnics().size(), pending.size());
    }

    /**
     * Restores every backend of a host. Run {@link #resolvePending} once every host added together is restored.
     *
     * @throws FabricException when a backend cannot restore: it must not serve, since it could hand out what
     *     running VMs hold
     */
    RecoveryReport restore(FabricState.HostEntry host) {
        int adopted = 0;
        List<Drift> missing = new ArrayList<>();
        for (IoBackend backend : host.backends) {
            List<RecordedAttachment> recorded = state.locked(() -> recordedOn(backend));
            if (recorded.isEmpty()) {
                continue;
            }
            RestoreReport report;
            try {
                report = backend.restore(recorded);
            } catch (RuntimeException e) {
                throw new FabricException("restore", "backend '" + backend.id() + "' of host '" + host.host.id()
                        + "' could not restore its " + recorded.size() + " recorded attachment(s): " + e.getMessage()
                        + "; it is not used, since it could hand their resources to new vNICs", e);
            }
            adopted += report.adopted().size();
            report.adopted().forEach(this::refresh);
            for (RestoreReport.Missing gone : report.missing()) {
                if (isBeingRemoved(gone)) {
                    continue;
                }
                missing.add(new Drift(host.host.id(), backend.id(), Drift.Kind.MISSING, Optional.of(gone.vnic()),
                        gone.handle(), gone.reason()));
            }
        }
        if (!missing.isEmpty()) {
            DriftReport drift = new DriftReport(fabric.events().now(), 1, missing);
            LOG.warn("restart: {} recorded port(s) missing on {}: {}", missing.size(), host.host.id(),
                    missing.stream().map(Drift::toText).toList());
            fabric.events().driftFound(drift);
        }
        return new RecoveryReport(adopted, missing, List.of(), List.of());
    }

    /** What the store says a backend holds: current ports, and old ports a migration has yet to remove. */
    private List<RecordedAttachment> recordedOn(IoBackend backend) {
        List<RecordedAttachment> recorded = new ArrayList<>();
        for (VnicEntry entry : state.vnics()) {
            Vnic vnic = entry.vnic();
            if (vnic.attachment().backendId().equals(backend.id())) {
                recorded.add(new RecordedAttachment(fabric.requestFor(vnic), vnic.attachment()));
            }
            entry.record().intent().filter(i -> i.kind() == Intent.Kind.DETACH_PREVIOUS)
                    .filter(i -> i.place().backendId().equals(backend.id()))
                    .ifPresent(i -> recorded.add(new RecordedAttachment(fabric.requestFor(entry.record(), i.place()),
                            i.attachment().orElseThrow())));
        }
        return recorded;
    }

    /** A port that a release or a migration was removing when it stopped: gone is what was wanted. */
    private boolean isBeingRemoved(RestoreReport.Missing gone) {
        return state.locked(() -> state.vnic(gone.vnic())).flatMap(e -> e.record().intent().map(intent ->
                switch (intent.kind()) {
                    case RELEASE -> e.vnic().attachment().handle().equals(gone.handle());
                    case DETACH_PREVIOUS -> intent.attachment().orElseThrow().handle().equals(gone.handle());
                    default -> false;
                })).orElse(false);
    }

    /** A backend may return an attachment refreshed from the host (new details); the record follows it. */
    private void refresh(Attachment adopted) {
        VnicEntry entry = state.locked(() -> state.vnic(adopted.vnic())).orElse(null);
        if (entry == null || !entry.vnic().attachment().backendId().equals(adopted.backendId())
                || entry.vnic().attachment().equals(adopted) || entry.record().intent().isPresent()) {
            return;
        }
        Vnic vnic = entry.vnic();
        Vnic refreshed = new Vnic(vnic.spec(), vnic.host(), vnic.uplink(), vnic.backendKind(), adopted,
                vnic.addresses());
        VnicRecord record = VnicRecord.attached(refreshed, entry.record().carried());
        try {
            long version = fabric.records().replace(record, entry.version());
            state.locked(() -> state.putVnic(entry.with(record, version)));
        } catch (RuntimeException e) {
            LOG.warn("restart: could not record the refreshed attachment of {}: {}", vnic.id(), e.getMessage());
        }
    }

    /** Resolves this node's interrupted operations whose backend is in the fabric (and so restored). */
    RecoveryReport resolvePending() {
        List<String> resolved = new ArrayList<>();
        for (Map.Entry<VnicId, Intent> intent : List.copyOf(pending.entrySet())) {
            if (!state.locked(() -> state.isInDoubt(intent.getKey()))) {
                pending.remove(intent.getKey()); // repair resolved it meanwhile
                continue;
            }
            if (!intent.getValue().node().equals(fabric.node())
                    || state.locked(() -> state.backend(intent.getValue().place().backendId())).isEmpty()) {
                continue;
            }
            try {
                resolved.add(resolution.resolve(intent.getKey()));
                pending.remove(intent.getKey());
            } catch (RuntimeException e) {
                LOG.warn("restart: the interrupted {} of {} could not be resolved: {}", intent.getValue().describe(),
                        intent.getKey(), e.getMessage());
                fabric.events().backendFailed(intent.getValue().place().host(), intent.getValue().place().backendId(),
                        intent.getKey(), "resolving the interrupted " + intent.getValue().describe() + " failed: "
                                + e.getMessage());
            }
        }
        return new RecoveryReport(0, List.of(), resolved, unresolved());
    }

    private List<String> unresolved() {
        List<String> waiting = new ArrayList<>();
        pending.forEach((id, intent) -> waiting.add(intent.describe() + " of " + id + " (node " + intent.node()
                + ")"));
        return waiting;
    }
}
