package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares the declared model with what the backends find on their hosts, and brings the hosts back to the model.
 * A vNIC that an operation is changing, or that waits for an interrupted operation to be resolved, is reported as
 * {@link Drift.Kind#INTERRUPTED} (not as missing or unexpected, which its half-made port would look like) and
 * repaired by resolving that operation.
 */
final class DriftService {
    private final FabricContext fabric;
    private final FabricState state;
    private final Resolution resolution;
    /** How long a port must have been seen without a record before repair removes it. */
    private final Duration grace;
    /** When each unexpected port ("backend/handle") was first reported, for the grace window. */
    private final Map<String, Instant> unexpectedSince = new ConcurrentHashMap<>();

    DriftService(FabricContext fabric, Resolution resolution, Duration grace) {
        this.fabric = fabric;
        this.state = fabric.state();
        this.resolution = resolution;
        this.grace = grace;
    }

    DriftReport report() {
        record Scan(HostId host, IoBackend backend, List<Vnic> declared) {
        }
        List<Scan> scans = new ArrayList<>();
        List<Drift> drifts = new ArrayList<>();
        Map<NetworkId, Network> networks = new HashMap<>();
        int hostCount = state.locked(() -> {
            state.networks().forEach(stored -> networks.put(stored.value().id(), stored.value()));
            Map<String, List<Vnic>> byBackend = new HashMap<>();
            for (VnicEntry entry : state.vnics()) {
                if (!state.isInDoubt(entry.record().id())) {
                    byBackend.computeIfAbsent(entry.vnic().attachment().backendId(), k -> new ArrayList<>())
                            .add(entry.vnic());
                }
            }
            for (FabricState.HostEntry host : state.hosts()) {
                for (IoBackend backend : host.backends) {
                    scans.add(new Scan(host.host.id(), backend, byBackend.getOrDefault(backend.id(), List.of())));
                    byBackend.remove(backend.id());
                }
            }
            byBackend.values().forEach(orphans -> orphans.forEach(vnic -> drifts.add(new Drift(vnic.host(),
                    vnic.attachment().backendId(), Drift.Kind.UNREACHABLE, Optional.of(vnic.id()),
                    vnic.attachment().handle(), "the vNIC's backend is not in this fabric; its host cannot be "
                            + "checked"))));
            for (VnicId id : state.inDoubt()) {
                Optional<Vnic> vnic = state.vnic(id).map(VnicEntry::vnic);
                drifts.add(new Drift(vnic.map(Vnic::host).orElse(HostId.of("unknown")),
                        vnic.map(v -> v.attachment().backendId()).orElse(""), Drift.Kind.INTERRUPTED,
                        Optional.of(id), vnic.map(v -> v.attachment().handle()).orElse(""),
                        "an operation on the vNIC stopped half way; repair finishes or undoes it"));
            }
            return state.hosts().size();
        });
        for (Scan scan : scans) {
            List<DiscoveredPort> found;
            try {
                found = scan.backend().discover(scan.host());
            } catch (RuntimeException e) {
                drifts.add(new Drift(scan.host(), scan.backend().id(), Drift.Kind.UNREACHABLE, Optional.empty(), "",
                        String.valueOf(e.getMessage())));
                fabric.events().backendFailed(scan.host(), scan.backend().id(), null,
                        "discover failed: " + e.getMessage());
                continue;
            }
            for (Drift drift : DriftDetector.compare(scan.host(), scan.backend().id(), scan.declared(), found,
                    networks)) {
                boolean changing = drift.vnic().map(id -> state.locked(() -> state.isBusy(id)
                        || state.isInDoubt(id))).orElse(false);
                if (!changing) {
                    drifts.add(drift);
                }
            }
        }
        DriftReport report = new DriftReport(fabric.events().now(), hostCount, drifts);
        Set<String> unexpected = new HashSet<>();
        for (Drift drift : drifts) {
            if (drift.kind() == Drift.Kind.UNEXPECTED) {
                unexpected.add(drift.backendId() + "/" + drift.handle());
                unexpectedSince.putIfAbsent(drift.backendId() + "/" + drift.handle(), report.time());
            }
        }
        unexpectedSince.keySet().retainAll(unexpected);
        if (!report.isClean()) {
            fabric.events().driftFound(report);
        }
        return report;
    }

    List<String> repair(DriftReport report) {
        List<String> actions = new ArrayList<>();
        for (Drift drift : report.drifts()) {
            try {
                actions.add(repair(drift));
            } catch (RuntimeException e) {
                actions.add("failed to repair " + drift.toText() + ": " + e.getMessage());
                fabric.events().backendFailed(drift.host(), drift.backendId(), drift.vnic().orElse(null),
                        "repair failed: " + e.getMessage());
            }
        }
        return actions;
    }

    private String repair(Drift drift) {
        return switch (drift.kind()) {
            case UNREACHABLE -> "skipped " + drift.toText() + ": host unreachable";
            case INTERRUPTED -> resolveInterrupted(drift);
            case UNEXPECTED -> removeUnexpected(drift);
            case MISSING, MISMATCH -> reapply(drift);
        };
    }

    private String resolveInterrupted(Drift drift) {
        VnicId id = drift.vnic().orElseThrow();
        if (!state.locked(() -> state.isInDoubt(id))) {
            return "skipped " + drift.toText() + ": resolved since the report";
        }
        return resolution.resolve(id);
    }

    /** Removes a port no record declares; the backend checks the port is the named vNIC's before it goes. */
    private String removeUnexpected(Drift drift) {
        if (drift.vnic().isEmpty()) {
            return "skipped " + drift.toText() + ": the port names no vNIC, so it is not iov's to remove";
        }
        VnicId owner = drift.vnic().get();
        IoBackend backend = state.locked(() -> {
            Optional<VnicEntry> entry = state.vnic(owner);
            boolean declared = entry.map(e -> e.vnic().attachment().handle().equals(drift.handle())
                    && e.vnic().attachment().backendId().equals(drift.backendId())).orElse(false);
            if (declared || state.isBusy(owner) || state.isInDoubt(owner)) {
                return null;
            }
            return state.backend(drift.backendId()).orElse(null);
        });
        if (backend == null) {
            return "skipped " + drift.toText() + ": no longer unexpected, or the vNIC is being changed";
        }
        if (fabric.records().read(owner).map(r -> references(r.value(), drift)).orElse(false)) {
            // Another management node recorded it after this one read the store.
            return "skipped " + drift.toText() + ": a stored record declares it";
        }
        Instant now = fabric.events().now();
        Instant since = unexpectedSince.getOrDefault(drift.backendId() + "/" + drift.handle(), now);
        Duration unrecorded = Duration.between(since, now);
        if (unrecorded.compareTo(grace) < 0) {
            // Another management node may have made it a moment before its record reaches this one.
            return "skipped " + drift.toText() + ": seen without a record for " + unrecorded.toMillis()
                    + " ms, less than the repair grace of " + grace.toMillis() + " ms";
        }
        backend.detach(Attachment.of(owner, drift.backendId(), drift.handle()));
        return "removed " + drift.handle() + " from " + drift.host();
    }

    private static boolean references(VnicRecord record, Drift drift) {
        boolean current = record.vnic().map(v -> v.attachment().backendId().equals(drift.backendId())
                && v.attachment().handle().equals(drift.handle())).orElse(false);
        return current || record.intent().isPresent();
    }

    /** Re-creates a missing port, or puts a mismatched one back to its record. */
    private String reapply(Drift drift) {
        VnicId id = drift.vnic().orElseThrow();
        String operation = "repair " + id;
        VnicEntry entry = state.locked(() -> {
            Optional<VnicEntry> found = state.vnic(id);
            if (found.isEmpty() || state.isBusy(id) || state.isInDoubt(id)
                    || !found.get().vnic().attachment().handle().equals(drift.handle())) {
                return null;
            }
            state.markBusy(id, found.get().record().spec().network(), operation);
            return found.get();
        });
        if (entry == null) {
            return "skipped " + drift.toText() + ": vNIC changed since the report";
        }
        try {
            Vnic vnic = entry.vnic();
            IoBackend backend = state.locked(() -> state.requireBackend(vnic));
            AttachRequest request = state.locked(() -> fabric.requestFor(vnic));
            boolean missing = drift.kind() == Drift.Kind.MISSING;
            Attachment repaired = missing ? backend.attach(request) : backend.update(vnic.attachment(), request);
            if (!repaired.equals(vnic.attachment())) {
                Vnic updated = new Vnic(vnic.spec(), vnic.host(), vnic.uplink(), vnic.backendKind(), repaired,
                        vnic.addresses());
                VnicRecord record = VnicRecord.attached(updated, entry.record().carried());
                long version;
                try {
                    version = fabric.records().replace(record, entry.version());
                } catch (RuntimeException e) {
                    if (missing) {
                        fabric.detachQuietly(backend, updated, e);
                    }
                    throw e;
                }
                state.locked(() -> state.putVnic(entry.with(record, version)));
            }
            return (missing ? "re-attached " : "updated ") + id + " on " + vnic.host();
        } finally {
            state.locked(() -> state.clearBusy(id));
        }
    }
}
