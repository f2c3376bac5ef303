package dev.iov.sriov.backend;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VfStats;
import dev.iov.sriov.backend.HeldVfs.Held;
import dev.iov.sriov.sysfs.PhysicalFunction;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sriov} backend: a vNIC is a virtual function of a physical NIC, handed to the VM whole.
 *
 * <h2>attach</h2>
 * <ol>
 *   <li>Take a free VF from the {@link VfPool} (the PFs its {@link VfSelector} matches).</li>
 *   <li>Program it through the PF over rtnetlink, in one request: the vNIC's MAC, the network's VLAN, the max rate
 *       (min rate too when asked), spoof checking and trust.</li>
 *   <li>With {@code vfio} on, bind it to {@code vfio-pci} so it can be passed to a VM.</li>
 *   <li>Return an attachment whose handle is {@code <pf-pci>/vf<N>} and whose details carry the VF's PCI address,
 *       the PF netdev, the VF number, the libvirt {@code <interface type='hostdev'>} element and the driver the VF
 *       had before the vfio-pci bind ({@value #DRIVER_BEFORE}).</li>
 * </ol>
 * A failure in any step undoes the earlier ones (driver back, VF reset, VF back in the pool) before the
 * {@link BackendException} is thrown, so a failed attach leaves the host as it was. Attaching a vNIC that holds a VF
 * already (a retry, or the repair of a VF reported missing) programs that VF again.
 *
 * <h2>detach</h2>
 * Reset the VF so the next tenant inherits nothing — MAC zero, VLAN 0, rates 0, spoof checking on, trust off, link
 * state auto (what a freshly enabled VF has) — give it back to the driver it had when this backend bound it to
 * vfio-pci, and return it to the pool.
 *
 * <h2>Ownership and restart</h2>
 * Hardware has nowhere to record which vNIC a VF belongs to, so the fabric's store is the record: ownership is what
 * this backend handed out since it started, plus what {@link #restore} took back from the fabric's records after a
 * restart (the VF at the recorded handle and PCI address, adopted when it carries the vNIC's MAC, otherwise reported
 * missing and kept reserved for its vNIC). {@link #update} and {@link #detach} refuse a VF another vNIC holds
 * ({@link OwnershipException}); detaching a VF nobody holds does nothing. {@link #abandon} resets a VF nobody holds
 * that carries the MAC of an attach cut short by the restart. The driver a VF had before its vfio-pci bind travels
 * in the attachment's details, so a detach after a restart still gives it back.
 *
 * <h2>Discovery and drift</h2>
 * {@link #discover} reads the VFs of every pool PF from the kernel, so a VF re-programmed behind iov's back (with
 * {@code ip link set PF vf N vlan ...}) shows up in the drift report.
 *
 * <p>Networks: VLAN networks only (the PF tags the VF's traffic); a VXLAN or InfiniBand network is refused. Counters
 * are the device's ({@link #countersLiveInProcess()} is false). Thread-safe for different vNICs.
 */
public final class SriovBackend implements IoBackend {

    private static final Logger LOG = LoggerFactory.getLogger(SriovBackend.class);

    /** Detail keys of an {@link Attachment}. */
    public static final String PCI = "pci";
    /** The PF's netdev. */
    public static final String PF = "pf";
    /** The VF number on the PF. */
    public static final String VF = "vf";
    /** The libvirt {@code <interface type='hostdev'>} element. */
    public static final String LIBVIRT_XML = "libvirt-xml";
    /** The driver the VF had before the attach bound it to vfio-pci; absent when it had none or vfio is off. */
    public static final String DRIVER_BEFORE = "driver-before";

    private final String id;
    private final VfPool pool;
    private final VfNetlink netlink;
    private final VfioBinding binding;
    private final HeldVfs held = new HeldVfs();
    private final SriovRecovery recovery;
    private final AutoCloseable onClose;

    private SriovBackend(Builder b) {
        this.id = b.id;
        this.netlink = b.netlink;
        this.binding = new VfioBinding(b.bindVfio, b.discovery, b.control);
        this.onClose = b.onClose;
        this.pool = VfPool.of(b.discovery.physicalFunctions(), b.selector);
        this.recovery = new SriovRecovery(id, pool, netlink, held, binding);
        LOG.info("sriov backend {}: {} VFs on {} PFs matching {}", id, pool.capacity(),
                pool.physicalFunctions().size(), b.selector);
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
        return BackendKind.SRIOV_VF;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.VLAN, Capability.MAX_RATE, Capability.MIN_RATE, Capability.SPOOF_CHECK,
                Capability.TRUST, Capability.STATS);
    }

    /** @return the VF pool (read-only use: free count, capacity) */
    public VfPool pool() {
        return pool;
    }

    @Override
    public Attachment attach(AttachRequest request) {
        VnicId vnic = request.spec().id();
        String operation = "attach " + vnic;
        Optional<VlanId> vlan = vlanOf(request, operation);
        Optional<Held> mine = held.of(vnic);
        if (mine.isPresent()) {
            return reprogram(mine.get(), request, vlan, operation);
        }
        VfLease lease = pool.allocate().orElseThrow(() -> new BackendException(id, operation,
                "no free VF: all " + pool.capacity() + " VFs of the PFs this backend uses are attached"));
        boolean programmed = false;
        boolean bound = false;
        Optional<String> driverBefore = Optional.empty();
        try {
            send(lease, configFor(lease.vf(), request, vlan), operation);
            programmed = true;
            driverBefore = binding.bind(lease);
            bound = true;
            Held h = new Held(lease, vnic, driverBefore);
            Optional<Held> inTheWay = held.hold(h);
            if (inTheWay.isPresent()) {
                throw new BackendException(id, operation, "vNIC '" + vnic + "' was given VF "
                        + inTheWay.get().lease().handle() + " by a concurrent attach");
            }
            LOG.debug("{}: {} is VF {} of {} ({})", id, vnic, lease.vf(), lease.pfNetdev(), lease.address());
            return describe(h, request, vlan);
        } catch (RuntimeException e) {
            if (bound) {
                Optional<String> before = driverBefore;
                undo(e, () -> binding.giveBack(lease, before));
            }
            if (programmed) {
                undo(e, () -> send(lease, resetConfig(lease.vf()), "reset after a failed attach"));
            }
            pool.release(lease);
            throw BackendException.wrap(id, operation, lease.handle(), e);
        }
    }

    /** The attach of a vNIC that holds a VF already: that VF is programmed (and bound) again. */
    private Attachment reprogram(Held h, AttachRequest request, Optional<VlanId> vlan, String operation) {
        try {
            send(h.lease(), configFor(h.lease().vf(), request, vlan), operation);
            binding.bind(h.lease());
        } catch (RuntimeException e) {
            // The VF stays the vNIC's: it held it before this call and still does.
            throw BackendException.wrap(id, operation, h.lease().handle(), e);
        }
        LOG.debug("{}: programmed VF {} of {} again for {}", id, h.lease().vf(), h.lease().pfNetdev(), h.owner());
        return describe(h, request, vlan);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        String operation = "update " + attachment.vnic();
        if (!attachment.vnic().equals(request.spec().id())) {
            throw new OwnershipException(id, operation, "VF " + attachment.handle(), request.spec().id(),
                    attachment.vnic());
        }
        Held h = requireOwned(attachment, operation);
        Optional<VlanId> vlan = vlanOf(request, operation);
        try {
            send(h.lease(), configFor(h.lease().vf(), request, vlan), operation);
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, attachment.handle(), e);
        }
        return describe(h, request, vlan);
    }

    @Override
    public void detach(Attachment attachment) {
        Optional<Held> found = held.at(attachment.handle());
        if (found.isEmpty()) {
            return; // nobody holds it: detached already, or never iov's to touch; detach is idempotent
        }
        Held h = found.get();
        String operation = "detach " + attachment.vnic();
        if (!h.owner().equals(attachment.vnic())) {
            throw new OwnershipException(id, operation, "VF " + attachment.handle(), attachment.vnic(), h.owner());
        }
        try {
            send(h.lease(), resetConfig(h.lease().vf()), operation);
            binding.giveBack(h.lease(), h.driverBefore());
        } catch (RuntimeException e) {
            // The VF stays held (not reusable) so nobody inherits a half-reset VF; a retry of detach repeats it.
            throw BackendException.wrap(id, operation, attachment.handle(), e);
        }
        held.release(h);
        pool.release(h.lease());
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        String operation = "stats " + attachment.vnic();
        Held h = requireOwned(attachment, operation);
        VfInfo info = vfInfo(h.lease(), operation).orElseThrow(() -> new BackendException(id, operation,
                "the kernel does not report VF " + h.lease().vf() + " of " + h.lease().pfNetdev()));
        VfStats s = info.stats().orElseThrow(() -> new BackendException(id, operation,
                "the driver of " + h.lease().pfNetdev() + " reports no counters for VF " + h.lease().vf()));
        return VfNetlink.vmSide(s);
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        List<DiscoveredPort> ports = new ArrayList<>();
        Map<String, VnicId> owners = held.owners();
        for (PhysicalFunction pf : pool.physicalFunctions()) {
            List<VfInfo> vfs;
            try {
                vfs = netlink.vfs(pf.netdev().orElseThrow());
            } catch (LinuxException e) {
                throw BackendException.wrap(id, "discover", "cannot read the VFs of " + pf.netdev().orElseThrow(),
                        e);
            }
            for (VfInfo info : vfs) {
                String handle = pf.address() + "/vf" + info.vf();
                VnicId owner = owners.get(handle);
                if (owner == null && info.mac().isEmpty() && info.vlan().isEmpty()) {
                    continue; // a free, reset VF is not a port
                }
                ports.add(new DiscoveredPort(handle, Optional.ofNullable(owner), info.mac(), Optional.empty(),
                        OptionalInt.of(info.vlan().map(VlanId::value).orElse(0)), Optional.of(info.maxTxRate())));
            }
        }
        return ports;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each record names a VF ({@code <pf-pci>/vf<N>}, its PCI address in the details). It is reserved in the
     * pool for its vNIC and checked over netlink: carrying the vNIC's MAC, it is adopted (a VLAN or rate that differs
     * is drift for the fabric to report and repair); gone (fewer VFs enabled, PF gone) or carrying another MAC or
     * none, it is missing, and where it exists it stays reserved for that vNIC.
     *
     * @throws IllegalArgumentException naming the handle when a record is not this backend's or not a VF handle;
     *     nothing was reserved
     */
    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        return recovery.restore(recorded);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A VF of the pool's PFs that nobody holds and that carries the request's MAC is reset as detach resets it
     * and, with vfio on, taken off vfio-pci (to the kernel's default driver: what it had before the cut-short attach
     * was never recorded).
     */
    @Override
    public void abandon(AttachRequest request) {
        recovery.abandon(request);
    }

    /** Leaves every VF as it is (a backend restart must not disturb running VMs) and releases the netlink socket. */
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

    private Optional<VlanId> vlanOf(AttachRequest request, String operation) {
        if (request.network().kind() != NetworkKind.VLAN) {
            throw new BackendException(id, operation, "network '" + request.network().id() + "' is "
                    + request.network().kind() + "; an SR-IOV VF joins VLAN networks only");
        }
        return VfAttachments.vlanOf(request);
    }

    private static VfConfig configFor(int vf, AttachRequest request, Optional<VlanId> vlan) {
        VfConfig.Builder b = VfConfig.forVf(vf);
        VfAttachments.macOf(request).ifPresentOrElse(b::mac, b::clearMac);
        b.maxTxRate(wholeMbps(request.effectiveMaxRate().orElse(Bandwidth.ZERO)))
                .minTxRate(wholeMbps(request.spec().minRate().orElse(Bandwidth.ZERO)))
                .spoofCheck(request.spec().spoofCheck())
                .trust(request.spec().trust());
        if (vlan.isPresent()) {
            b.vlan(vlan.get());
        } else {
            b.noVlan();
        }
        return b.build();
    }

    /** What a VF is reset to on detach: the state of a freshly enabled VF. */
    static VfConfig resetConfig(int vf) {
        return VfConfig.forVf(vf).clearMac().noVlan().minTxRate(Bandwidth.ZERO).maxTxRate(Bandwidth.ZERO)
                .spoofCheck(true).trust(false).linkState(VfLinkState.AUTO).build();
    }

    /** VF rates are whole Mbit/s in the kernel's API; a finer limit is rounded up so it is never exceeded less. */
    private static Bandwidth wholeMbps(Bandwidth rate) {
        long mbps = (rate.bitsPerSecond() + 999_999) / 1_000_000;
        return Bandwidth.ofMbps(mbps);
    }

    private Attachment describe(Held h, AttachRequest request, Optional<VlanId> vlan) {
        return VfAttachments.describe(id, h.owner(), h.lease(), VfAttachments.macOf(request), vlan, h.driverBefore());
    }

    private void send(VfLease lease, VfConfig config, String operation) {
        try {
            netlink.setVf(lease.pfNetdev(), config);
        } catch (LinuxException e) {
            throw BackendException.wrap(id, operation, "the kernel refused VF " + lease.vf() + " of "
                    + lease.pfNetdev(), e);
        }
    }

    private Optional<VfInfo> vfInfo(VfLease lease, String operation) {
        try {
            return netlink.vf(lease.pfNetdev(), lease.vf());
        } catch (LinuxException e) {
            throw BackendException.wrap(id, operation, "cannot read the VFs of " + lease.pfNetdev(), e);
        }
    }

    /** The VF an attachment names, checked to be held by the attachment's vNIC. */
    private Held requireOwned(Attachment attachment, String operation) {
        Held h = held.at(attachment.handle()).orElseThrow(() -> new BackendException(id, operation,
                "no VF '" + attachment.handle() + "' is attached by this backend", Errno.ENODEV.number(), null));
        if (!h.owner().equals(attachment.vnic())) {
            throw new OwnershipException(id, operation, "VF " + attachment.handle(), attachment.vnic(), h.owner());
        }
        return h;
    }

    private void undo(RuntimeException cause, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: undo failed: {}", id, e.toString());
            cause.addSuppressed(e);
        }
    }

    /** Builds a backend; the host's sysfs and netlink unless told otherwise. */
    public static final class Builder {
        private final String id;
        private SriovDiscovery discovery = SriovDiscovery.system();
        private SriovControl control = SriovControl.system();
        private VfNetlink netlink;
        private VfSelector selector = VfSelector.any();
        private boolean bindVfio;
        private AutoCloseable onClose;

        private Builder(String id) {
            if (Objects.requireNonNull(id, "id").isBlank()) {
                throw new IllegalArgumentException("backend id is blank");
            }
            this.id = id;
        }

        /**
         * @param discovery where PFs and VFs are found (a sysfs root)
         * @param control how VFs are bound to drivers (the same sysfs root)
         * @return this builder
         */
        public Builder sysfs(SriovDiscovery discovery, SriovControl control) {
            this.discovery = Objects.requireNonNull(discovery, "discovery");
            this.control = Objects.requireNonNull(control, "control");
            return this;
        }

        /**
         * @param value the rtnetlink calls (required)
         * @return this builder
         */
        public Builder netlink(VfNetlink value) {
            this.netlink = Objects.requireNonNull(value, "netlink");
            return this;
        }

        /**
         * @param value which PFs to take VFs from
         * @return this builder
         */
        public Builder selector(VfSelector value) {
            this.selector = Objects.requireNonNull(value, "selector");
            return this;
        }

        /**
         * @param value bind attached VFs to vfio-pci (and back on detach)
         * @return this builder
         */
        public Builder bindVfio(boolean value) {
            this.bindVfio = value;
            return this;
        }

        /**
         * @param resource closed by {@link SriovBackend#close()}, e.g. the netlink socket behind {@link #netlink}
         * @return this builder
         */
        public Builder closing(AutoCloseable resource) {
            this.onClose = Objects.requireNonNull(resource, "resource");
            return this;
        }

        /** @return the backend, with its pool read from sysfs now */
        public SriovBackend build() {
            if (netlink == null) {
                throw new IllegalStateException("sriov backend " + id + ": netlink is not set");
            }
            return new SriovBackend(this);
        }
    }
}
