package dev.iov.ethernet.ovs;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkKind;
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
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.ethernet.ovsdb.OvsdbException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * The {@code ovs} backend: a vNIC is a port on an Open vSwitch bridge, with one {@code internal} or {@code tap}
 * interface of the same name, an access VLAN (the network's segment), the vNIC's MAC and ingress policing at its
 * maximum rate. The port is marked {@code external_ids:iov-owner=<backend id>} and {@code iov-vnic=<vNIC id>};
 * {@link #discover} reads those marks back, so drift detection sees a tag or rate changed with {@code ovs-vsctl}.
 *
 * <p>The handle is the port name: up to 15 characters derived from the vNIC id (a readable prefix and a hash), a valid
 * {@link InterfaceName}. Only VLAN networks are supported; anti-spoofing needs OpenFlow rules, which this backend does
 * not program, so it does not declare {@link Capability#SPOOF_CHECK}.
 *
 * <p>Port types: {@code internal} and {@code tap} interfaces are devices ovs-vswitchd creates in its namespace;
 * {@code system} attaches a device that must already exist there under the port's name (the switch end of a veth
 * pair whose other end is in the VM). Statistics need the device in ovs-vswitchd's namespace: an internal port moved
 * into a VM's namespace has none, which {@link #stats} reports as an error rather than as zeros.
 */
public final class OvsBackend implements IoBackend {

    /** The {@code external_ids} key holding the vNIC id on iov's ports. */
    public static final String VNIC_KEY = "iov-vnic";
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.VLAN, Capability.MAX_RATE,
            Capability.STATS));

    private final String id;
    private final OvsdbClient client;
    private final OvsSwitch ovs;
    private final String bridge;
    private final InterfaceType portType;

    /**
     * Uses a bridge (creating it, marked as iov's, when it does not exist).
     *
     * @param id the backend id, also the owner mark
     * @param client the database connection; the backend closes it on {@link #close}
     * @param ovs operations over that connection, with this backend's owner mark
     * @param bridge the bridge to put ports on
     * @param datapathType the datapath type for a bridge iov creates
     * @param portType the interface type of vNIC ports
     */
    OvsBackend(String id, OvsdbClient client, OvsSwitch ovs, String bridge, String datapathType,
            InterfaceType portType) {
        this.id = Objects.requireNonNull(id, "id");
        this.client = client;
        this.ovs = ovs;
        this.bridge = bridge;
        this.portType = portType;
        if (!ovs.hasBridge(bridge)) {
            ovs.createBridge(bridge, datapathType);
        }
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

    /** @return the bridge this backend puts ports on */
    public String bridge() {
        return bridge;
    }

    @Override
    public Attachment attach(AttachRequest request) {
        VnicId vnic = request.spec().id();
        String operation = "attach " + vnic;
        PortSpec spec = portSpec(request, operation);
        String name = spec.name().value();
        Optional<OvsPort> existing = call(operation, () -> ovs.port(name));
        if (existing.isPresent()) {
            OvsPort port = existing.get();
            if (port.owned() && vnic.value().equals(port.externalIds().get(VNIC_KEY))) {
                // A retried attach: make the port what this request asks for.
                call(operation, () -> {
                    ovs.updatePort(spec);
                    return null;
                });
                return attachment(name, vnic);
            }
            throw new BackendException(id, operation, "port " + name + " already exists and is not this vNIC's ("
                    + port.externalIds() + ")");
        }
        call(operation, () -> ovs.addPort(bridge, spec));
        return attachment(name, vnic);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        String operation = "update " + attachment.handle();
        PortSpec spec = portSpec(request, operation);
        if (!spec.name().value().equals(attachment.handle())) {
            throw new BackendException(id, operation, "port " + attachment.handle() + " is not vNIC "
                    + request.spec().id() + "'s (that is " + spec.name() + ")");
        }
        call(operation, () -> {
            ovs.updatePort(spec);
            return null;
        });
        return attachment;
    }

    @Override
    public void detach(Attachment attachment) {
        call("detach " + attachment.handle(), () -> ovs.removePort(attachment.handle()));
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        String operation = "stats " + attachment.handle();
        Map<String, Long> s = call(operation, () -> ovs.statistics(attachment.handle()));
        if (s.isEmpty()) {
            throw new BackendException(id, operation, "ovs-vswitchd has no statistics for interface "
                    + attachment.handle() + " (a device it cannot see in its network namespace, or one it has not "
                    + "polled yet)");
        }
        // OVS counts from the switch's side; a vNIC's rx is what the switch sent to it.
        return new VnicStats(
                s.getOrDefault("tx_packets", 0L), s.getOrDefault("tx_bytes", 0L),
                s.getOrDefault("tx_dropped", 0L), s.getOrDefault("tx_errors", 0L),
                s.getOrDefault("rx_packets", 0L), s.getOrDefault("rx_bytes", 0L),
                s.getOrDefault("rx_dropped", 0L), s.getOrDefault("rx_errors", 0L));
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        List<OvsPort> ports = call("discover on " + host, () -> ovs.ports(bridge));
        List<DiscoveredPort> out = new ArrayList<>();
        for (OvsPort port : ports) {
            if (!port.owned()) {
                out.add(new DiscoveredPort(port.name(), Optional.empty(), Optional.empty(), Optional.empty(),
                        port.tag(), Optional.empty()));
                continue;
            }
            Optional<VnicId> owner = Optional.ofNullable(port.externalIds().get(VNIC_KEY)).map(VnicId::of);
            Optional<MacAddress> mac = port.mac().flatMap(OvsBackend::parseMac);
            // An iov port without a tag is in every VLAN: report segment 0 so it differs from the declared one.
            OptionalInt segment = port.tag().isPresent() ? port.tag() : OptionalInt.of(0);
            out.add(new DiscoveredPort(port.name(), owner, mac, Optional.empty(), segment,
                    Optional.of(Bandwidth.ofKbps(port.policingRateKbps()))));
        }
        return out;
    }

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        throw new UnsupportedOperationException("restore: issue 17, in progress");
    }

    @Override
    public void abandon(AttachRequest request) {
        throw new UnsupportedOperationException("abandon: issue 17, in progress");
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * @param vnic a vNIC id
     * @return the port name this backend uses for it: up to 7 characters of the id and a 6-digit hash, 15 at most
     */
    public static InterfaceName portName(VnicId vnic) {
        StringBuilder prefix = new StringBuilder("iv");
        for (char c : vnic.value().toCharArray()) {
            if (prefix.length() == 8) {
                break;
            }
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
                prefix.append(c);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(vnic.value().getBytes(StandardCharsets.UTF_8));
        return InterfaceName.of(prefix + String.format("-%06x", crc.getValue() & 0xffffffL));
    }

    private PortSpec portSpec(AttachRequest request, String operation) {
        if (request.network().kind() != NetworkKind.VLAN) {
            throw new BackendException(id, operation, "network " + request.network().id() + " is "
                    + request.network().kind() + "; the ovs backend supports VLAN networks only");
        }
        Bandwidth rate = request.effectiveMaxRate().orElse(Bandwidth.ZERO);
        if (rate.bitsPerSecond() % 1000 != 0) {
            throw new BackendException(id, operation, "max rate " + rate + " (" + rate.bitsPerSecond()
                    + " bit/s) is not a whole number of kbit/s, which is what OVS policing takes");
        }
        long kbps = rate.toKbps();
        // Burst: a tenth of a second at the rate, at least OVS's documented 8000 kbit default.
        long burst = kbps == 0 ? 0 : Math.max(8000, kbps / 10);
        return new PortSpec(portName(request.spec().id()), portType, PortVlan.access(request.network().vlanId()),
                request.addresses().mac(), kbps, burst, Map.of(VNIC_KEY, request.spec().id().value()));
    }

    private Attachment attachment(String port, VnicId vnic) {
        return new Attachment(vnic, id, port, Map.of("bridge", bridge, VNIC_KEY, vnic.value()));
    }

    private static Optional<MacAddress> parseMac(String text) {
        try {
            return Optional.of(MacAddress.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private <T> T call(String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (OvsdbException e) {
            throw new BackendException(id, operation, e.getMessage(), 0, e);
        }
    }
}
