package dev.iov.sriov.backend;

import dev.iov.api.net.PciAddress;
import dev.iov.sriov.sysfs.PhysicalFunction;
import dev.iov.sriov.sysfs.VirtualFunction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The VFs one backend may hand out: the enabled VFs of the PFs its {@link VfSelector} matches, each at most once.
 * Thread-safe; allocation is O(PFs) and takes the lowest free VF of the PF with the most free VFs, which spreads
 * vNICs over PFs (and their uplinks) instead of filling one PF first. A PF without a netdev cannot be programmed
 * and contributes no VFs.
 */
public final class VfPool {

    private final List<Pf> pfs;

    private VfPool(List<Pf> pfs) {
        this.pfs = pfs;
    }

    /**
     * @param discovered the PFs found on the host
     * @param selector which of them to use
     * @return a pool over their enabled VFs, none allocated
     */
    public static VfPool of(List<PhysicalFunction> discovered, VfSelector selector) {
        List<Pf> pfs = new ArrayList<>();
        for (PhysicalFunction pf : discovered) {
            if (selector.matches(pf) && pf.netdev().isPresent() && !pf.virtualFunctions().isEmpty()) {
                pfs.add(new Pf(pf));
            }
        }
        pfs.sort(Comparator.comparing(p -> p.function.address()));
        return new VfPool(List.copyOf(pfs));
    }

    /** @return a free VF, now allocated; empty when none is free */
    public synchronized Optional<VfLease> allocate() {
        Pf best = null;
        for (Pf pf : pfs) {
            if (pf.free() > 0 && (best == null || pf.free() > best.free())) {
                best = pf;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int slot = best.used.nextClearBit(0);
        best.used.set(slot);
        return Optional.of(best.lease(slot));
    }

    /**
     * Marks a VF as in use, for VFs already handed out before this pool existed (a restart).
     *
     * @param pf the PF's PCI address
     * @param vf the VF number
     * @return the lease, or empty when the pool does not have that VF or it is already in use
     */
    public synchronized Optional<VfLease> reserve(PciAddress pf, int vf) {
        Pf p = pf(pf);
        int slot = p == null ? -1 : p.slotOf(vf);
        if (slot < 0 || p.used.get(slot)) {
            return Optional.empty();
        }
        p.used.set(slot);
        return Optional.of(p.lease(slot));
    }

    /**
     * Looks a VF up without allocating it, e.g. to check a recorded VF before reserving it.
     *
     * @param pf the PF's PCI address
     * @param vf the VF number
     * @return the VF, free or in use; empty when the pool does not have it ({@link #whyAbsent} says why)
     */
    public Optional<VfLease> find(PciAddress pf, int vf) {
        Pf p = pf(pf);
        int slot = p == null ? -1 : p.slotOf(vf);
        return slot < 0 ? Optional.empty() : Optional.of(p.lease(slot));
    }

    /**
     * Says, for a person reading a restore report, why {@link #find} does not find a VF: its PF is not one of the
     * pool's (gone from the host, without a netdev, or no longer matched by the selector), or the PF has fewer VFs
     * enabled now.
     *
     * @param pf the PF's PCI address
     * @param vf the VF number
     * @return the reason
     */
    public String whyAbsent(PciAddress pf, int vf) {
        Pf p = pf(pf);
        if (p == null) {
            return "PF " + pf + " is not one of the PFs this backend takes VFs from "
                    + pfs.stream().map(q -> q.function.address().toString()).toList()
                    + ": it is gone from the host, has no netdev, or the selector no longer matches it";
        }
        if (p.slotOf(vf) >= 0) {
            return "VF " + vf + " of PF " + pf + " is there";
        }
        return "VF " + vf + " of PF " + pf + " (" + p.function.netdev().orElseThrow() + ") is not enabled: the PF has "
                + p.vfs.size() + " VF(s) enabled now " + p.vfs.stream().map(VirtualFunction::index).toList();
    }

    /**
     * @param lease a lease from this pool
     * @return true when it was allocated and is now free
     */
    public synchronized boolean release(VfLease lease) {
        Pf p = pf(lease.pf());
        int slot = p == null ? -1 : p.slotOf(lease.vf());
        if (slot >= 0 && p.used.get(slot)) {
            p.used.clear(slot);
            return true;
        }
        return false;
    }

    /** @return the PFs the pool draws from, in PCI address order */
    public List<PhysicalFunction> physicalFunctions() {
        return pfs.stream().map(p -> p.function).toList();
    }

    /** @return how many VFs are free */
    public synchronized int free() {
        return pfs.stream().mapToInt(Pf::free).sum();
    }

    /** @return how many VFs the pool has in all */
    public int capacity() {
        return pfs.stream().mapToInt(p -> p.vfs.size()).sum();
    }

    private Pf pf(PciAddress address) {
        for (Pf p : pfs) {
            if (p.function.address().equals(address)) {
                return p;
            }
        }
        return null;
    }

    /** One PF's VFs, in index order, and which are in use (guarded by the pool's lock). */
    private static final class Pf {
        final PhysicalFunction function;
        final List<VirtualFunction> vfs;
        final BitSet used = new BitSet();

        Pf(PhysicalFunction function) {
            this.function = function;
            this.vfs = function.virtualFunctions();
        }

        int free() {
            return vfs.size() - used.cardinality();
        }

        int slotOf(int vf) {
            for (int i = 0; i < vfs.size(); i++) {
                if (vfs.get(i).index() == vf) {
                    return i;
                }
            }
            return -1;
        }

        VfLease lease(int slot) {
            VirtualFunction vf = vfs.get(slot);
            return new VfLease(function.address(), function.netdev().orElseThrow(), vf.index(), vf.address());
        }
    }
}
