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
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.VersionedValue;
import dev.iov.infiniband.partition.Membership;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.infiniband.sm.SubnetMember;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfStats;
import dev.iov.sriov.backend.VfLease;
import dev.iov.sriov.backend.VfNetlink;
import dev.iov.sriov.backend.VfPool;
import dev.iov.sriov.backend.VfSelector;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
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
 * so a membership found there maps straight back to its vNIC.
 *
 * <h2>detach</h2>
 * The reverse: membership removed, GUIDs cleared, lease deleted, VF back in the pool. A handle without a lease (a
 * membership leaked by a crash, or by another management node before a restore) is removed from every partition the
 * subnet manager lists it in; that is how {@code Fabric.repair} cleans leaks.
 *
 * <h2>Ownership, leaks and drift</h2>
 * GUIDs in the backend's {@linkplain Builder#ownedGuids owned range} (by default {@link GuidPool}'s default range,
 * the one the fabric allocates from) are iov's; nobody else may use them. {@link #discover} reads the subnet
 * manager's view: every member of a partition (other than the default 0x7fff) whose GUID is in that range is a port,
 * reported with the partition it is in and the GUID its VF really holds. A member without a lease is reported as
 * owned by {@code leaked-<guid>}, so the fabric's drift report lists it as UNEXPECTED and repair removes it — the
 * "stale GUID in the partition" leak. A lease whose GUID the subnet manager no longer lists is MISSING (repair
 * re-adds it), a GUID in another partition or a VF re-programmed behind iov's back is a MISMATCH (repair re-applies).
 * The membership type is not compared: {@code DiscoveredPort} has no field for it, and update re-applies it anyway.
 *
 * <p>Leases live in a {@link StateStore} given to the builder; with the default in-memory store a restart forgets
 * which vNIC holds which GUID, and the drift report then names every existing membership {@code leaked-…}. Use a
 * durable store (the fabric's journal) in production. Thread-safe.
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
    /** The prefix of owners given to memberships without a lease. */
    public static final String LEAKED_PREFIX = "leaked-";

    private static final int DEFAULT_PARTITION = 0x7fff;

    private final String id;
    private final VfPool pool;
    private final VfNetlink netlink;
    private final VfGuidWriter guids;
    private final SubnetManager subnetManager;
    private final StateStore store;
    private final String keyPrefix;
    private final Membership membership;
    private final boolean index0;
    private final Guid firstOwned;
    private final Guid lastOwned;
    private final AutoCloseable onClose;
    private final Map<String, IbLease> leases = new ConcurrentHashMap<>();

    private InfinibandBackend(Builder b) {
        this.id = b.id;
        this.pool = VfPool.of(b.discovery.physicalFunctions(), b.selector);
        this.netlink = b.netlink;
        this.guids = b.guids != null ? b.guids : VfGuidWriter.netlink(b.netlink);
        this.subnetManager = b.subnetManager;
        this.store = b.store;
        this.keyPrefix = "iov/ib-leases/" + id + "/";
        this.membership = b.membership;
        this.index0 = b.index0;
        this.firstOwned = b.firstOwned;
        this.lastOwned = b.lastOwned;
        this.onClose = b.onClose;
        restoreLeases();
        LOG.info("infiniband backend {}: {} VFs on {} PFs matching {}, {} leases restored, GUIDs by {}", id,
                pool.capacity(), pool.physicalFunctions().size(), b.selector, leases.size(), guids);
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
        return Map.copyOf(leases);
    }

    @Override
    public Attachment attach(AttachRequest request) {
        String operation = "attach " + request.spec().id();
        PKey partition = partitionOf(request, operation);
        Guid guid = request.addresses().guid().orElseThrow(() -> new BackendException(id, operation,
                "the vNIC has no GUID; the fabric allocates one for InfiniBand networks"));
        requireOwned(guid, operation);
        IbLease existing = leases.get(guid.toString());
        if (existing != null) {
            if (!existing.vnic().equals(request.spec().id())) {
                throw new BackendException(id, operation, "GUID " + guid + " is held by vNIC '" + existing.vnic()
                        + "'");
            }
            // Re-attaching what is already ours (repair of a MISSING port): make the VF and membership right again.
            return update(attachment(existing), request);
        }
        VfLease vf = pool.allocate().orElseThrow(() -> new BackendException(id, operation,
                "no free VF: all " + pool.capacity() + " VFs of the HCAs this backend uses are attached"));
        IbLease lease = new IbLease(request.spec().id(), guid, vf, partition, membership, index0);
        String key = keyPrefix + lease.handle();
        long version = StateStore.ABSENT;
        boolean assigned = false;
        try {
            version = store.put(key, IbLeaseCodec.encode(lease), StateStore.ABSENT);
            guids.assign(vf, guid);
            assigned = true;
            subnetManager.addMembers(partition, List.of(member(lease)));
        } catch (RuntimeException e) {
            if (assigned) {
                undo(e, () -> guids.clear(vf));
            }
            if (version != StateStore.ABSENT) {
                long written = version;
                undo(e, () -> store.delete(key, written));
            }
            pool.release(vf);
            throw failure(operation, vf.handle(), e);
        }
        leases.put(lease.handle(), lease);
        LOG.info("{}: {} is VF {} of {} with GUID {} in partition {} ({})", id, lease.vnic(), vf.vf(),
                vf.pfNetdev(), guid, partition, membership.word());
        return attachment(lease);
    }

    /** Re-applies the VF's GUID and the membership, and takes the GUID out of any other partition it sits in. */
    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        String operation = "update " + request.spec().id();
        IbLease lease = require(attachment, operation);
        PKey partition = partitionOf(request, operation);
        if (partition.partition() != lease.partition().partition()) {
            throw new BackendException(id, operation, "vNIC '" + lease.vnic() + "' is in partition "
                    + lease.partition() + "; moving it to " + partition.asLimited() + " is a detach and an attach");
        }
        try {
            guids.assign(lease.vf(), lease.guid());
            subnetManager.addMembers(lease.partition(), List.of(member(lease)));
            for (PKey other : partitionsListing(lease.guid())) {
                if (other.partition() != lease.partition().partition()) {
                    subnetManager.removeMembers(other, List.of(lease.guid()));
                }
            }
        } catch (RuntimeException e) {
            throw failure(operation, attachment.handle(), e);
        }
        return attachment(lease);
    }

    @Override
    public void detach(Attachment attachment) {
        Guid guid = handleGuid(attachment.handle(), "detach");
        IbLease lease = leases.get(attachment.handle());
        if (lease == null) {
            removeLeakedMembership(guid);
            return;
        }
        String operation = "detach " + lease.vnic();
        try {
            subnetManager.removeMembers(lease.partition(), List.of(guid));
            guids.clear(lease.vf());
            store.delete(keyPrefix + lease.handle(), StateStore.ANY_VERSION);
        } catch (RuntimeException e) {
            // The lease stays: the VF is not reusable while it may still carry the GUID; a retry repeats every step.
            throw failure(operation, attachment.handle(), e);
        }
        leases.remove(attachment.handle());
        pool.release(lease.vf());
        LOG.info("{}: detached {} (GUID {}, VF {} of {})", id, lease.vnic(), guid, lease.vf().vf(),
                lease.vf().pfNetdev());
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        IbLease lease = require(attachment, "stats");
        VfInfo info = vfInfo(lease.vf(), "stats").orElseThrow(() -> new BackendException(id, "stats",
                "the kernel does not report VF " + lease.vf().vf() + " of " + lease.vf().pfNetdev()));
        VfStats s = info.stats().orElseThrow(() -> new BackendException(id, "stats",
                "the driver of " + lease.vf().pfNetdev() + " reports no counters for VF " + lease.vf().vf()));
        return VfNetlink.vmSide(s);
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        Map<Guid, Set<Integer>> partitionsOf = new TreeMap<>();
        Map<PKey, Set<SubnetMember>> view;
        try {
            view = subnetManager.partitions();
        } catch (RuntimeException e) {
            throw failure("discover", "subnet manager", e);
        }
        view.forEach((pkey, members) -> {
            if (pkey.partition() == DEFAULT_PARTITION) {
                return; // every port is in the default partition; it says nothing about a vNIC
            }
            for (SubnetMember m : members) {
                if (isOwned(m.guid())) {
                    partitionsOf.computeIfAbsent(m.guid(), g -> new TreeSet<>()).add(pkey.partition());
                }
            }
        });
        List<DiscoveredPort> ports = new ArrayList<>();
        partitionsOf.forEach((guid, partitions) -> {
            IbLease lease = leases.get(guid.toString());
            if (lease == null) {
                ports.add(new DiscoveredPort(guid.toString(), Optional.of(leakedOwner(guid)), Optional.empty(),
                        Optional.of(guid), OptionalInt.of(partitions.iterator().next()), Optional.empty()));
                return;
            }
            int expected = lease.partition().partition();
            // A GUID in its own partition and in others shows one of the others, so the report sees the difference.
            int shown = partitions.stream().filter(p -> p != expected).findFirst().orElse(expected);
            ports.add(new DiscoveredPort(guid.toString(), Optional.of(lease.vnic()), Optional.empty(),
                    Optional.of(vfGuid(lease).orElse(guid)), OptionalInt.of(shown), Optional.empty()));
        });
        return ports;
    }

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        throw new UnsupportedOperationException("restore: issue 17, in progress");
    }

    @Override
    public void abandon(AttachRequest request) {
        throw new UnsupportedOperationException("abandon: issue 17, in progress");
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

    private void restoreLeases() {
        for (Map.Entry<String, VersionedValue> e : store.list(keyPrefix).entrySet()) {
            IbLease lease = IbLeaseCodec.decode(e.getKey(), e.getValue().value());
            if (pool.reserve(lease.vf().pf(), lease.vf().vf()).isEmpty()) {
                // The VF is gone or outside the selector now; the lease still owns its membership until detached.
                LOG.warn("{}: lease of {} names VF {} of {}, which this backend's pool does not hold", id,
                        lease.vnic(), lease.vf().vf(), lease.vf().pf());
            }
            leases.put(lease.handle(), lease);
        }
    }

    private PKey partitionOf(AttachRequest request, String operation) {
        if (request.network().kind() != NetworkKind.IB_PARTITION) {
            throw new BackendException(id, operation, "network '" + request.network().id() + "' is "
                    + request.network().kind() + "; an InfiniBand VF joins IB_PARTITION networks only");
        }
        return request.network().pkey().asLimited();
    }

    private void requireOwned(Guid guid, String operation) {
        if (!isOwned(guid)) {
            throw new BackendException(id, operation, "GUID " + guid + " is outside this backend's range "
                    + firstOwned + " to " + lastOwned + "; the fabric's GUID pool and the backend must agree");
        }
    }

    private boolean isOwned(Guid guid) {
        return guid.compareTo(firstOwned) >= 0 && guid.compareTo(lastOwned) <= 0;
    }

    private SubnetMember member(IbLease lease) {
        return SubnetMember.of(lease.guid(), lease.membership(), lease.index0());
    }

    private List<PKey> partitionsListing(Guid guid) {
        List<PKey> found = new ArrayList<>();
        subnetManager.partitions().forEach((pkey, members) -> {
            if (pkey.partition() != DEFAULT_PARTITION && members.stream().anyMatch(m -> m.guid().equals(guid))) {
                found.add(pkey);
            }
        });
        return found;
    }

    private void removeLeakedMembership(Guid guid) {
        if (!isOwned(guid)) {
            return; // not iov's: never touched, and detach of what is not there succeeds
        }
        try {
            for (PKey pkey : partitionsListing(guid)) {
                subnetManager.removeMembers(pkey, List.of(guid));
                LOG.info("{}: removed leaked membership of GUID {} from partition {}", id, guid, pkey);
            }
        } catch (RuntimeException e) {
            throw failure("detach", guid.toString(), e);
        }
    }

    private static VnicId leakedOwner(Guid guid) {
        return VnicId.of(LEAKED_PREFIX + String.format("%016x", guid.toLong()));
    }

    private Optional<Guid> vfGuid(IbLease lease) {
        try {
            return vfInfo(lease.vf(), "discover").flatMap(VfInfo::portGuid);
        } catch (BackendException e) {
            LOG.debug("{}: cannot read VF {} of {}: {}", id, lease.vf().vf(), lease.vf().pfNetdev(), e.getMessage());
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

    private Attachment attachment(IbLease lease) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put(PF, lease.vf().pf().toString());
        details.put(PF_NETDEV, lease.vf().pfNetdev().value());
        details.put(VF, Integer.toString(lease.vf().vf()));
        details.put(VF_PCI, lease.vf().address().toString());
        PKey held = lease.membership() == Membership.FULL ? lease.partition().asFull() : lease.partition();
        details.put(PKEY, held.toString());
        return new Attachment(lease.vnic(), id, lease.handle(), details);
    }

    private IbLease require(Attachment attachment, String operation) {
        IbLease lease = leases.get(attachment.handle());
        if (lease == null) {
            throw new BackendException(id, operation, "no VF with GUID '" + attachment.handle()
                    + "' is attached by this backend");
        }
        return lease;
    }

    private Guid handleGuid(String handle, String operation) {
        try {
            return Guid.parse(handle);
        } catch (IllegalArgumentException e) {
            throw new BackendException(id, operation, "handle '" + handle + "' is not a port GUID");
        }
    }

    private BackendException failure(String operation, String what, RuntimeException e) {
        return BackendException.wrap(id, operation, what, e);
    }

    private void undo(RuntimeException cause, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: undo failed: {}", id, e.toString());
            cause.addSuppressed(e);
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
         * @param value where leases are kept; default a new in-memory store (see the class comment)
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
