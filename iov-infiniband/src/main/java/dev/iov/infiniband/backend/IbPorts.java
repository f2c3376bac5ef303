package dev.iov.infiniband.backend;

import dev.iov.api.spi.BackendException;
import dev.iov.api.store.StateStore;
import dev.iov.infiniband.backend.IbLeases.Held;
import dev.iov.sriov.backend.VfLease;
import dev.iov.sriov.backend.VfPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vNIC's InfiniBand port as the steps that make it: the lease recorded, the VF's GUIDs set, the GUID a member of
 * its partition at the subnet manager. Each operation completes or undoes the steps it did before throwing; the
 * failures it throws are the lower layers' (kernel, store, subnet manager), for the backend to wrap.
 */
final class IbPorts {

    private static final Logger LOG = LoggerFactory.getLogger(IbPorts.class);

    private final String id;
    private final VfPool pool;
    private final VfGuidWriter guids;
    private final IbMemberships memberships;
    private final IbLeases leases;

    IbPorts(String id, VfPool pool, VfGuidWriter guids, IbMemberships memberships, IbLeases leases) {
        this.id = id;
        this.pool = pool;
        this.guids = guids;
        this.memberships = memberships;
        this.leases = leases;
    }

    /**
     * Makes a new port: lease written, GUIDs set, membership added; the lease is held afterwards. On failure every
     * step is undone and the lease's VF, which the caller allocated, goes back to the pool.
     *
     * @param lease the lease, on a VF allocated for it
     * @return the held lease
     */
    Held create(IbLease lease) {
        long version = StateStore.ABSENT;
        boolean touched = false;
        try {
            version = leases.write(lease);
            touched = true; // the GUIDs are several writes: a failure part-way leaves some set
            guids.assign(lease.vf(), lease.guid());
            memberships.add(lease);
            Held held = new Held(lease, true, false);
            leases.hold(held);
            return held;
        } catch (RuntimeException e) {
            if (touched) {
                undo(e, () -> guids.clear(lease.vf()));
            }
            if (version != StateStore.ABSENT) {
                long written = version;
                undo(e, () -> leases.unwrite(lease, written));
            }
            pool.release(lease.vf());
            throw e;
        }
    }

    /**
     * Makes an existing port what its lease says again: GUIDs set, membership right and in no other partition. A
     * lease whose VF is gone gets another VF from the pool first; if a later step fails, that VF is cleared and
     * given back and the lease is as before.
     *
     * @param held the lease
     * @return the lease held afterwards (on another VF, when it had none)
     */
    Held realign(Held held) {
        if (held.vfHeld()) {
            guids.assign(held.lease().vf(), held.lease().guid());
            memberships.join(held.lease());
            return held;
        }
        VfLease vf = pool.allocate().orElseThrow(() -> new BackendException(id, "repair " + held.lease().vnic(),
                "the VF of GUID " + held.lease().guid() + " is gone and no other VF is free"));
        Held moved = new Held(held.lease().withVf(vf), true, held.restored());
        boolean written = false;
        try {
            leases.hold(moved);
            written = true;
            guids.assign(vf, moved.lease().guid());
            memberships.join(moved.lease());
            LOG.info("{}: GUID {} of vNIC '{}' moved to VF {} of {}: its VF was gone", id, moved.lease().guid(),
                    moved.lease().vnic(), vf.vf(), vf.pfNetdev());
            return moved;
        } catch (RuntimeException e) {
            undo(e, () -> guids.clear(vf));
            if (written) {
                undo(e, () -> leases.hold(held));
            }
            pool.release(vf);
            throw e;
        }
    }

    /**
     * Removes a port: membership, GUIDs (when its VF is there), lease; its VF goes back to the pool. On failure the
     * lease stays, so the VF is not reused while it may still carry the GUID; repeating the call repeats every step.
     *
     * @param held the lease
     */
    void remove(Held held) {
        IbLease lease = held.lease();
        memberships.remove(lease.partition(), lease.guid());
        if (held.vfHeld()) {
            guids.clear(lease.vf());
        }
        leases.forget(held);
    }

    /**
     * Clears the GUIDs of a VF no lease holds (an attach cut short), reserving it meanwhile.
     *
     * @param vf the VF
     * @return true when it was free and was cleared
     */
    boolean clearUnheld(VfLease vf) {
        if (pool.reserve(vf.pf(), vf.vf()).isEmpty()) {
            return false;
        }
        try {
            guids.clear(vf);
            return true;
        } finally {
            pool.release(vf);
        }
    }

    private void undo(RuntimeException cause, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: undo failed: {}", id, e.toString());
            cause.addSuppressed(e);
        }
    }
}
