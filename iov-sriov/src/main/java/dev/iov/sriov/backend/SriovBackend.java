package dev.iov.sriov.backend;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.linux.LinuxException;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VfStats;
import dev.iov.sriov.libvirt.HostdevXml;
import dev.iov.sriov.sysfs.PhysicalFunction;
import dev.iov.sriov.sysfs.SriovControl;
import dev.iov.sriov.sysfs.SriovDiscovery;
import dev.iov.sriov.sysfs.VirtualFunction;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *       the PF netdev, the VF number and the libvirt {@code <interface type='hostdev'>} element.</li>
 * </ol>
 * A failure in any step undoes the earlier ones (driver back, VF reset, VF back in the pool) before the
 * {@link BackendException} is thrown, so a failed attach leaves the host as it was.
 *
 * <h2>detach</h2>
 * Reset the VF so the next tenant inherits nothing — MAC zero, VLAN 0, rates 0, spoof checking on, trust off, link
 * state auto (what a freshly enabled VF has) — give it back to its default driver when this backend bound it to
 * vfio-pci, and return it to the pool.
 *
 * <h2>Discovery and drift</h2>
 * {@link #discover} reads the VFs of every pool PF from the kernel, so a VF re-programmed behind iov's back (with
 * {@code ip link set PF vf N vlan ...}) shows up in the drift report. Hardware has nowhere to record which vNIC a VF
 * belongs to, so ownership is what this backend handed out since it started.
 *
 * <p>Networks: VLAN networks only (the PF tags the VF's traffic); a VXLAN or InfiniBand network is refused. Thread-safe.
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

    private final String id;
    private final VfPool pool;
    private final VfNetlink netlink;
    private final SriovDiscovery discovery;
    private final SriovControl control;
    private final boolean bindVfio;
    private final AutoCloseable onClose;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** A VF this backend handed out: whose it is and which driver to give it back to. */
    private record Held(VfLease lease, VnicId owner, Optional<String> driverBefore) {
    }

    private SriovBackend(Builder b) {
        this.id = b.id;
        this.netlink = b.netlink;
        this.discovery = b.discovery;
        this.control = b.control;
        this.bindVfio = b.bindVfio;
        this.onClose = b.onClose;
        this.pool = VfPool.of(b.discovery.physicalFunctions(), b.selector);
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
        String operation = "attach " + request.spec().id();
        Optional<VlanId> vlan = vlanOf(request, operation);
        VfLease lease = pool.allocate().orElseThrow(() -> new BackendException(id, operation,
                "no free VF: all " + pool.capacity() + " VFs of the PFs this backend uses are attached"));
        boolean programmed = false;
        Optional<String> driverBefore = Optional.empty();
        try {
            send(lease, configFor(lease.vf(), request, vlan), operation);
            programmed = true;
            if (bindVfio) {
                driverBefore = driverOf(lease);
                control.bindToVfio(lease.address());
            }
            held.put(lease.handle(), new Held(lease, request.spec().id(), driverBefore));
            LOG.info("{}: {} is VF {} of {} ({})", id, request.spec().id(), lease.vf(), lease.pfNetdev(),
                    lease.address());
            return attachment(lease, request, vlan);
        } catch (RuntimeException e) {
            if (programmed) {
                undo(e, () -> send(lease, resetConfig(lease.vf()), "reset after a failed attach"));
            }
            pool.release(lease);
            throw BackendException.wrap(id, operation, lease.handle(), e);
        }
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        String operation = "update " + request.spec().id();
        Held h = require(attachment, operation);
        Optional<VlanId> vlan = vlanOf(request, operation);
        try {
            send(h.lease(), configFor(h.lease().vf(), request, vlan), operation);
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, attachment.handle(), e);
        }
        return attachment(h.lease(), request, vlan);
    }

    @Override
    public void detach(Attachment attachment) {
        Held h = held.get(attachment.handle());
        if (h == null) {
            return; // already detached: detach is idempotent
        }
        String operation = "detach " + h.owner();
        try {
            send(h.lease(), resetConfig(h.lease().vf()), operation);
            if (bindVfio) {
                // Clear the override and let the kernel pick the VF's driver, as after boot; only when that is not
                // the driver it had before does an override pin the old one.
                Optional<String> now = control.releaseToDefaultDriver(h.lease().address());
                if (h.driverBefore().isPresent() && !now.equals(h.driverBefore())) {
                    control.bindDriver(h.lease().address(), h.driverBefore().get());
                }
            }
        } catch (RuntimeException e) {
            // The VF stays held (not reusable) so nobody inherits a half-reset VF; a retry of detach repeats it.
            throw BackendException.wrap(id, operation, attachment.handle(), e);
        }
        held.remove(attachment.handle());
        pool.release(h.lease());
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        Held h = require(attachment, "stats");
        VfInfo info = vfInfo(h.lease(), "stats").orElseThrow(() -> new BackendException(id, "stats",
                "the kernel does not report VF " + h.lease().vf() + " of " + h.lease().pfNetdev()));
        VfStats s = info.stats().orElseThrow(() -> new BackendException(id, "stats",
                "the driver of " + h.lease().pfNetdev() + " reports no counters for VF " + h.lease().vf()));
        return VfNetlink.vmSide(s);
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        List<DiscoveredPort> ports = new ArrayList<>();
        Map<String, VnicId> owners = new LinkedHashMap<>();
        held.forEach((handle, h) -> owners.put(handle, h.owner()));
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

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        throw new UnsupportedOperationException("restore: issue 17, in progress");
    }

    @Override
    public void abandon(AttachRequest request) {
        throw new UnsupportedOperationException("abandon: issue 17, in progress");
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
        return Optional.of(VlanId.of(request.network().segment()));
    }

    private static VfConfig configFor(int vf, AttachRequest request, Optional<VlanId> vlan) {
        VfConfig.Builder b = VfConfig.forVf(vf)
                .mac(request.addresses().mac().or(request.spec()::mac).orElse(MacAddress.ZERO))
                .maxTxRate(wholeMbps(request.effectiveMaxRate().orElse(Bandwidth.ZERO)))
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
        return VfConfig.forVf(vf).mac(MacAddress.ZERO).noVlan().minTxRate(Bandwidth.ZERO).maxTxRate(Bandwidth.ZERO)
                .spoofCheck(true).trust(false).linkState(VfLinkState.AUTO).build();
    }

    /** VF rates are whole Mbit/s in the kernel's API; a finer limit is rounded up so it is never exceeded less. */
    private static Bandwidth wholeMbps(Bandwidth rate) {
        long mbps = (rate.bitsPerSecond() + 999_999) / 1_000_000;
        return Bandwidth.ofMbps(mbps);
    }

    private Attachment attachment(VfLease lease, AttachRequest request, Optional<VlanId> vlan) {
        Optional<MacAddress> mac = request.addresses().mac().or(request.spec()::mac);
        Map<String, String> details = new LinkedHashMap<>();
        details.put(PCI, lease.address().toString());
        details.put(PF, lease.pfNetdev().value());
        details.put(VF, Integer.toString(lease.vf()));
        // libvirt sets MAC and VLAN itself from this element when it starts the VM, so they are the same values.
        details.put(LIBVIRT_XML, HostdevXml.hostdevInterface(lease.address(), mac, vlan, 0));
        return new Attachment(request.spec().id(), id, lease.handle(), details);
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

    /** The VF's driver now (sysfs is read again: the pool's view is from startup). */
    private Optional<String> driverOf(VfLease lease) {
        return discovery.physicalFunction(lease.pf()).flatMap(pf -> pf.virtualFunction(lease.vf()))
                .flatMap(VirtualFunction::driver);
    }

    private Held require(Attachment attachment, String operation) {
        Held h = held.get(attachment.handle());
        if (h == null) {
            throw new BackendException(id, operation, "no VF '" + attachment.handle() + "' is attached by this backend");
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
