package dev.iov.api.fabric;

import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.spi.IoBackend;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vNIC's counters over its whole life: the segments that are over (earlier hosts, earlier lives of a backend that
 * counts in its own process), kept in its record as {@link VnicRecord#carried()}, plus the live counters of its port.
 * Migration carries the source port's counters when it switches the record; {@link #checkpoint} carries the live
 * counters of {@linkplain IoBackend#countersLiveInProcess in-process} backends when the fabric closes, since their
 * next instance starts from zero.
 */
final class Counters {
    private static final Logger LOG = LoggerFactory.getLogger(Counters.class);

    private final FabricContext fabric;
    private final FabricState state;

    Counters(FabricContext fabric) {
        this.fabric = fabric;
        this.state = fabric.state();
    }

    VnicStats stats(VnicId id) {
        record Read(VnicEntry entry, IoBackend backend) {
        }
        Read read = state.locked(() -> {
            VnicEntry entry = state.requireVnic(id);
            return new Read(entry, state.requireBackend(entry.vnic()));
        });
        return read.entry().record().carried().plus(read.backend().stats(read.entry().vnic().attachment()));
    }

    /** Carries the live counters of in-process backends into the records, before those backends close. */
    void checkpoint() {
        List<VnicEntry> entries = state.locked(() -> state.vnics().stream()
                .filter(e -> !state.isBusy(e.record().id()) && !state.isInDoubt(e.record().id()))
                .filter(e -> state.backend(e.vnic().attachment().backendId())
                        .map(IoBackend::countersLiveInProcess).orElse(false))
                .toList());
        for (VnicEntry entry : entries) {
            Vnic vnic = entry.vnic();
            try {
                VnicStats live = state.locked(() -> state.requireBackend(vnic)).stats(vnic.attachment());
                VnicRecord record = entry.record().withCarried(entry.record().carried().plus(live));
                long version = fabric.records().replace(record, entry.version());
                state.locked(() -> state.putVnic(entry.with(record, version)));
            } catch (RuntimeException e) {
                LOG.warn("close: counters of {} not kept: {}", vnic.id(), e.getMessage());
            }
        }
    }
}
