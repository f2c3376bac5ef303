package dev.iov.api.fabric;

import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import java.util.Objects;
import java.util.Optional;

/**
 * A vNIC's record in the state store: what was asked for and the addresses it holds, where it is attached (absent
 * while it is being provisioned), the {@link Intent} of an operation under way, and the counters of the segments of
 * its life that are over (earlier hosts, earlier lives of an in-process backend), which {@code Fabric.stats} adds to
 * the live ones.
 *
 * @param spec what was asked for
 * @param addresses its MAC or GUID
 * @param vnic the vNIC as attached, empty until its first attach is recorded
 * @param intent the operation under way, if any
 * @param carried counters of closed segments
 */
record VnicRecord(VnicSpec spec, VnicAddresses addresses, Optional<Vnic> vnic, Optional<Intent> intent,
        VnicStats carried) {

    VnicRecord {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(vnic, "vnic");
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(carried, "carried");
        if (vnic.isEmpty() && intent.map(i -> i.kind() != Intent.Kind.PROVISION).orElse(true)) {
            throw new IllegalArgumentException("vNIC record '" + spec.id() + "' without an attachment must be a "
                    + "provision in progress");
        }
        if (vnic.isPresent() && !vnic.get().spec().equals(spec)) {
            throw new IllegalArgumentException("vNIC record '" + spec.id() + "' holds two specs");
        }
    }

    /** A vNIC being provisioned: nothing attached yet. */
    static VnicRecord provisioning(VnicSpec spec, VnicAddresses addresses, Intent intent) {
        return new VnicRecord(spec, addresses, Optional.empty(), Optional.of(intent), VnicStats.ZERO);
    }

    /** A vNIC attached, with no operation under way. */
    static VnicRecord attached(Vnic vnic, VnicStats carried) {
        return new VnicRecord(vnic.spec(), vnic.addresses(), Optional.of(vnic), Optional.empty(), carried);
    }

    VnicId id() {
        return spec.id();
    }

    /** @return the attached vNIC; only for records that have one */
    Vnic attachedVnic() {
        return vnic.orElseThrow(() -> new IllegalStateException("vNIC '" + id() + "' is not attached yet"));
    }

    VnicRecord with(Intent newIntent) {
        return new VnicRecord(spec, addresses, vnic, Optional.of(newIntent), carried);
    }

    VnicRecord withoutIntent() {
        return new VnicRecord(spec, addresses, vnic, Optional.empty(), carried);
    }

    VnicRecord withCarried(VnicStats newCarried) {
        return new VnicRecord(spec, addresses, vnic, intent, newCarried);
    }
}
