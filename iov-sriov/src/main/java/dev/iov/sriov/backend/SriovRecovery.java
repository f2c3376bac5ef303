package dev.iov.sriov.backend;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.spi.RestoreReport.Missing;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.sriov.backend.HeldVfs.Held;
import dev.iov.sriov.sysfs.PhysicalFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link SriovBackend} does after a restart of the manager: takes back the VFs the fabric's records name
 * ({@link #restore}) and cleans up after an attach whose record was never written ({@link #abandon}). The host is
 * the judge of what is there — the VF at the recorded address, over netlink, carrying the vNIC's MAC — and the
 * records are the judge of whose it is, since a VF has nowhere to keep its owner.
 */
final class SriovRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SriovRecovery.class);

    private final String id;
    private final VfPool pool;
    private final VfNetlink netlink;
    private final HeldVfs held;
    private final VfioBinding binding;

    SriovRecovery(String id, VfPool pool, VfNetlink netlink, HeldVfs held, VfioBinding binding) {
        this.id = id;
        this.pool = pool;
        this.netlink = netlink;
        this.held = held;
        this.binding = binding;
    }

    /**
     * Reserves each recorded VF for its vNIC and checks it on the host. A VF carrying the vNIC's MAC is adopted (a
     * VLAN or rate that differs is drift the fabric reports and repairs); a VF that is gone, or carries another MAC
     * or none, is missing, and when it exists it stays reserved for its vNIC so that a repair re-programs it.
     *
     * @param recorded what the fabric's store records for this backend
     * @return the report
     * @throws IllegalArgumentException naming the value when a record is not one of this backend's; nothing changed
     * @throws BackendException when the kernel cannot be asked; nothing was reserved
     */
    RestoreReport restore(List<RecordedAttachment> recorded) {
        List<VfHandle> handles = new ArrayList<>();
        for (RecordedAttachment r : recorded) {
            if (!r.attachment().backendId().equals(id)) {
                throw new IllegalArgumentException("sriov backend '" + id + "' cannot restore attachment "
                        + r.attachment().handle() + " of vNIC '" + r.attachment().vnic() + "': it was made by backend '"
                        + r.attachment().backendId() + "'");
            }
            handles.add(VfHandle.parse(r.attachment().handle()));
        }
        List<Held> reservedHere = new ArrayList<>();
        Map<InterfaceName, Optional<List<VfInfo>>> vfsByPf = new HashMap<>();
        List<Attachment> adopted = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        try {
            for (int i = 0; i < recorded.size(); i++) {
                RecordedAttachment r = recorded.get(i);
                Attachment a = r.attachment();
                Optional<Held> mine = claim(a, handles.get(i), reservedHere, missing);
                if (mine.isEmpty()) {
                    continue;
                }
                Optional<String> why = check(mine.get().lease(), a, r.request(), vfsByPf);
                if (why.isPresent()) {
                    missing.add(Missing.of(a, why.get()));
                } else {
                    adopted.add(VfAttachments.describe(id, a.vnic(), mine.get().lease(),
                            VfAttachments.macOf(r.request()), VfAttachments.vlanOf(r.request()),
                            mine.get().driverBefore()));
                }
            }
        } catch (RuntimeException e) {
            for (Held h : reservedHere) {
                held.release(h);
                pool.release(h.lease());
            }
            throw BackendException.wrap(id, "restore", "", e);
        }
        LOG.info("{}: restored {} VF(s), {} missing", id, adopted.size(), missing.size());
        missing.forEach(m -> LOG.warn("{}: {} of vNIC '{}' is missing: {}", id, m.handle(), m.vnic(), m.reason()));
        return new RestoreReport(adopted, missing);
    }

    /**
     * Reserves the recorded VF for the record's vNIC (or finds it reserved for it already: restoring twice changes
     * nothing); adds a missing entry instead when it cannot be.
     */
    private Optional<Held> claim(Attachment a, VfHandle handle, List<Held> reservedHere, List<Missing> missing) {
        Optional<Held> current = held.at(a.handle());
        if (current.isPresent()) {
            if (current.get().owner().equals(a.vnic())) {
                return current;
            }
            missing.add(Missing.of(a, "VF " + a.handle() + " is held by vNIC '" + current.get().owner()
                    + "', whose record names it too"));
            return Optional.empty();
        }
        Optional<VfLease> lease = pool.find(handle.pf(), handle.vf());
        if (lease.isEmpty()) {
            missing.add(Missing.of(a, pool.whyAbsent(handle.pf(), handle.vf())));
            return Optional.empty();
        }
        Optional<Held> other = held.of(a.vnic());
        if (other.isPresent()) {
            missing.add(Missing.of(a, "vNIC '" + a.vnic() + "' holds VF " + other.get().lease().handle()
                    + " already"));
            return Optional.empty();
        }
        if (pool.reserve(handle.pf(), handle.vf()).isEmpty()) {
            missing.add(Missing.of(a, "VF " + a.handle() + " is being attached for another vNIC"));
            return Optional.empty();
        }
        Held mine = new Held(lease.get(), a.vnic(), VfAttachments.driverBefore(a));
        held.hold(mine);
        reservedHere.add(mine);
        return Optional.of(mine);
    }

    /** @return why the VF is not the recorded vNIC's port on the host; empty when it is */
    private Optional<String> check(VfLease lease, Attachment a, AttachRequest request,
            Map<InterfaceName, Optional<List<VfInfo>>> vfsByPf) {
        String recordedPci = a.details().get(SriovBackend.PCI);
        if (recordedPci != null && !recordedPci.equals(lease.address().toString())) {
            return Optional.of("VF " + lease.vf() + " of PF " + lease.pf() + " is at " + lease.address()
                    + " now; the record says " + recordedPci);
        }
        Optional<List<VfInfo>> vfs = vfsByPf.computeIfAbsent(lease.pfNetdev(), this::vfsOf);
        if (vfs.isEmpty()) {
            return Optional.of("the PF's netdev " + lease.pfNetdev() + " is gone");
        }
        Optional<VfInfo> info = vfs.get().stream().filter(v -> v.vf() == lease.vf()).findFirst();
        if (info.isEmpty()) {
            return Optional.of("the kernel does not list VF " + lease.vf() + " of " + lease.pfNetdev());
        }
        Optional<MacAddress> want = VfAttachments.macOf(request);
        Optional<MacAddress> have = info.get().mac();
        if (have.equals(want)) {
            return Optional.empty();
        }
        String vf = "VF " + lease.vf() + " of " + lease.pfNetdev();
        String wanted = want.map(m -> "the vNIC's " + m).orElse("none");
        return Optional.of(have.isEmpty() ? vf + " carries no MAC (reset?), the vNIC's is " + want.orElseThrow()
                : vf + " carries MAC " + have.get() + ", not " + wanted);
    }

    /** @return the PF's VFs; empty when its netdev is gone (ENODEV) */
    private Optional<List<VfInfo>> vfsOf(InterfaceName pf) {
        try {
            return Optional.of(netlink.vfs(pf));
        } catch (LinuxException e) {
            if (Errno.ENODEV.is(e.errno())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Resets every VF of the pool's PFs that carries the request's MAC and that nobody holds (a restored attachment
     * or one attached since), as detach resets it, and takes it off vfio-pci.
     *
     * @param request the request of the attach that was cut short
     * @throws BackendException when such a VF cannot be read or reset
     */
    void abandon(AttachRequest request) {
        Optional<MacAddress> mac = VfAttachments.macOf(request);
        if (mac.isEmpty()) {
            return; // a VF is found by its MAC; an attach without one left nothing to find
        }
        VnicId vnic = request.spec().id();
        String operation = "abandon " + vnic;
        for (PhysicalFunction pf : pool.physicalFunctions()) {
            InterfaceName netdev = pf.netdev().orElseThrow();
            Optional<List<VfInfo>> vfs;
            try {
                vfs = vfsOf(netdev);
            } catch (LinuxException e) {
                throw BackendException.wrap(id, operation, "cannot read the VFs of " + netdev, e);
            }
            for (VfInfo info : vfs.orElse(List.of())) {
                if (info.mac().equals(mac)) {
                    abandonVf(pf, info.vf(), vnic, operation);
                }
            }
        }
    }

    private void abandonVf(PhysicalFunction pf, int vf, VnicId vnic, String operation) {
        String handle = pf.address() + "/vf" + vf;
        Optional<Held> holder = held.at(handle);
        if (holder.isPresent()) {
            LOG.debug("{}: {} carries the MAC of vNIC '{}' but is held by '{}'; left alone", id, handle, vnic,
                    holder.get().owner());
            return;
        }
        // Reserved while it is reset, so that no attach takes it half-way.
        Optional<VfLease> lease = pool.reserve(pf.address(), vf);
        if (lease.isEmpty()) {
            return; // not one of the pool's VFs, or an attach in progress has it
        }
        try {
            netlink.setVf(lease.get().pfNetdev(), SriovBackend.resetConfig(vf));
            boolean released = binding.releaseIfBound(lease.get());
            LOG.info("{}: reset VF {} of {}, left with the MAC of vNIC '{}' by an attach cut short{}", id, vf,
                    lease.get().pfNetdev(), vnic, released ? ", and took it off vfio-pci" : "");
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "VF " + vf + " of " + lease.get().pfNetdev(), e);
        } finally {
            pool.release(lease.get());
        }
    }
}
