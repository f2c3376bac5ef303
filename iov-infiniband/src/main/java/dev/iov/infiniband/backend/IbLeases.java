package dev.iov.infiniband.backend;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.PciAddress;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.VersionedValue;
import dev.iov.sriov.backend.VfPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases one {@code infiniband} backend holds — which vNIC holds which port GUID and which VF — with the VFs
 * reserved in its pool, mirrored in the lease store. Subnet managers and HCAs have nowhere to record a vNIC id, so
 * this table is what ownership checks ask. It is filled from the lease store when the backend starts (for users
 * without a fabric that restores) and from the fabric's records by restore, which win where the two disagree: a
 * lease the records contradict is dropped from the store too, so the two are never left disagreeing. Thread-safe.
 */
final class IbLeases {

    private static final Logger LOG = LoggerFactory.getLogger(IbLeases.class);

    /**
     * One lease as the backend holds it.
     *
     * @param lease the lease
     * @param vfHeld true when its VF is reserved in the pool; false when the VF is gone (the lease still owns the
     *     GUID, and a repair gives it another VF)
     * @param restored true when the fabric's records name it (restore): abandon never removes it
     */
    record Held(IbLease lease, boolean vfHeld, boolean restored) {
        Held {
            Objects.requireNonNull(lease, "lease");
        }
    }

    private final String id;
    private final StateStore store;
    private final String keyPrefix;
    private final VfPool pool;
    private final Map<String, Held> byHandle = new HashMap<>();

    /**
     * Loads the leases the store holds and reserves their VFs.
     *
     * @param id the backend's id (the store's keys are under {@code iov/ib-leases/<id>/})
     * @param store the lease store
     * @param pool the backend's VF pool
     * @throws StoreException when a stored lease cannot be read
     */
    IbLeases(String id, StateStore store, VfPool pool) {
        this.id = id;
        this.store = store;
        this.keyPrefix = "iov/ib-leases/" + id + "/";
        this.pool = pool;
        for (Map.Entry<String, VersionedValue> e : store.list(keyPrefix).entrySet()) {
            IbLease lease = IbLeaseCodec.decode(e.getKey(), e.getValue().value());
            boolean vfHeld = pool.reserve(lease.vf().pf(), lease.vf().vf()).isPresent();
            if (!vfHeld) {
                // The VF is gone or outside the selector now; the lease still owns its membership until detached.
                LOG.warn("{}: lease of {} names VF {} of {}, which this backend's pool does not hold", id,
                        lease.vnic(), lease.vf().vf(), lease.vf().pf());
            }
            byHandle.put(lease.handle(), new Held(lease, vfHeld, false));
        }
    }

    /** @return how many leases are held */
    synchronized int size() {
        return byHandle.size();
    }

    /**
     * @param handle a port GUID in text form
     * @return the lease of that GUID
     */
    synchronized Optional<Held> at(String handle) {
        return Optional.ofNullable(byHandle.get(handle));
    }

    /**
     * @param vnic a vNIC
     * @return a lease it holds (a vNIC normally holds one)
     */
    synchronized Optional<Held> of(VnicId vnic) {
        return byHandle.values().stream().filter(h -> h.lease().vnic().equals(vnic)).findFirst();
    }

    /**
     * @param pf a PF's PCI address
     * @param vf a VF number
     * @return the lease whose reserved VF that is
     */
    synchronized Optional<Held> onVf(PciAddress pf, int vf) {
        return byHandle.values().stream().filter(h -> h.vfHeld() && h.lease().vf().pf().equals(pf)
                && h.lease().vf().vf() == vf).findFirst();
    }

    /** @return every lease held, by handle (a copy) */
    synchronized Map<String, Held> all() {
        return new TreeMap<>(byHandle);
    }

    /**
     * Writes a new lease to the store, the attach step before the host is touched, so that a crash after it leaves
     * a record rather than a leak.
     *
     * @param lease the lease
     * @return the version written, for {@link #unwrite}
     */
    long write(IbLease lease) {
        return store.put(key(lease), IbLeaseCodec.encode(lease), StateStore.ABSENT);
    }

    /**
     * Undoes {@link #write}.
     *
     * @param lease the lease
     * @param version the version written
     */
    void unwrite(IbLease lease, long version) {
        store.delete(key(lease), version);
    }

    /**
     * Holds a lease whose VF the caller reserved (attach, restore, a repair onto another VF), writing it to the store
     * unless the store has it as it is.
     *
     * @param held the lease
     */
    synchronized void hold(Held held) {
        byte[] value = IbLeaseCodec.encode(held.lease());
        Optional<VersionedValue> stored = store.get(key(held.lease()));
        if (stored.isEmpty() || !Arrays.equals(stored.get().value(), value)) {
            store.put(key(held.lease()), value, StateStore.ANY_VERSION);
        }
        byHandle.put(held.lease().handle(), held);
    }

    /**
     * Lets a lease go: deleted from the store, its VF back in the pool (when it held one), forgotten.
     *
     * @param held the lease
     */
    synchronized void forget(Held held) {
        store.delete(key(held.lease()), StateStore.ANY_VERSION);
        if (held.vfHeld()) {
            pool.release(held.lease().vf());
        }
        byHandle.remove(held.lease().handle(), held);
    }

    /**
     * @param recorded the handles the fabric's records name
     * @return the leases held that no record names (from the lease store, or attached since without a record)
     */
    synchronized List<Held> notIn(Set<String> recorded) {
        List<Held> others = new ArrayList<>();
        byHandle.forEach((handle, held) -> {
            if (!recorded.contains(handle)) {
                others.add(held);
            }
        });
        return others;
    }

    private String key(IbLease lease) {
        return keyPrefix + lease.handle();
    }

    @Override
    public String toString() {
        return "IbLeases[" + id + "]";
    }
}
