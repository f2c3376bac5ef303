package dev.iov.ethernet.javaswitch;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.ethernet.port.PortDevice;
import dev.iov.ethernet.port.PortStats;
import dev.iov.ethernet.port.SwitchEngine;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanMode;
import dev.iov.ethernet.switching.VlanSet;
import dev.iov.linux.LinuxException;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.NoSuchDeviceException;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.TapDevice;
import dev.iov.linux.netlink.LinkChange;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;

/**
 * The {@code java-switch} backend: every vNIC is a TAP port of one embedded Java switch ({@link SwitchEngine}),
 * kind {@link BackendKind#VSWITCH_PORT}.
 *
 * <p>{@link #attach} creates a TAP named {@code iov} + 8 hex digits of the vNIC id's CRC-32 (11 bytes, a valid
 * {@link InterfaceName}), in the namespace its {@link TapPlacement} names, gives its network device the vNIC's MAC
 * and the network's MTU and brings it up (that device is the VM's NIC), and adds it to the switch as an
 * {@link VlanMode#ACCESS access} port in the network's VLAN, with port security allowing only the vNIC's MAC (unless
 * the spec turns the spoof check off or trusts the VM) and ingress policing at {@link AttachRequest#effectiveMaxRate()}
 * with a burst of a tenth of a second of traffic (at least 128 kbit), which keeps TCP near the rate without letting a
 * long burst through. The handle is the TAP name. The switch's ports live as long as the backend: its TAPs are not
 * persistent, so {@link #close()} removes them, and a new backend {@link #discover discovers} none.
 *
 * <p>An uplink, if configured, is an {@code AF_PACKET} socket on a named interface, added as a trunk port carrying
 * every VLAN (VLAN tags stripped by the kernel on receive are restored, see {@link dev.iov.linux.FrameBatch}). The
 * uplink interface should have TSO/GSO off on whatever sends into it, since a packet socket receives a segmentation
 * offload super-frame as one frame, too long for the switch's receive slot (counted as an rx error). The uplink may
 * also be a kernel VXLAN device the backend creates ({@link Builder#vxlanUplink}): tagged frames then cross the
 * tunnel, one VNI for all VLANs.
 *
 * <p>Thread-safe: switch changes run on the switch's forwarding thread; the port table is concurrent.
 */
public final class JavaSwitchBackend implements IoBackend {

    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(
            Capability.VLAN, Capability.MAX_RATE, Capability.SPOOF_CHECK, Capability.TRUST, Capability.STATS,
            Capability.MIRROR));

    /** One vNIC port as the backend recorded it. */
    private record Port(VnicId owner, int index, MacAddress mac, int vlan, Optional<Bandwidth> maxRate,
            Optional<NetworkNamespace> namespace) {
    }

    private final String id;
    private final SwitchEngine engine;
    private final TapPlacement placement;
    private final Map<String, Port> ports = new ConcurrentHashMap<>();
    private final AtomicBoolean closedVxlan = new AtomicBoolean();
    private final OptionalInt uplinkPort;
    /** The VXLAN device this backend created as its uplink, deleted again by {@link #close()}; null for none. */
    private final VxlanSpec createdVxlan;
    private final NetworkNamespace uplinkNamespace;

    private JavaSwitchBackend(Builder b) {
        this.id = b.id;
        this.placement = b.placement;
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
     * @param attachment a port this backend made
     * @return its switch port index, for mirrors
     * @throws BackendException when the backend has no such port
     */
    public int portIndex(Attachment attachment) {
        return port("port index", attachment).index();
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

    @Override
    public Attachment attach(AttachRequest request) {
        VnicId vnic = request.spec().id();
        String operation = "attach " + vnic;
        PortConfig config = configFor(request, operation);
        MacAddress mac = request.addresses().mac().orElseThrow();
        InterfaceName name = tapName(vnic);
        if (ports.containsKey(name.value())) {
            throw new BackendException(id, operation, "TAP " + name + " exists already (vNIC attached twice, or a "
                    + "CRC-32 collision with " + ports.get(name.value()).owner() + ")", 17, null);
        }
        Optional<NetworkNamespace> namespace = Objects.requireNonNull(placement.namespaceFor(request),
                "TapPlacement returned null");
        TapDevice tap = null;
        try {
            tap = namespace.isPresent() ? TapDevice.create(name.value(), false, namespace.get())
                    : TapDevice.create(name.value(), false);
            try (Rtnetlink rtnl = namespace.isPresent() ? Rtnetlink.open(namespace.get()) : Rtnetlink.open()) {
                rtnl.change(name, LinkChange.builder().macAddress(mac).mtu(request.network().mtu()).build());
                rtnl.setUp(name);
            }
            int index = engine.addPort(PortDevice.tap(tap), config);
            ports.put(name.value(), new Port(vnic, index, mac, config.tag(), request.effectiveMaxRate(), namespace));
            return new Attachment(vnic, id, name.value(), Map.of("tap", name.value(), "switchPort",
                    Integer.toString(index), "namespace", namespace.map(NetworkNamespace::name).orElse("")));
        } catch (RuntimeException e) {
            closeQuietly(tap);
            throw BackendException.wrap(id, operation, "TAP " + name, e);
        }
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        String operation = "update " + request.spec().id();
        Port port = port(operation, attachment);
        PortConfig config = configFor(request, operation);
        MacAddress mac = request.addresses().mac().orElseThrow();
        PortConfig before = engine.portConfig(port.index());
        engine.reconfigurePort(port.index(), config);
        if (!mac.equals(port.mac())) {
            try (Rtnetlink rtnl = port.namespace().isPresent() ? Rtnetlink.open(port.namespace().get())
                    : Rtnetlink.open()) {
                rtnl.setMacAddress(InterfaceName.of(attachment.handle()), mac);
            } catch (LinuxException e) {
                // Put the switch port back as it was: a failed update changes nothing.
                engine.reconfigurePort(port.index(), before);
                throw BackendException.wrap(id, operation, "TAP " + attachment.handle(), e);
            }
        }
        ports.put(attachment.handle(), new Port(port.owner(), port.index(), mac, config.tag(),
                request.effectiveMaxRate(), port.namespace()));
        return attachment;
    }

    @Override
    public void detach(Attachment attachment) {
        Port port = ports.remove(attachment.handle());
        if (port == null) {
            return;
        }
        try {
            engine.removePort(port.index());
        } catch (RuntimeException e) {
            ports.put(attachment.handle(), port);
            throw new BackendException(id, "detach " + port.owner(), "TAP " + attachment.handle() + ": "
                    + e.getMessage(), 0, e);
        }
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        Port port = port("stats", attachment);
        PortStats s = engine.stats(port.index());
        // The VM's view: what it received is what the switch sent to its TAP, what it sent is what the switch got.
        return new VnicStats(s.txPackets() - s.txBusy() - s.txErrors(), s.txBytes(), s.txBusy(), s.txErrors(),
                s.rxPackets(), s.rxBytes(), s.totalDrops(), s.rxErrors());
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        List<DiscoveredPort> found = new ArrayList<>();
        for (Map.Entry<String, Port> e : ports.entrySet()) {
            Port port = e.getValue();
            PortConfig config;
            try {
                config = engine.portConfig(port.index());
            } catch (IllegalStateException gone) {
                continue;
            }
            found.add(VnicPorts.discovered(e.getKey(), port.owner(), port.mac(), port.maxRate(), config));
        }
        return found;
    }

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        throw new UnsupportedOperationException("restore: issue 17, in progress");
    }

    @Override
    public void abandon(AttachRequest request) {
        throw new UnsupportedOperationException("abandon: issue 17, in progress");
    }

    /**
     * Stops the switch and removes every TAP it made (they are not persistent) and the VXLAN uplink device if it
     * created one; idempotent.
     */
    @Override
    public void close() {
        engine.close();
        ports.clear();
        if (createdVxlan != null && closedVxlan.compareAndSet(false, true)) {
            deleteVxlan(createdVxlan, uplinkNamespace, null);
        }
    }

    private PortConfig configFor(AttachRequest request, String operation) {
        return VnicPorts.accessPort(id, request, operation);
    }

    private Port port(String operation, Attachment attachment) {
        Port port = ports.get(attachment.handle());
        if (port == null) {
            throw new BackendException(id, operation, "no port " + attachment.handle(), 19, null);
        }
        return port;
    }

    private static void closeQuietly(TapDevice tap) {
        if (tap != null) {
            tap.close();
        }
    }

    @Override
    public String toString() {
        return "JavaSwitchBackend[" + id + ", " + ports.size() + " ports]";
    }

    /** Collects a {@link JavaSwitchBackend}'s settings. */
    public static final class Builder {
        private final String id;
        private int maxPorts = 64;
        private InterfaceName uplink;
        private NetworkNamespace uplinkNamespace;
        private TapPlacement placement = TapPlacement.OWN_NAMESPACE;
        private VxlanSpec vxlan;

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
         * Starts the switch (and binds the uplink).
         *
         * @return the backend
         * @throws IllegalArgumentException when a setting is invalid or the uplink cannot be bound
         */
        public JavaSwitchBackend build() {
            return new JavaSwitchBackend(this);
        }
    }
}
