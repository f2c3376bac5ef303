package dev.iov.infiniband.backend;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.infiniband.backend.IbLeases.Held;
import dev.iov.infiniband.partition.Membership;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.infiniband.sm.SubnetMember;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfStats;
import dev.iov.sriov.backend.VfLease;
import dev.iov.sriov.backend.VfNetlink;
import dev.iov.sriov.backend.VfPool;
import dev.iov.sriov.backend.VfSelector;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code infiniband} backend: a vNIC is a virtual function of an InfiniBand HCA, known to the fabric by the port
 * GUID iov gives it and allowed into its network's partition by the subnet manager.
 *
 * <h2>attach (each step undone if a later one fails)</h2>
 * <ol>
 *   <li>Take a free VF from the {@link VfPool} of the HCA PFs the {@link VfSelector} matches.</li>
 *   <li>Write the {@link IbLease} to the lease store (so a crash after the next steps leaves a record, not a leak).</li>
 *   <li>Set the VF's node and port GUID to the vNIC's GUID ({@link VfGuidWriter}).</li>
 *   <li>Add the GUID to the network's partition at the subnet manager, full or limited as configured.</li>
 * </ol>
 * The attachment handle is the port GUID (e.g. {@code 0269:6f00:0000:0001}): it is what the subnet manager shows,
 * so a membership found there maps straight back to its vNIC. Its details carry the lease (PF, VF, P_Key with the
 * membership bit, index0), so that the fabric's record of it is enough to rebuild the lease after a restart.
 * Attaching a vNIC that holds its GUID already (a retry, or the repair of a port reported missing) makes that port
 * right again — on another VF when its own is gone.
 *
 * <h2>detach</h2>
 * The reverse: membership removed, GUIDs cleared, lease deleted, VF back in the pool. A handle without a lease is a
 * membership leaked by a crash: {@link #discover} reports it owned by {@code leaked-<guid>}, and detaching it as that
 * owner removes it from every partition the subnet manager lists it in; that is how {@code Fabric.repair} cleans
 * leaks.
 *
 * <h2>Ownership, restart, leaks and drift</h2>
 * GUIDs in the backend's {@linkplain Builder#ownedGuids owned range} (by default {@link GuidPool}'s default range,
 * the one the fabric allocates from) are iov's; memberships of any other GUID are never changed. Which vNIC holds
 * which GUID is the lease table: after a restart, {@link #restore} rebuilds it from the fabric's records (the source
 * of truth) and checks each GUID at the subnet manager; the lease store, when a durable one is given, is loaded at
 * start for users whose fabric does not restore, and is brought in line with the records when they disagree (see
 * {@link IbRecovery}). {@link #update} and {@link #detach} refuse another vNIC's GUID ({@link OwnershipException}).
 * {@link #discover} reads the subnet manager's view: every member of a partition (other than the default 0x7fff)
 * whose GUID is in the owned range is a port, reported with the partition it is in and the GUID its VF really holds.
 * A member without a lease is owned by {@code leaked-<guid>}, so the fabric's drift report lists it as UNEXPECTED
 * and repair removes it — the "stale GUID in the partition" leak. A lease whose GUID the subnet manager no longer
 * lists is MISSING (repair re-adds it), a GUID in another partition or a VF re-programmed behind iov's back is a
 * MISMATCH (repair re-applies). The membership type is not compared: {@code DiscoveredPort} has no field for it, and
 * update re-applies it anyway.
 *
 * <p>Networks: one InfiniBand partition per vNIC; an update cannot move a vNIC to another partition. Counters are the
 * device's ({@link #countersLiveInProcess()} is false). Thread-safe for different vNICs.
 */
public final class InfinibandBackend implements IoBackend {

    private static final Logger LOG = LoggerFactory.getLogger(InfinibandBackend.class);

    /** Detail key of an {@link Attachment}: the PF's PCI address. */
    public static final String PF = "pf";
    /** Detail key: the PF's netdev (IPoIB). */
    public static final String PF_NETDEV = "pf-netdev";
    /** Detail key: the VF number on the PF. */
    public static final String VF = "vf";
    /** Detail key: the VF's PCI address, to hand to the VM. */
    public static final String VF_PCI = "vf-pci";
    /** Detail key: the partition key the port holds, {@code 0x8001} for a full member. */
    public static final String PKEY = "pkey";
    /** Detail key: whether the partition's key is at index 0 of the port's P_Key table, {@code true}/{@code false}. */
    public static final String INDEX0 = "index0";
    /** The prefix of owners given to memberships without a lease. */
    public static final String LEAKED_PREFIX = "leaked-";

    private final String id;
    private final VfPool pool;
    private final VfNetlink netlink;
    private final IbMemberships memberships;
    private final IbLeases leases;
    private final IbPorts ports;
    private final IbRecovery recovery;
    private final Membership membership;
    private final boolean index0;
    private final AutoCloseable onClose;

    private InfinibandBackend(Builder b) {
        this.id = b.id;
        this.pool = VfPool.of(b.discovery.physicalFunctions(), b.selector);
        this.netlink = b.netlink;
        VfGuidWriter guids = b.guids != null ? b.guids : VfGuidWriter.netlink(b.netlink);
        this.memberships = new IbMemberships(b.subnetManager, b.firstOwned, b.lastOwned);
        this.leases = new IbLeases(id, b.store, pool);
        this.ports = new IbPorts(id, pool, guids, memberships, leases);
        this.recovery = new IbRecovery(id, pool, netlink, leases, memberships, ports, b.index0);
        this.membership = b.membership;
        this.index0 = b.index0;
        this.onClose = b.onClose;
        LOG.info("infiniband backend {}: {} VFs on {} PFs matching {}, {} leases from the lease store, GUIDs by {}",
                id, pool.capacity(), pool.physicalFunctions().size(), b.selector, leases.size(), guids);
    }

    /**
     * @param id the backend's id
     * @return a builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.IB_VF;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.IB_PARTITION, Capability.STATS);
    }

    /** @return the VF pool (read-only use: free count, capacity) */
    public VfPool pool() {
        return pool;
    }

    /** @return the leases held now, by handle (a copy) */
    public Map<String, IbLease> leases() {
        Map<String, IbLease> copy = new TreeMap<>();
        leases.all().forEach((handle, held) -> copy.put(handle, held.lease()));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public Attachment attach(AttachRequest request) {
        VnicId vnic = request.spec().id();
        String operation = "attach " + vnic;
        PKey partition = partitionOf(request, operation);
        Guid guid = request.addresses().guid().orElseThrow(() -> new BackendException(id, operation,
                "the vNIC has no GUID; the fabric allocates one for InfiniBand networks"));
        if (!memberships.owns(guid)) {
            throw new BackendException(id, operation, "GUID " + guid + " is outside this backend's range "
                    + memberships.range() + "; the fabric's GUID pool and the backend must agree");
        }
        Optional<Held> existing = leases.at(guid.toString());
        if (existing.isPresent()) {
            if (!existing.get().lease().vnic().equals(vnic)) {
                throw new OwnershipException(id, operation, "GUID " + guid, vnic, existing.get().lease().vnic());
            }
            return realign(existing.get(), partition, operation);
        }
        Optional<Held> other = leases.of(vnic);
        if (other.isPresent()) {
            throw new BackendException(id, operation, "vNIC '" + vnic + "' holds GUID " + other.get().lease().guid()
                    + " already; GUID " + guid + " would be a second port");
        }
        VfLease vf = pool.allocate().orElseThrow(() -> new BackendException(id, operation,
                "no free VF: all " + pool.capacity() + " VFs of the HCAs this backend uses are attached"));
        IbLease lease = new IbLease(vnic, guid, vf, partition, membership, index0);
        try {
            ports.create(lease);
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, vf.handle(), e);
        }
        LOG.debug("{}: {} is VF {} of {} with GUID {} in partition {} ({})", id, vnic, vf.vf(), vf.pfNetdev(), guid,
                partition, membership.word());
        return IbAttachments.describe(id, lease);
    }

    /** Re-applies the VF's GUID and the membership, and takes the GUID out of any other partition it sits in. */
    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        String operation = "update " + attachment.vnic();
        if (!attachment.vnic().equals(request.spec().id())) {
            throw new OwnershipException(id, operation, "GUID " + attachment.handle(), request.spec().id(),
                    attachment.vnic());
        }
        Held held = requireOwned(attachment, operation);
        Optional<Guid> asked = request.addresses().guid();
        if (asked.isPresent() && !asked.get().equals(held.lease().guid())) {
            throw new BackendException(id, operation, "the request's GUID " + asked.get() + " is not the port's GUID "
                    + held.lease().guid() + "; a new GUID is a detach and an attach");
        }
        return realign(held, partitionOf(request, operation), operation);
    }

    private Attachment realign(Held held, PKey partition, String operation) {
        IbLease lease = held.lease();
        if (partition.partition() != lease.partition().partition()) {
            throw new BackendException(id, operation, "vNIC '" + lease.vnic() + "' is in partition "
                    + lease.partition() + "; moving it to " + partition.asLimited() + " is a detach and an attach");
        }
        try {
            return IbAttachments.describe(id, ports.realign(held).lease());
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, lease.handle(), e);
        }
    }

    @Override
    public void detach(Attachment attachment) {
        String operation = "detach " + attachment.vnic();
        Guid guid = handleGuid(attachment.handle(), operation);
        Optional<Held> held = leases.at(attachment.handle());
        if (held.isEmpty()) {
            detachWithoutLease(attachment, guid, operation);
            return;
        }
        IbLease lease = held.get().lease();
        if (!lease.vnic().equals(attachment.vnic())) {
            throw new OwnershipException(id, operation, "GUID " + guid, attachment.vnic(), lease.vnic());
        }
        try {
            ports.remove(held.get());
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, attachment.handle(), e);
        }
        LOG.debug("{}: detached {} (GUID {}, VF {} of {})", id, lease.vnic(), guid, lease.vf().vf(),
                lease.vf().pfNetdev());
    }

    /**
     * A GUID no lease holds: gone (nothing to do), a leaked membership of iov's (removed when detached as its
     * {@code leaked-} owner), or a port iov did not make (refused).
     */
    private void detachWithoutLease(Attachment attachment, Guid guid, String operation) {
        try {
            List<PKey> listing = IbMemberships.listing(memberships.view(), guid);
            if (listing.isEmpty()) {
                return; // detach of what is not there succeeds
            }
            if (!memberships.owns(guid)) {
                throw new OwnershipException(id, operation, "GUID " + guid, attachment.vnic(), null);
            }
            VnicId leakOwner = leakedOwner(guid);
            if (!attachment.vnic().equals(leakOwner)) {
                throw new OwnershipException(id, operation, "GUID " + guid + " (no lease)", attachment.vnic(),
                        leakOwner);
            }
            for (PKey pkey : memberships.removeEverywhere(guid)) {
                LOG.info("{}: removed leaked membership of GUID {} from partition {}", id, guid, pkey);
            }
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "GUID " + guid, e);
        }
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        String operation = "stats " + attachment.vnic();
        Held held = requireOwned(attachment, operation);
        IbLease lease = held.lease();
        if (!held.vfHeld()) {
            throw new BackendException(id, operation, "the VF of GUID " + lease.guid() + " is gone ("
                    + pool.whyAbsent(lease.vf().pf(), lease.vf().vf()) + ")", Errno.ENODEV.number(), null);
        }
        VfInfo info = vfInfo(lease.vf(), operation).orElseThrow(() -> new BackendException(id, operation,
                "the kernel does not report VF " + lease.vf().vf() + " of " + lease.vf().pfNetdev()));
        VfStats s = info.stats().orElseThrow(() -> new BackendException(id, operation,
                "the driver of " + lease.vf().pfNetdev() + " reports no counters for VF " + lease.vf().vf()));
        return VfNetlink.vmSide(s);
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        Map<PKey, Set<SubnetMember>> view;
        try {
            view = memberships.view();
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, "discover", "subnet manager", e);
        }
        Map<Guid, Set<Integer>> partitionsOf = new TreeMap<>();
        view.forEach((pkey, members) -> {
            for (SubnetMember m : members) {
                if (memberships.owns(m.guid())) {
                    partitionsOf.computeIfAbsent(m.guid(), g -> new TreeSet<>()).add(pkey.partition());
                }
            }
        });
        List<DiscoveredPort> found = new ArrayList<>();
        partitionsOf.forEach((guid, partitions) -> {
            Optional<Held> held = leases.at(guid.toString());
            if (held.isEmpty()) {
                found.add(new DiscoveredPort(guid.toString(), Optional.of(leakedOwner(guid)), Optional.empty(),
                        Optional.of(guid), OptionalInt.of(partitions.iterator().next()), Optional.empty()));
                return;
            }
            IbLease lease = held.get().lease();
            int expected = lease.partition().partition();
            // A GUID in its own partition and in others shows one of the others, so the report sees the difference.
            int shown = partitions.stream().filter(p -> p != expected).findFirst().orElse(expected);
            found.add(new DiscoveredPort(guid.toString(), Optional.of(lease.vnic()), Optional.empty(),
                    Optional.of(vfGuid(held.get()).orElse(guid)), OptionalInt.of(shown), Optional.empty()));
        });
        return found;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each record's lease is rebuilt from the recorded request (vNIC, GUID, partition) and the attachment's
     * details (PF, VF, P_Key, membership, index0), its VF reserved, and its GUID looked up at the subnet manager:
     * a member of the partition is adopted, otherwise it is missing and stays the vNIC's, so that a later attach of
     * the vNIC re-adds it. A VF that is gone is missing too; the repair moves the GUID to another VF.
     *
     * @throws IllegalArgumentException naming the value when a record is not this backend's lease (another
     *     backend, a malformed detail, a GUID outside the owned range); nothing was changed
     */
    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        return recovery.restore(recorded);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Removed: the request's lease when the lease store kept it and no record names it, the request GUID's
     * membership in the request's partition (only a GUID in the owned range that no lease holds), and the GUIDs of
     * any VF that carries it and no lease holds.
     */
    @Override
    public void abandon(AttachRequest request) {
        recovery.abandon(request);
    }

    /** Leaves VFs and memberships as they are (a backend restart must not disturb running VMs). */
    @Override
    public void close() {
        if (onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                LOG.warn("{}: closing: {}", id, e.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private PKey partitionOf(AttachRequest request, String operation) {
        if (request.network().kind() != NetworkKind.IB_PARTITION) {
            throw new BackendException(id, operation, "network '" + request.network().id() + "' is "
                    + request.network().kind() + "; an InfiniBand VF joins IB_PARTITION networks only");
        }
        return request.network().pkey().asLimited();
    }

    private static VnicId leakedOwner(Guid guid) {
        return VnicId.of(LEAKED_PREFIX + String.format("%016x", guid.toLong()));
    }

    private Optional<Guid> vfGuid(Held held) {
        if (!held.vfHeld()) {
            return Optional.empty();
        }
        try {
            return vfInfo(held.lease().vf(), "discover").flatMap(VfInfo::portGuid);
        } catch (BackendException e) {
            LOG.debug("{}: cannot read VF {} of {}: {}", id, held.lease().vf().vf(), held.lease().vf().pfNetdev(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<VfInfo> vfInfo(VfLease vf, String operation) {
        try {
            return netlink.vf(vf.pfNetdev(), vf.vf());
        } catch (LinuxException e) {
            throw BackendException.wrap(id, operation, "cannot read the VFs of " + vf.pfNetdev(), e);
        }
    }

    /** The lease an attachment names, checked to be the attachment's vNIC's. */
    private Held requireOwned(Attachment attachment, String operation) {
        Held held = leases.at(attachment.handle()).orElseThrow(() -> new BackendException(id, operation,
                "no VF with GUID '" + attachment.handle() + "' is attached by this backend", Errno.ENODEV.number(),
                null));
        if (!held.lease().vnic().equals(attachment.vnic())) {
            throw new OwnershipException(id, operation, "GUID " + attachment.handle(), attachment.vnic(),
                    held.lease().vnic());
        }
        return held;
    }

    private Guid handleGuid(String handle, String operation) {
        try {
            return Guid.parse(handle);
        } catch (IllegalArgumentException e) {
            throw new BackendException(id, operation, "handle '" + handle + "' is not a port GUID");
        }
    }

    /** Builds a backend; the host's sysfs, an in-memory lease store and netlink GUIDs unless told otherwise. */
    public static final class Builder {
        private final String id;
        private SriovDiscovery discovery = SriovDiscovery.system();
        private VfSelector selector = VfSelector.any();
        private VfNetlink netlink;
        private VfGuidWriter guids;
        private SubnetManager subnetManager;
        private StateStore store;
        private Membership membership = Membership.FULL;
        private boolean index0;
        private Guid firstOwned = GuidPool.DEFAULT_FIRST;
        private Guid lastOwned = GuidPool.DEFAULT_LAST;
        private AutoCloseable onClose;

        private Builder(String id) {
            if (Objects.requireNonNull(id, "id").isBlank()) {
                throw new IllegalArgumentException("backend id is blank");
            }
            this.id = id;
        }

        /**
         * @param value where the HCA PFs and their VFs are found (a sysfs root)
         * @return this builder
         */
        public Builder discovery(SriovDiscovery value) {
            this.discovery = Objects.requireNonNull(value, "discovery");
            return this;
        }

        /**
         * @param value which PFs to take VFs from (e.g. {@code pf=ib0})
         * @return this builder
         */
        public Builder selector(VfSelector value) {
            this.selector = Objects.requireNonNull(value, "selector");
            return this;
        }

        /**
         * @param value the rtnetlink calls on the PFs (required: VF counters and the GUIDs a VF really holds)
         * @return this builder
         */
        public Builder netlink(VfNetlink value) {
            this.netlink = Objects.requireNonNull(value, "netlink");
            return this;
        }

        /**
         * @param value how VF GUIDs are set; default {@link VfGuidWriter#netlink} over {@link #netlink}
         * @return this builder
         */
        public Builder guidWriter(VfGuidWriter value) {
            this.guids = Objects.requireNonNull(value, "guidWriter");
            return this;
        }

        /**
         * @param value the subnet manager holding the partitions (required)
         * @return this builder
         */
        public Builder subnetManager(SubnetManager value) {
            this.subnetManager = Objects.requireNonNull(value, "subnetManager");
            return this;
        }

        /**
         * @param value where leases are mirrored; default a new in-memory store. The fabric's records are the source
         *     of truth ({@link InfinibandBackend#restore}); a durable lease store helps users whose fabric does not
         *     restore, and is kept in line with the records when it is given
         * @return this builder
         */
        public Builder leaseStore(StateStore value) {
            this.store = Objects.requireNonNull(value, "leaseStore");
            return this;
        }

        /**
         * @param value the membership vNICs get: {@link Membership#FULL} (default; VMs talk to each other) or
         *     {@link Membership#LIMITED} (VMs talk only to full members, e.g. storage targets)
         * @return this builder
         * @throws IllegalArgumentException for {@link Membership#BOTH}
         */
        public Builder membership(Membership value) {
            if (Objects.requireNonNull(value, "membership") == Membership.BOTH) {
                throw new IllegalArgumentException("infiniband backend " + id
                        + ": membership 'both' is a partitions.conf word; a vNIC is a full or a limited member");
            }
            this.membership = value;
            return this;
        }

        /**
         * @param value true to put the partition's key at index 0 of each vNIC's P_Key table (default false)
         * @return this builder
         */
        public Builder index0(boolean value) {
            this.index0 = value;
            return this;
        }

        /**
         * The GUIDs that are iov's (must cover the fabric's GUID pool); memberships of others are never touched.
         *
         * @param first the lowest
         * @param last the highest, not below {@code first}
         * @return this builder
         * @throws IllegalArgumentException when the range is empty or holds only the zero GUID
         */
        public Builder ownedGuids(Guid first, Guid last) {
            GuidPool.ofRange(first, last); // the one range check
            this.firstOwned = first;
            this.lastOwned = last;
            return this;
        }

        /**
         * @param resource closed by {@link InfinibandBackend#close()}, e.g. the netlink socket behind {@link #netlink}
         * @return this builder
         */
        public Builder closing(AutoCloseable resource) {
            this.onClose = Objects.requireNonNull(resource, "resource");
            return this;
        }

        /**
         * @return the backend, with its pool read from sysfs and its leases from the store now
         * @throws IllegalStateException when netlink or the subnet manager is not set
         * @throws dev.iov.api.store.StoreException when a stored lease cannot be read
         */
        public InfinibandBackend build() {
            if (netlink == null) {
                throw new IllegalStateException("infiniband backend " + id + ": netlink is not set");
            }
            if (subnetManager == null) {
                throw new IllegalStateException("infiniband backend " + id + ": subnetManager is not set");
            }
            if (store == null) {
                store = new InMemoryStateStore();
            }
            return new InfinibandBackend(this);
        }
    }
}
