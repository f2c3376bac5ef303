package dev.iov.ethernet.javaswitch;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.ethernet.javaswitch.TapTable.Entry;
import dev.iov.ethernet.javaswitch.TapTable.Port;
import dev.iov.ethernet.javaswitch.TapTable.Reserved;
import dev.iov.ethernet.port.PortDevice;
import dev.iov.ethernet.port.PortStats;
import dev.iov.ethernet.port.SwitchEngine;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanMode;
import dev.iov.ethernet.switching.VlanSet;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.NoSuchDeviceException;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.TapDevice;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VxlanSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code java-switch} backend: every vNIC is a TAP port of one embedded Java switch ({@link SwitchEngine}),
 * kind {@link BackendKind#VSWITCH_PORT}.
 *
 * <p>{@link #attach} creates a TAP named {@code iov} + 8 hex digits of the vNIC id's CRC-32 (11 bytes, a valid
 * {@link InterfaceName}), in the namespace its {@link TapPlacement} names, marks it with its owner in the interface
 * alias ({@code iov:<backend-id>:<vnic-id>}, see {@code ip link show}), makes it persistent, gives its network device
 * the vNIC's MAC and the network's MTU and brings it up (that device is the VM's NIC), and adds it to the switch as
 * an {@link VlanMode#ACCESS access} port in the network's VLAN, with port security allowing only the vNIC's MAC
 * (unless the spec turns the spoof check off or trusts the VM) and ingress policing at
 * {@link AttachRequest#effectiveMaxRate()} with a burst of a tenth of a second of traffic (at least 128 kbit), which
 * keeps TCP near the rate without letting a long burst through. The handle is the TAP name.
 *
 * <h2>Restart</h2>
 * The TAPs are persistent ({@link Builder#persistentTaps}): {@link #close()} stops the switch and closes its
 * descriptors, but the VMs' NICs stay (without carrier) and keep their mark. A new backend given the recorded
 * attachments ({@link #restore}) finds each TAP by name in the namespace the attachment names, adopts it only when
 * its alias marks it for that vNIC (anything else is reported missing and not touched), reopens it (never creating
 * one) and rebuilds its switch port from the recorded request. The switch's counters and MAC table lived in the old
 * process and start again ({@link #countersLiveInProcess()}). A missing TAP's name stays reserved for its vNIC: no
 * other vNIC gets it, an {@link #attach} of that vNIC re-creates it, a {@link #detach} releases it. {@link #discover}
 * also reports TAPs that carry this backend's mark but are no port of the switch (left by an attach cut short, or
 * by a manager that was not restored), with the owner from the mark, and {@link #detach} and {@link #abandon} remove
 * them. A TAP marked for another vNIC, or not marked by this backend, is never changed or deleted
 * ({@link OwnershipException}).
 *
 * <p>An uplink, if configured, is an {@code AF_PACKET} socket on a named interface, added as a trunk port carrying
 * every VLAN (VLAN tags stripped by the kernel on receive are restored, see {@link dev.iov.linux.FrameBatch}). The
 * uplink interface should have TSO/GSO off on whatever sends into it, since a packet socket receives a segmentation
 * offload super-frame as one frame, too long for the switch's receive slot (counted as an rx error). The uplink may
 * also be a kernel VXLAN device the backend creates ({@link Builder#vxlanUplink}): tagged frames then cross the
 * tunnel, one VNI for all VLANs.
 *
 * <p>Thread-safe: changes (attach, update, detach, restore, abandon, discover) are serialised on the backend; switch
 * changes run on the switch's forwarding thread; counters are read without waiting for a change in progress.
 */
public final class JavaSwitchBackend implements IoBackend {

    private static final Logger LOG = LoggerFactory.getLogger(JavaSwitchBackend.class);
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(
            Capability.VLAN, Capability.MAX_RATE, Capability.SPOOF_CHECK, Capability.TRUST, Capability.STATS,
            Capability.MIRROR));
    /** The attachment detail naming the TAP's namespace (empty for the backend's own). */
    private static final String NAMESPACE = "namespace";

    private final String id;
    private final SwitchEngine engine;
    private final TapPlacement placement;
    private final MarkedTaps taps;
    private final TapTable table;
    /** Serialises changes: a name is checked and taken in one step, and no namespace is released under a reader. */
    private final Object lock = new Object();
    private boolean closed;
    private final AtomicBoolean closedVxlan = new AtomicBoolean();
    private final OptionalInt uplinkPort;
    /** The VXLAN device this backend created as its uplink, deleted again by {@link #close()}; null for none. */
    private final VxlanSpec createdVxlan;
    private final NetworkNamespace uplinkNamespace;

    private JavaSwitchBackend(Builder b) {
        this.id = b.id;
        this.placement = b.placement;
        this.taps = new MarkedTaps(b.id, b.persistentTaps);
        this.table = new TapTable(b.id);
        this.uplinkNamespace = b.uplinkNamespace;
        this.engine = SwitchEngine.builder(b.id.replace('/', '-')).maxPorts(b.maxPorts).start();
        OptionalInt uplink = OptionalInt.empty();
        boolean vxlanCreated = false;
        if (b.uplink != null) {
            PacketSocket socket = null;
            try {
                if (b.vxlan != null) {
                    createVxlan(b.vxlan, b.uplinkNamespace);
                    vxlanCreated = true;
                }
                socket = b.uplinkNamespace == null ? PacketSocket.open(b.uplink.value())
                        : PacketSocket.open(b.uplink.value(), b.uplinkNamespace);
                uplink = OptionalInt.of(engine.addPort(PortDevice.packet(socket), PortConfig.trunk(VlanSet.all())));
            } catch (RuntimeException e) {
                if (socket != null) {
                    socket.close();
                }
                engine.close();
                if (vxlanCreated) {
                    deleteVxlan(b.vxlan, b.uplinkNamespace, e);
                }
                throw new IllegalArgumentException("java-switch backend '" + id + "': uplink '" + b.uplink
                        + "' cannot be " + (b.vxlan == null ? "bound" : "created and bound") + ": " + e.getMessage(),
                        e);
            }
        }
        this.uplinkPort = uplink;
        this.createdVxlan = b.vxlan;
    }

    /** Creates the VXLAN uplink device, up, with IPv6 off (an L2 port needs no addresses of its own). */
    private static void createVxlan(VxlanSpec spec, NetworkNamespace namespace) {
        try (Rtnetlink rtnl = namespace == null ? Rtnetlink.open() : Rtnetlink.open(namespace)) {
            rtnl.createVxlan(spec);
            try {
                Callable<Void> ipv6Off = () -> {
                    Path knob = Path.of("/proc/sys/net/ipv6/conf", spec.name().value(),
                            "disable_ipv6");
                    if (Files.exists(knob)) {
                        Files.writeString(knob, "1");
                    }
                    return null;
                };
                if (namespace == null) {
                    ipv6Off.call();
                } else {
                    namespace.call(ipv6Off);
                }
                rtnl.setUp(spec.name());
            } catch (Exception e) {
                try {
                    rtnl.deleteLink(spec.name());
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e instanceof RuntimeException ? (RuntimeException) e
                        : new IllegalStateException(e);
            }
        }
    }

    private static void deleteVxlan(VxlanSpec spec, NetworkNamespace namespace, Throwable failure) {
        try (Rtnetlink rtnl = namespace == null ? Rtnetlink.open() : Rtnetlink.open(namespace)) {
            rtnl.deleteLink(spec.name());
        } catch (NoSuchDeviceException | IllegalStateException gone) {
            // already gone with its namespace
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            } else {
                throw e;
            }
        }
    }

    /**
     * @param id the backend's id
     * @return a builder
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /**
     * The TAP name for a vNIC: {@code iov} + the CRC-32 of its id in 8 hex digits.
     *
     * @param vnic the vNIC
     * @return its TAP's name
     */
    public static InterfaceName tapName(VnicId vnic) {
        CRC32 crc = new CRC32();
        crc.update(vnic.value().getBytes(StandardCharsets.UTF_8));
        return InterfaceName.of(String.format("iov%08x", crc.getValue()));
    }

    /** @return the switch, for mirrors and counters beyond the SPI (tests, the lab) */
    public SwitchEngine engine() {
        return engine;
    }

    /**
     * @param attachment a port this backend made or restored
     * @return its switch port index, for mirrors
     * @throws BackendException when the backend has no such port
     * @throws OwnershipException when the port is another vNIC's
     */
    public int portIndex(Attachment attachment) {
        return table.port("port index of " + attachment.vnic(), attachment).index();
    }

    /** @return the uplink's switch port index, if an uplink is configured */
    public OptionalInt uplinkPort() {
        return uplinkPort;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public BackendKind kind() {
        return BackendKind.VSWITCH_PORT;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** The switch's counters are in this process; the fabric carries them over a restart. */
    @Override
    public boolean countersLiveInProcess() {
        return true;
    }

    @Override
    public Attachment attach(AttachRequest request) {
        VnicId vnic = request.spec().id();
        String operation = "attach " + vnic;
        PortConfig config = VnicPorts.accessPort(id, request, operation);
        InterfaceName name = tapName(vnic);
        synchronized (lock) {
            requireOpen();
            Optional<Entry> held = table.get(name.value());
            if (held.isPresent() && !held.get().owner().equals(vnic)) {
                throw new OwnershipException(id, operation, "TAP " + name + " (the name is the CRC-32 of the vNIC id, "
                        + "and both ids have the same)", vnic, held.get().owner());
            }
            if (held.isPresent() && held.get() instanceof Port port) {
                return update(attachmentOf(name.value(), port), request);
            }
            // No port, or a restored vNIC's reserved name: make the TAP (or take back the one this vNIC left).
            TapNamespace namespace = TapNamespace.placed(Objects.requireNonNull(placement.namespaceFor(request),
                    "TapPlacement returned null"));
            Port port = plug(operation, namespace, name, request, config);
            table.put(name.value(), port);
            return attachmentOf(name.value(), port);
        }
    }

    /** Makes (or takes back) a vNIC's TAP and adds it to the switch; on failure leaves no TAP behind. */
    private Port plug(String operation, TapNamespace namespace, InterfaceName name, AttachRequest request,
            PortConfig config) {
        VnicId vnic = request.spec().id();
        MacAddress mac = request.addresses().mac().orElseThrow();
        int mtu = request.network().mtu();
        TapDevice tap = null;
        try {
            Optional<LinkInfo> existing = taps.find(namespace, name);
            if (existing.isPresent() && !taps.isMarkedFor(existing.get(), vnic)) {
                throw new OwnershipException(id, operation, MarkedTaps.describe(existing.get()) + " in "
                        + namespace.describe(), vnic, taps.ownerOf(existing.get()).orElse(null));
            }
            if (existing.isPresent()) {
                // Marked for this vNIC but no port: left by an attach whose outcome the manager lost, or back after a
                // restore found it missing. It is this vNIC's; make it what the request asks for.
                tap = taps.reopen(namespace, name);
                taps.configure(namespace, name, mac, mtu);
            } else {
                tap = taps.create(namespace, name, vnic, mac, mtu);
            }
            int index = engine.addPort(PortDevice.tap(tap), config);
            return new Port(vnic, index, mac, request.effectiveMaxRate(), namespace);
        } catch (RuntimeException e) {
            if (tap != null) {
                tap.close();
                try {
                    taps.deleteIfMarkedFor(namespace, name, vnic);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw BackendException.wrap(id, operation, "TAP " + name + " in " + namespace.describe(), e);
        }
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        VnicId vnic = request.spec().id();
        String operation = "update " + vnic;
        synchronized (lock) {
            requireOpen();
            if (!attachment.vnic().equals(vnic)) {
                // A request of another vNIC would make this port that vNIC's (its MAC, its VLAN).
                throw new OwnershipException(id, operation, "TAP " + attachment.handle(), vnic, attachment.vnic());
            }
            Port port = table.port(operation, attachment);
            PortConfig config = VnicPorts.accessPort(id, request, operation);
            MacAddress mac = request.addresses().mac().orElseThrow();
            try {
                PortConfig before = engine.portConfig(port.index());
                engine.reconfigurePort(port.index(), config);
                if (!mac.equals(port.mac())) {
                    try (Rtnetlink rtnl = port.namespace().rtnetlink()) {
                        rtnl.setMacAddress(InterfaceName.of(attachment.handle()), mac);
                    } catch (RuntimeException e) {
                        // Put the switch port back as it was: a failed update changes nothing.
                        engine.reconfigurePort(port.index(), before);
                        throw e;
                    }
                }
            } catch (RuntimeException e) {
                throw BackendException.wrap(id, operation, "TAP " + attachment.handle(), e);
            }
            Port updated = new Port(port.owner(), port.index(), mac, request.effectiveMaxRate(), port.namespace());
            table.put(attachment.handle(), updated);
            return attachmentOf(attachment.handle(), updated);
        }
    }

    @Override
    public void detach(Attachment attachment) {
        VnicId vnic = attachment.vnic();
        String operation = "detach " + vnic;
        InterfaceName name = nameOf(attachment);
        synchronized (lock) {
            requireOpen();
            Optional<Entry> held = table.get(name.value());
            if (held.isPresent() && !held.get().owner().equals(vnic)) {
                throw new OwnershipException(id, operation, "TAP " + name, vnic, held.get().owner());
            }
            if (held.isEmpty()) {
                deleteLeak(operation, name, attachment);
            } else if (held.get() instanceof Port port) {
                unplug(operation, name, port);
            } else {
                deleteReturned(operation, name, (Reserved) held.get());
                table.remove(name.value());
            }
        }
    }

    /** Removes a port from the switch and deletes its TAP; on failure puts the port back. */
    private void unplug(String operation, InterfaceName name, Port port) {
        PortConfig config;
        try {
            config = engine.portConfig(port.index());
            // Closes the switch's descriptor first, so that it never reads from a device deleted under it.
            engine.removePort(port.index());
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "TAP " + name, e);
        }
        try {
            taps.deleteIfMarkedFor(port.namespace(), name, port.owner()).ifPresent(left -> LOG.warn(
                    "{}: {}: the port is gone, but {} in {} is not marked for it any more and stays", id, operation,
                    MarkedTaps.describe(left), port.namespace().describe()));
        } catch (RuntimeException e) {
            // A failed detach changes nothing: the TAP is still there, so it becomes a port again.
            try {
                int index = engine.addPort(PortDevice.tap(taps.reopen(port.namespace(), name)), config);
                table.put(name.value(), new Port(port.owner(), index, port.mac(), port.maxRate(), port.namespace()));
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                table.remove(name.value());
                port.namespace().release();
            }
            throw BackendException.wrap(id, operation, "TAP " + name + " in " + port.namespace().describe(), e);
        }
        table.remove(name.value());
        port.namespace().release();
    }

    /** A reserved name is released; a TAP that came back marked for the vNIC goes with it. */
    private void deleteReturned(String operation, InterfaceName name, Reserved reserved) {
        if (!reserved.namespaceName().isEmpty() && !NetworkNamespace.exists(reserved.namespaceName())) {
            return;
        }
        TapNamespace namespace = TapNamespace.open(reserved.namespaceName());
        try {
            taps.deleteIfMarkedFor(namespace, name, reserved.owner()).ifPresent(left -> LOG.debug(
                    "{}: {}: {} in {} is not the vNIC's and stays", id, operation, MarkedTaps.describe(left),
                    namespace.describe()));
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "TAP " + name + " in " + namespace.describe(), e);
        } finally {
            namespace.release();
        }
    }

    /**
     * Deletes a TAP that is no port of the switch but carries the vNIC's mark (a leak {@link #discover} found), in
     * the namespace the attachment names, the backend's own and those of its ports; refuses when the name is held
     * there only by something that is not the vNIC's, and succeeds when it is nowhere (gone).
     */
    private void deleteLeak(String operation, InterfaceName name, Attachment attachment) {
        List<TapNamespace> opened = new ArrayList<>();
        boolean deleted = false;
        String foreign = null;
        Optional<VnicId> foreignOwner = Optional.empty();
        try {
            for (TapNamespace namespace : searchedNamespaces(attachment.details().getOrDefault(NAMESPACE, ""),
                    opened)) {
                Optional<LinkInfo> link = taps.find(namespace, name);
                if (link.isEmpty()) {
                    continue;
                }
                if (taps.isMarkedFor(link.get(), attachment.vnic())) {
                    taps.deleteIfMarkedFor(namespace, name, attachment.vnic());
                    deleted = true;
                } else if (foreign == null) {
                    foreign = MarkedTaps.describe(link.get()) + " in " + namespace.describe();
                    foreignOwner = taps.ownerOf(link.get());
                }
            }
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "TAP " + name, e);
        } finally {
            opened.forEach(TapNamespace::release);
        }
        if (!deleted && foreign != null) {
            throw new OwnershipException(id, operation, foreign, attachment.vnic(), foreignOwner.orElse(null));
        }
    }

    /**
     * The namespaces where this backend's TAPs may be: its own, those of its ports, and one named by an attachment.
     * Namespaces opened here are added to {@code opened}, for the caller to release.
     */
    private List<TapNamespace> searchedNamespaces(String recorded, List<TapNamespace> opened) {
        Map<String, TapNamespace> found = table.namespaces();
        if (!found.containsKey(recorded) && NetworkNamespace.exists(recorded)) {
            TapNamespace namespace = TapNamespace.open(recorded);
            opened.add(namespace);
            found.put(recorded, namespace);
        }
        return List.copyOf(found.values());
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        String operation = "stats of " + attachment.vnic();
        Port port = table.port(operation, attachment);
        PortStats s;
        try {
            s = engine.stats(port.index());
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "TAP " + attachment.handle(), e);
        }
        // The VM's view: what it received is what the switch sent to its TAP, what it sent is what the switch got.
        return new VnicStats(s.txPackets() - s.txBusy() - s.txErrors(), s.txBytes(), s.txBusy(), s.txErrors(),
                s.rxPackets(), s.rxBytes(), s.totalDrops(), s.rxErrors());
    }

    /**
     * Lists the switch's vNIC ports as the switch enforces them, and the TAPs that carry this backend's mark but are
     * no port (in its own namespace and those of its ports), with the owner the mark names, so that drift detection
     * shows them as unexpected.
     */
    @Override
    public List<DiscoveredPort> discover(HostId host) {
        synchronized (lock) {
            requireOpen();
            List<DiscoveredPort> found = new ArrayList<>();
            Map<String, Port> ports = table.ports();
            for (Map.Entry<String, Port> e : ports.entrySet()) {
                Port port = e.getValue();
                try {
                    found.add(VnicPorts.discovered(e.getKey(), port.owner(), port.mac(), port.maxRate(),
                            engine.portConfig(port.index())));
                } catch (IllegalStateException gone) {
                    // the switch stopped: no ports to report
                }
            }
            try {
                for (TapNamespace namespace : searchedNamespaces("", new ArrayList<>())) {
                    for (LinkInfo link : taps.marked(namespace)) {
                        if (!ports.containsKey(link.name().value())) {
                            found.add(new DiscoveredPort(link.name().value(), taps.ownerOf(link), link.macAddress(),
                                    Optional.empty(), OptionalInt.empty(), Optional.empty()));
                        }
                    }
                }
            } catch (RuntimeException e) {
                throw BackendException.wrap(id, "discover on " + host, "TAPs", e);
            }
            return found;
        }
    }

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        synchronized (lock) {
            requireOpen();
            try (Rtnetlink own = Rtnetlink.open()) {
                own.link(InterfaceName.of("lo"));
            } catch (RuntimeException e) {
                throw BackendException.wrap(id, "restore", "the backend's namespace", e);
            }
            List<Attachment> adopted = new ArrayList<>();
            List<RestoreReport.Missing> missing = new ArrayList<>();
            for (RecordedAttachment r : recorded) {
                Attachment attachment = r.attachment();
                Adoption outcome = adopt(r);
                if (outcome.port() != null) {
                    adopted.add(outcome.port());
                } else {
                    missing.add(RestoreReport.Missing.of(attachment, outcome.reason()));
                    if (outcome.reserve()) {
                        table.reserve(attachment.handle(), new Reserved(attachment.vnic(),
                                attachment.details().getOrDefault(NAMESPACE, ""), outcome.reason()));
                    }
                }
            }
            LOG.debug("{}: restored {} of {} attachments; missing: {}", id, adopted.size(), recorded.size(),
                    missing);
            return new RestoreReport(adopted, missing);
        }
    }

    /**
     * What restoring one attachment came to: the port's attachment, or why it was not adopted and whether its name
     * stays its vNIC's.
     */
    private record Adoption(Attachment port, String reason, boolean reserve) {

        static Adoption adopted(Attachment port) {
            return new Adoption(port, null, false);
        }

        static Adoption missing(String reason, boolean reserve) {
            return new Adoption(null, reason, reserve);
        }
    }

    /** Adopts one recorded attachment: its TAP found, checked, reopened and made a port again. */
    private Adoption adopt(RecordedAttachment recorded) {
        Attachment attachment = recorded.attachment();
        VnicId vnic = attachment.vnic();
        String handle = attachment.handle();
        if (!id.equals(attachment.backendId())) {
            return Adoption.missing("recorded for backend '" + attachment.backendId() + "', not '" + id + "'", false);
        }
        if (!tapName(vnic).value().equals(handle)) {
            return Adoption.missing("handle '" + handle + "' is not the TAP name of vNIC '" + vnic + "' ("
                    + tapName(vnic) + ")", false);
        }
        Optional<Entry> held = table.get(handle);
        if (held.isPresent() && !held.get().owner().equals(vnic)) {
            return Adoption.missing("TAP " + handle + " is held for vNIC '" + held.get().owner() + "'", false);
        }
        if (held.isPresent() && held.get() instanceof Port port) {
            return Adoption.adopted(attachmentOf(handle, port));
        }
        PortConfig config;
        try {
            config = VnicPorts.accessPort(id, recorded.request(), "restore " + vnic);
        } catch (BackendException e) {
            return Adoption.missing("the recorded request cannot be a port: " + e.getMessage(), true);
        }
        String namespaceName = attachment.details().getOrDefault(NAMESPACE, "");
        if (!namespaceName.isEmpty() && !NetworkNamespace.exists(namespaceName)) {
            return Adoption.missing("namespace " + namespaceName + " of TAP " + handle + " is gone", true);
        }
        TapNamespace namespace;
        try {
            namespace = TapNamespace.open(namespaceName);
        } catch (RuntimeException e) {
            return Adoption.missing("namespace '" + namespaceName + "' of TAP " + handle + " cannot be opened: "
                    + e.getMessage(), true);
        }
        boolean adopted = false;
        try {
            InterfaceName name = InterfaceName.of(handle);
            Optional<LinkInfo> link = taps.find(namespace, name);
            if (link.isEmpty()) {
                return Adoption.missing("no TAP " + handle + " in " + namespace.describe(), true);
            }
            if (!taps.isMarkedFor(link.get(), vnic)) {
                // Not this vNIC's (or not iov's): it is left exactly as it is.
                return Adoption.missing(MarkedTaps.describe(link.get()) + " in " + namespace.describe()
                        + " is not marked for vNIC '" + vnic + "' (" + taps.mark(vnic) + ")", true);
            }
            TapDevice tap = taps.reopen(namespace, name);
            int index;
            try {
                index = engine.addPort(PortDevice.tap(tap), config);
            } catch (RuntimeException e) {
                tap.close();
                throw e;
            }
            Port port = new Port(vnic, index, recorded.request().addresses().mac().orElseThrow(),
                    recorded.request().effectiveMaxRate(), namespace);
            table.put(handle, port);
            adopted = true;
            return Adoption.adopted(attachmentOf(handle, port));
        } catch (RuntimeException e) {
            return Adoption.missing("TAP " + handle + " in " + namespace.describe() + " cannot be taken back: "
                    + e.getMessage(), true);
        } finally {
            if (!adopted) {
                namespace.release();
            }
        }
    }

    @Override
    public void abandon(AttachRequest request) {
        VnicId vnic = request.spec().id();
        String operation = "abandon " + vnic;
        InterfaceName name = tapName(vnic);
        synchronized (lock) {
            requireOpen();
            if (table.get(name.value()).isPresent()) {
                // A port or a reserved name of a restored attachment: never the leftover of an attach cut short.
                return;
            }
            TapNamespace namespace = TapNamespace.placed(Objects.requireNonNull(placement.namespaceFor(request),
                    "TapPlacement returned null"));
            try {
                taps.deleteIfMarkedFor(namespace, name, vnic).ifPresent(left -> LOG.debug(
                        "{}: {}: {} in {} is not the vNIC's and stays", id, operation, MarkedTaps.describe(left),
                        namespace.describe()));
            } catch (RuntimeException e) {
                throw BackendException.wrap(id, operation, "TAP " + name + " in " + namespace.describe(), e);
            }
        }
    }

    /**
     * Stops the switch and closes its descriptors; the TAPs stay when they are persistent (the default), so that
     * the VMs keep their NICs and a new backend can {@link #restore} them. Deletes the VXLAN uplink device if it
     * created one. Idempotent; every later change fails with {@link IllegalStateException}.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            engine.close();
            table.clear();
        }
        if (createdVxlan != null && closedVxlan.compareAndSet(false, true)) {
            deleteVxlan(createdVxlan, uplinkNamespace, null);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("java-switch backend '" + id + "' is closed");
        }
    }

    private InterfaceName nameOf(Attachment attachment) {
        try {
            return InterfaceName.of(attachment.handle());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("java-switch backend '" + id + "': handle '" + attachment.handle()
                    + "' of vNIC '" + attachment.vnic() + "' is not a TAP name: " + e.getMessage(), e);
        }
    }

    private Attachment attachmentOf(String handle, Port port) {
        return new Attachment(port.owner(), id, handle, Map.of("tap", handle, "switchPort",
                Integer.toString(port.index()), NAMESPACE, port.namespace().name()));
    }

    @Override
    public String toString() {
        return "JavaSwitchBackend[" + id + ", " + table.size() + " TAPs]";
    }

    /** Collects a {@link JavaSwitchBackend}'s settings. */
    public static final class Builder {
        private final String id;
        private int maxPorts = 64;
        private InterfaceName uplink;
        private NetworkNamespace uplinkNamespace;
        private TapPlacement placement = TapPlacement.OWN_NAMESPACE;
        private VxlanSpec vxlan;
        private boolean persistentTaps = true;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
            if (id.isEmpty()) {
                throw new IllegalArgumentException("java-switch backend id is empty");
            }
        }

        /**
         * @param value the most ports, uplink included (default 64)
         * @return this builder
         */
        public Builder maxPorts(int value) {
            this.maxPorts = value;
            return this;
        }

        /**
         * @param name an interface of the backend's namespace to bind as a trunk uplink
         * @return this builder
         */
        public Builder uplink(InterfaceName name) {
            return uplink(name, null);
        }

        /**
         * @param name an interface to bind as a trunk uplink
         * @param namespace the namespace it is in, or null for the backend's own
         * @return this builder
         */
        public Builder uplink(InterfaceName name, NetworkNamespace namespace) {
            this.uplink = Objects.requireNonNull(name, "uplink");
            this.uplinkNamespace = namespace;
            this.vxlan = null;
            return this;
        }

        /**
         * Makes the uplink a kernel VXLAN device that the backend creates (up, IPv6 off), binds as a trunk port, and
         * deletes when it closes. Frames cross the tunnel with their VLAN tags, so one VNI carries every VLAN. Mind
         * the device's MTU: the kernel gives it the underlay's MTU minus 50, and a VM frame longer than that is
         * counted as a transmit error on the uplink.
         *
         * @param spec the VXLAN device to create
         * @param namespace the underlay's namespace, or null for the backend's own
         * @return this builder
         */
        public Builder vxlanUplink(VxlanSpec spec, NetworkNamespace namespace) {
            this.vxlan = Objects.requireNonNull(spec, "vxlan");
            this.uplink = spec.name();
            this.uplinkNamespace = namespace;
            return this;
        }

        /**
         * @param value where vNICs' TAPs are created (default {@link TapPlacement#OWN_NAMESPACE})
         * @return this builder
         */
        public Builder tapPlacement(TapPlacement value) {
            this.placement = Objects.requireNonNull(value, "tapPlacement");
            return this;
        }

        /**
         * Whether vNICs' TAPs are persistent (the default): they outlive the backend's descriptors, so that a VM keeps
         * its NIC when the manager stops and a new backend can {@link JavaSwitchBackend#restore} the port. Without,
         * a TAP disappears with the switch ({@link JavaSwitchBackend#close()}), and a restored attachment is missing:
         * for a switch whose ports need not survive it.
         *
         * @param value whether TAPs outlive the backend
         * @return this builder
         */
        public Builder persistentTaps(boolean value) {
            this.persistentTaps = value;
            return this;
        }

        /**
         * Starts the switch (and binds the uplink).
         *
         * @return the backend
         * @throws IllegalArgumentException when a setting is invalid (an id too long to mark TAPs with, naming it) or
         *     the uplink cannot be bound
         */
        public JavaSwitchBackend build() {
            return new JavaSwitchBackend(this);
        }
    }
}
