package dev.iov.infiniband.backend;

import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.VnicId;
import dev.iov.api.net.Guid;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PKey;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.spi.RestoreReport.Missing;
import dev.iov.infiniband.backend.IbLeases.Held;
import dev.iov.infiniband.sm.SubnetMember;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.sriov.backend.VfLease;
import dev.iov.sriov.backend.VfNetlink;
import dev.iov.sriov.backend.VfPool;
import dev.iov.sriov.sysfs.PhysicalFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link InfinibandBackend} does after a restart of the manager: rebuilds the leases the fabric's records
 * describe and checks them at the subnet manager ({@link #restore}), and removes what an attach cut short by the
 * restart may have left ({@link #abandon}). The fabric's records are the source of truth; the lease store, when the
 * backend has a durable one, is brought in line with them.
 */
final class IbRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(IbRecovery.class);

    private final String id;
    private final VfPool pool;
    private final VfNetlink netlink;
    private final IbLeases leases;
    private final IbMemberships memberships;
    private final IbPorts ports;
    private final boolean defaultIndex0;

    IbRecovery(String id, VfPool pool, VfNetlink netlink, IbLeases leases, IbMemberships memberships, IbPorts ports,
            boolean defaultIndex0) {
        this.id = id;
        this.pool = pool;
        this.netlink = netlink;
        this.leases = leases;
        this.memberships = memberships;
        this.ports = ports;
        this.defaultIndex0 = defaultIndex0;
    }

    /**
     * Rebuilds the lease of each record, reserves its VF and checks the subnet manager: the GUID a member of its
     * partition is adopted, otherwise missing (the lease is kept, so a later attach of the vNIC re-adds it). A VF
     * that is gone leaves the lease without a VF (missing; the repair takes another). A lease of the lease store that
     * a record contradicts (another vNIC, VF or partition for the GUID, or another GUID on the VF) is dropped, with a
     * warning; leases no record names are kept, with a warning, until detached or abandoned.
     *
     * @param recorded what the fabric's store records for this backend
     * @return the report
     * @throws IllegalArgumentException naming the value when a record is not one of this backend's; nothing changed
     * @throws BackendException when the subnet manager cannot be read; nothing changed
     */
    RestoreReport restore(List<RecordedAttachment> recorded) {
        List<IbLease> wanted = new ArrayList<>();
        for (RecordedAttachment r : recorded) {
            IbLease lease = IbAttachments.leaseOf(id, r, defaultIndex0);
            if (!memberships.owns(lease.guid())) {
                throw new IllegalArgumentException("attachment " + lease.handle() + " of vNIC '" + lease.vnic()
                        + "': GUID " + lease.guid() + " is outside this backend's range " + memberships.range());
            }
            wanted.add(lease);
        }
        Map<PKey, Set<SubnetMember>> view;
        try {
            view = memberships.view();
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, "restore", "subnet manager", e);
        }
        List<Attachment> adopted = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        Set<String> handles = new HashSet<>();
        for (int i = 0; i < recorded.size(); i++) {
            Attachment a = recorded.get(i).attachment();
            IbLease want = wanted.get(i);
            handles.add(want.handle());
            Optional<String> why;
            try {
                why = restoreOne(want, view);
            } catch (RuntimeException e) {
                throw BackendException.wrap(id, "restore " + a.vnic(), a.handle(), e);
            }
            if (why.isEmpty()) {
                adopted.add(IbAttachments.describe(id, leases.at(want.handle()).orElseThrow().lease()));
            } else {
                missing.add(Missing.of(a, why.get()));
            }
        }
        for (Held other : leases.notIn(handles)) {
            LOG.warn("{}: the lease store holds GUID {} for vNIC '{}', which the fabric's records do not name; it is "
                    + "kept until detached or abandoned", id, other.lease().guid(), other.lease().vnic());
        }
        LOG.info("{}: restored {} lease(s), {} missing", id, adopted.size(), missing.size());
        missing.forEach(m -> LOG.warn("{}: GUID {} of vNIC '{}' is missing: {}", id, m.handle(), m.vnic(), m.reason()));
        return new RestoreReport(adopted, missing);
    }

    /** @return why the recorded lease is not adopted; empty when it is */
    private Optional<String> restoreOne(IbLease want, Map<PKey, Set<SubnetMember>> view) {
        Optional<Held> current = leases.at(want.handle());
        if (current.isPresent() && current.get().restored() && !current.get().lease().vnic().equals(want.vnic())) {
            return Optional.of("GUID " + want.guid() + " is held by vNIC '" + current.get().lease().vnic()
                    + "', whose record names it too");
        }
        Optional<VfLease> vf = pool.find(want.vf().pf(), want.vf().vf());
        IbLease lease = vf.map(want::withVf).orElse(want);
        boolean vfHeld;
        String vfGone = null;
        if (current.isPresent() && current.get().lease().equals(lease)) {
            vfHeld = current.get().vfHeld();
        } else {
            current.ifPresent(stale -> drop(stale, "the fabric's record gives GUID " + want.guid() + " to vNIC '"
                    + want.vnic() + "' on VF " + want.vf().vf() + " of " + want.vf().pf() + " in partition "
                    + want.partition()));
            vfHeld = false;
        }
        if (!vfHeld && vf.isPresent()) {
            Optional<Held> onVf = leases.onVf(want.vf().pf(), want.vf().vf());
            if (onVf.isPresent() && onVf.get().restored()) {
                vfGone = "VF " + want.vf().vf() + " of " + want.vf().pf() + " is held by vNIC '"
                        + onVf.get().lease().vnic() + "', whose record names it too";
            } else {
                onVf.ifPresent(stale -> drop(stale, "the fabric's record puts GUID " + want.guid() + " of vNIC '"
                        + want.vnic() + "' on its VF"));
                vfHeld = pool.reserve(want.vf().pf(), want.vf().vf()).isPresent();
                if (!vfHeld) {
                    vfGone = "VF " + want.vf().vf() + " of " + want.vf().pf() + " is being attached for another vNIC";
                }
            }
        } else if (vf.isEmpty()) {
            vfGone = pool.whyAbsent(want.vf().pf(), want.vf().vf());
        }
        leases.hold(new Held(lease, vfHeld, true));
        if (vfGone != null) {
            return Optional.of(vfGone);
        }
        List<PKey> listing = IbMemberships.listing(view, want.guid());
        if (listing.stream().noneMatch(p -> p.partition() == want.partition().partition())) {
            return Optional.of("GUID " + want.guid() + " is not a member of partition " + want.partition()
                    + " at the subnet manager" + (listing.isEmpty() ? "" : " (it is in " + listing + ")"));
        }
        return Optional.empty();
    }

    private void drop(Held stale, String why) {
        LOG.warn("{}: the lease store gives GUID {} to vNIC '{}' on VF {} of {}, but {}: the lease is dropped", id,
                stale.lease().guid(), stale.lease().vnic(), stale.lease().vf().vf(), stale.lease().vf().pf(), why);
        leases.forget(stale);
    }

    /**
     * Removes what an attach of the request may have left: its lease (when the lease store kept it and no record
     * names it), the GUID's membership in the request's partition, and the GUIDs of any VF that carries it and no
     * lease holds. A GUID outside the owned range, or held by a restored attachment or another vNIC, is not touched.
     *
     * @param request the request of the attach that was cut short
     * @throws BackendException when something was found and could not be removed
     */
    void abandon(AttachRequest request) {
        Optional<Guid> guid = request.addresses().guid();
        if (guid.isEmpty() || !memberships.owns(guid.get())) {
            return;
        }
        VnicId vnic = request.spec().id();
        String operation = "abandon " + vnic;
        Optional<Held> held = leases.at(guid.get().toString());
        try {
            if (held.isPresent()) {
                if (held.get().restored() || !held.get().lease().vnic().equals(vnic)) {
                    LOG.debug("{}: GUID {} is held by vNIC '{}'{}; left alone", id, guid.get(),
                            held.get().lease().vnic(), held.get().restored() ? " (recorded)" : "");
                    return;
                }
                ports.remove(held.get());
                LOG.info("{}: removed the lease, membership and VF GUIDs an attach of vNIC '{}' left (GUID {})", id,
                        vnic, guid.get());
                return;
            }
            if (request.network().kind() == NetworkKind.IB_PARTITION) {
                PKey partition = request.network().pkey().asLimited();
                if (IbMemberships.listing(memberships.view(), guid.get()).contains(partition)) {
                    memberships.remove(partition, guid.get());
                    LOG.info("{}: removed GUID {} of vNIC '{}' from partition {}: its attach was cut short", id,
                            guid.get(), vnic, partition);
                }
            }
            clearVfsCarrying(guid.get(), vnic);
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "GUID " + guid.get(), e);
        }
    }

    private void clearVfsCarrying(Guid guid, VnicId vnic) {
        for (PhysicalFunction pf : pool.physicalFunctions()) {
            InterfaceName netdev = pf.netdev().orElseThrow();
            List<VfInfo> vfs;
            try {
                vfs = netlink.vfs(netdev);
            } catch (LinuxException e) {
                if (Errno.ENODEV.is(e.errno())) {
                    continue;
                }
                throw e;
            }
            for (VfInfo info : vfs) {
                if (!info.portGuid().equals(Optional.of(guid)) && !info.nodeGuid().equals(Optional.of(guid))) {
                    continue;
                }
                if (leases.onVf(pf.address(), info.vf()).isPresent()) {
                    continue; // a lease holds this VF: its GUIDs are that lease's business
                }
                Optional<VfLease> vf = pool.find(pf.address(), info.vf());
                if (vf.isPresent() && ports.clearUnheld(vf.get())) {
                    LOG.info("{}: cleared GUID {} of vNIC '{}' from VF {} of {}: its attach was cut short", id, guid,
                            vnic, info.vf(), netdev);
                }
            }
        }
    }
}
