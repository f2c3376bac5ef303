package dev.iov.sriov.backend;

import dev.iov.api.model.VnicId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which vNIC holds which VF of one {@code sriov} backend: hardware has nowhere to record a VF's owner, so this table
 * (filled by attach, and after a restart by restore from the fabric's records) is what ownership checks ask. A vNIC
 * holds at most one VF and a VF has at most one holder. Thread-safe.
 */
final class HeldVfs {

    /**
     * One VF and its holder.
     *
     * @param lease the VF
     * @param owner the vNIC it was attached for
     * @param driverBefore the driver the VF had before the attach bound it to vfio-pci, to give it back on detach;
     *     empty when the attach changed no driver or the VF had none
     */
    record Held(VfLease lease, VnicId owner, Optional<String> driverBefore) {
        Held {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(driverBefore, "driverBefore");
        }
    }

    private final Map<String, Held> byHandle = new HashMap<>();
    private final Map<VnicId, Held> byVnic = new HashMap<>();

    /**
     * @param handle a VF handle ({@code <pf-pci>/vf<N>})
     * @return who holds that VF
     */
    synchronized Optional<Held> at(String handle) {
        return Optional.ofNullable(byHandle.get(handle));
    }

    /**
     * @param vnic a vNIC
     * @return the VF it holds
     */
    synchronized Optional<Held> of(VnicId vnic) {
        return Optional.ofNullable(byVnic.get(vnic));
    }

    /**
     * Records a holder, unless the VF or the vNIC is taken.
     *
     * @param held the VF and its holder
     * @return empty when recorded (or already recorded as it is); otherwise the entry in the way
     */
    synchronized Optional<Held> hold(Held held) {
        Held atHandle = byHandle.get(held.lease().handle());
        if (atHandle != null) {
            return atHandle.equals(held) ? Optional.empty() : Optional.of(atHandle);
        }
        Held ofVnic = byVnic.get(held.owner());
        if (ofVnic != null) {
            return Optional.of(ofVnic);
        }
        byHandle.put(held.lease().handle(), held);
        byVnic.put(held.owner(), held);
        return Optional.empty();
    }

    /**
     * Forgets a holder; nothing happens when the entry is not (or no longer) this one.
     *
     * @param held the entry to forget
     */
    synchronized void release(Held held) {
        if (byHandle.remove(held.lease().handle(), held)) {
            byVnic.remove(held.owner(), held);
        }
    }

    /** @return handle to owner, sorted by handle (a copy) */
    synchronized Map<String, VnicId> owners() {
        Map<String, VnicId> owners = new TreeMap<>();
        byHandle.forEach((handle, held) -> owners.put(handle, held.owner()));
        return owners;
    }
}
