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
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.ethernet.ovsdb.OvsdbException;
import dev.iov.linux.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ovs} backend: a vNIC is a port on an Open vSwitch bridge, with one {@code internal} or {@code tap}
 * interface of the same name, an access VLAN (the network's segment), the vNIC's MAC and ingress policing at its
 * maximum rate. The port and its interface are marked {@code external_ids:iov-owner=<backend id>} and
 * {@code iov-vnic=<vNIC id>}; {@link #discover} reads those marks back, so drift detection sees a tag or rate changed
 * with {@code ovs-vsctl}.
 *
 * <p>The handle is the port name: up to 15 characters derived from the vNIC id (a readable prefix and a hash), a valid
 * {@link InterfaceName}. Only VLAN networks are supported; anti-spoofing needs OpenFlow rules, which this backend does
 * not program, so it does not declare {@link Capability#SPOOF_CHECK}.
 *
 * <p>Ownership: the database is the record of whose a port is. {@link #update}, {@link #detach} and {@link #stats}
 * read a port's marks first and refuse ({@link OwnershipException}) a port marked for another vNIC, or one iov did
 * not make; the change itself is one transaction that re-checks the marks ({@link OvsSwitch#removePort(String, Map)}),
 * so a port re-marked between the check and the change is left alone. After a restart, {@link #restore} adopts the
 * recorded ports whose marks name this backend and their vNIC, without changing the database; a port it finds missing
 * keeps its name reserved for its vNIC in this instance ({@link PortReservations}), and an {@link #attach} of that
 * vNIC re-creates it. Counters live in ovs-vswitchd, which outlives the manager, so
 * {@link #countersLiveInProcess()} is false.
 *
 * <p>Port types: {@code internal} and {@code tap} interfaces are devices ovs-vswitchd creates in its namespace;
 * {@code system} attaches a device that must already exist there under the port's name (the switch end of a veth
 * pair whose other end is in the VM). Statistics need the device in ovs-vswitchd's namespace: an internal port moved
 * into a VM's namespace has none, which {@link #stats} reports as an error rather than as zeros.
 */
public final class OvsBackend implements IoBackend {

    /** The {@code external_ids} key holding the vNIC id on iov's ports. */
    public static final String VNIC_KEY = "iov-vnic";
    private static final Logger LOG = LoggerFactory.getLogger(OvsBackend.class);
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.VLAN, Capability.MAX_RATE,
            Capability.STATS));

    private final String id;
    private final OvsdbClient client;
    private final OvsSwitch ovs;
    private final String bridge;
    private final InterfaceType portType;
    private final PortReservations reservations = new PortReservations();
    private final AtomicBoolean closed = new AtomicBoolean();

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
        requireOpen();
        VnicId vnic = request.spec().id();
        String operation = "attach " + vnic;
        Optional<String> held = reservations.portOf(vnic);
        String name = held.orElseGet(() -> portName(vnic).value());
        PortSpec spec = portSpec(request, name, operation);
        VnicId holder = reservations.reserve(name, vnic);
        if (!holder.equals(vnic)) {
            // Names are hashes: another vNIC's id gives the same one, and that vNIC may still come back for it.
            throw new OwnershipException(id, operation, "port name " + name, vnic, holder);
        }
        try {
            if (vnicsPort(operation, name, vnic).isPresent()) {
                // A retried attach, or a repair of a port that is there: make it what this request asks for.
                if (!guarded(operation, name, vnic, () -> ovs.updatePort(spec, marks(vnic)))) {
                    throw new BackendException(id, operation, "port " + name + " vanished while it was updated");
                }
            } else {
                run(operation, "port " + name, () -> ovs.addPort(bridge, spec));
            }
        } catch (RuntimeException e) {
            if (held.isEmpty()) {
                reservations.release(name, vnic);
            }
            throw e;
        }
        return attachment(name, vnic);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        requireOpen();
        VnicId vnic = attachment.vnic();
        String handle = attachment.handle();
        String operation = "update " + vnic;
        if (!vnic.equals(request.spec().id())) {
            throw new OwnershipException(id, operation, "port " + handle, request.spec().id(), vnic);
        }
        PortSpec spec = portSpec(request, handle, operation);
        if (vnicsPort(operation, handle, vnic).isEmpty()
                || !guarded(operation, handle, vnic, () -> ovs.updatePort(spec, marks(vnic)))) {
            throw new BackendException(id, operation, "no port " + handle + " in the database",
                    Errno.ENODEV.number(), null);
        }
        return attachment(handle, vnic);
    }

    @Override
    public void detach(Attachment attachment) {
        requireOpen();
        VnicId vnic = attachment.vnic();
        String handle = attachment.handle();
        String operation = "detach " + vnic;
        if (vnicsPort(operation, handle, vnic).isPresent()) {
            // false: it went meanwhile, which is what was asked.
            guarded(operation, handle, vnic, () -> ovs.removePort(handle, marks(vnic)));
        }
        reservations.release(handle, vnic);
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        requireOpen();
        String handle = attachment.handle();
        String operation = "stats " + attachment.vnic();
        // Another vNIC's counters, reported as this one's, would be worse than none.
        if (vnicsPort(operation, handle, attachment.vnic()).isEmpty()) {
            throw new BackendException(id, operation, "no port " + handle + " in the database",
                    Errno.ENODEV.number(), null);
        }
        Map<String, Long> s = run(operation, "interface " + handle, () -> ovs.statistics(handle));
        if (s.isEmpty()) {
            throw new BackendException(id, operation, "ovs-vswitchd has no statistics for interface " + handle
                    + " (a device it cannot see in its network namespace, or one it has not polled yet)");
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
        requireOpen();
        List<OvsPort> ports = run("discover on " + host, "bridge " + bridge, () -> ovs.ports(bridge));
        List<DiscoveredPort> out = new ArrayList<>();
        for (OvsPort port : ports) {
            if (!port.owned()) {
                out.add(new DiscoveredPort(port.name(), Optional.empty(), Optional.empty(), Optional.empty(),
                        port.tag(), Optional.empty()));
                continue;
            }
            Optional<MacAddress> mac = port.mac().flatMap(OvsBackend::parseMac);
            // An iov port without a tag is in every VLAN: report segment 0 so it differs from the declared one.
            OptionalInt segment = port.tag().isPresent() ? port.tag() : OptionalInt.of(0);
            out.add(new DiscoveredPort(port.name(), markedVnic(port), mac, Optional.empty(), segment,
                    Optional.of(Bandwidth.ofKbps(port.policingRateKbps()))));
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads every bridge once (one consistent read, no change): a recorded port is adopted when it is on this
     * backend's bridge and marked with this backend's id and the attachment's vNIC; it is missing when there is no
     * port of that name (its name stays reserved for the vNIC), and missing, never touched, when the port of that
     * name is marked for another vNIC, is not iov's, or is on another bridge.
     *
     * @throws IllegalArgumentException when an attachment was recorded for another backend
     */
    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        requireOpen();
        for (RecordedAttachment r : recorded) {
            if (!id.equals(r.attachment().backendId())) {
                throw new IllegalArgumentException("backend '" + id + "' cannot restore port "
                        + r.attachment().handle() + " of vNIC '" + r.attachment().vnic()
                        + "': it was recorded for backend '" + r.attachment().backendId() + "'");
            }
        }
        Map<String, OvsPort> here = new HashMap<>();
        Map<String, String> elsewhere = new HashMap<>();
        for (OvsBridge b : run("restore", "the database", ovs::bridges)) {
            for (OvsPort port : b.ports()) {
                if (b.name().equals(bridge)) {
                    here.put(port.name(), port);
                } else {
                    elsewhere.put(port.name(), b.name());
                }
            }
        }
        List<Attachment> adopted = new ArrayList<>();
        List<RestoreReport.Missing> missing = new ArrayList<>();
        for (RecordedAttachment r : recorded) {
            Attachment a = r.attachment();
            String handle = a.handle();
            OvsPort port = here.get(handle);
            if (port != null && isVnics(port, a.vnic())) {
                VnicId holder = reservations.reserve(handle, a.vnic());
                if (holder.equals(a.vnic())) {
                    adopted.add(attachment(handle, a.vnic()));
                } else {
                    missing.add(RestoreReport.Missing.of(a, "port " + handle + " is held by vNIC '" + holder
                            + "' in this backend"));
                }
            } else if (port != null) {
                missing.add(RestoreReport.Missing.of(a, "port " + handle + " on bridge " + bridge + " is "
                        + describeMarks(port) + "; it was left alone"));
            } else if (elsewhere.containsKey(handle)) {
                missing.add(RestoreReport.Missing.of(a, "port " + handle + " is on bridge " + elsewhere.get(handle)
                        + ", not on " + bridge + "; it was left alone"));
            } else {
                VnicId holder = reservations.reserve(handle, a.vnic());
                missing.add(RestoreReport.Missing.of(a, "no port " + handle + " on bridge " + bridge
                        + (holder.equals(a.vnic()) ? "; the name stays reserved for the vNIC, an attach re-creates it"
                                : "; the name is held by vNIC '" + holder + "'")));
            }
        }
        if (!missing.isEmpty()) {
            LOG.info("{}: restored {} port(s), {} missing: {}", id, adopted.size(), missing.size(), missing);
        }
        return new RestoreReport(adopted, missing);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Removes the port {@link #portName} names for the request's vNIC if it is marked with this backend's id and
     * that vNIC (re-checked in the removing transaction); a port this instance holds for a vNIC (attached or
     * restored) is never removed here.
     */
    @Override
    public void abandon(AttachRequest request) {
        requireOpen();
        VnicId vnic = request.spec().id();
        String name = portName(vnic).value();
        String operation = "abandon " + vnic;
        Optional<VnicId> holder = reservations.holderOf(name);
        if (holder.isPresent()) {
            LOG.debug("{}: {}: port {} is held for vNIC {}; left alone", id, operation, name, holder.get());
            return;
        }
        Optional<OvsPort> port = run(operation, "port " + name, () -> ovs.port(name));
        if (port.isEmpty() || !isVnics(port.get(), vnic)) {
            return;
        }
        try {
            if (ovs.removePort(name, marks(vnic))) {
                LOG.info("{}: removed port {}, left by an interrupted attach of vNIC {}", id, name, vnic);
            }
        } catch (OvsdbException e) {
            if (!OvsSwitch.NOT_OWNED.equals(e.error())) {
                throw BackendException.wrap(id, operation, "port " + name, e);
            }
            // Re-marked since it was read: no longer what that attach left.
        }
    }

    /** @return false: the counters are ovs-vswitchd's and outlive this process */
    @Override
    public boolean countersLiveInProcess() {
        return false;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
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

    private PortSpec portSpec(AttachRequest request, String name, String operation) {
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
        return new PortSpec(InterfaceName.of(name), portType, PortVlan.access(request.network().vlanId()),
                request.addresses().mac(), kbps, burst, marks(request.spec().id()));
    }

    private static Map<String, String> marks(VnicId vnic) {
        return Map.of(VNIC_KEY, vnic.value());
    }

    /**
     * Reads a port and checks it is the vNIC's.
     *
     * @return the port, or empty when there is none of that name
     * @throws OwnershipException when it is marked for another vNIC or is not this backend's
     */
    private Optional<OvsPort> vnicsPort(String operation, String name, VnicId vnic) {
        Optional<OvsPort> port = run(operation, "port " + name, () -> ovs.port(name));
        if (port.isPresent() && !isVnics(port.get(), vnic)) {
            throw refusal(operation, port.get(), vnic);
        }
        return port;
    }

    /**
     * Runs a change of a port that {@link OvsSwitch} guards with the vNIC's marks; when the guard fails, a fresh read
     * tells why.
     *
     * @return true when the change was made, false when the port was gone
     * @throws OwnershipException when the port was re-marked for another vNIC or owner meanwhile
     */
    private boolean guarded(String operation, String name, VnicId vnic, Runnable change) {
        try {
            change.run();
            return true;
        } catch (OvsdbException e) {
            if (!OvsSwitch.NOT_OWNED.equals(e.error())) {
                throw BackendException.wrap(id, operation, "port " + name, e);
            }
            Optional<OvsPort> now = run(operation, "port " + name, () -> ovs.port(name));
            if (now.isEmpty()) {
                return false;
            }
            if (!isVnics(now.get(), vnic)) {
                throw refusal(operation, now.get(), vnic);
            }
            // The port is the vNIC's, but its interface is not (marked by hand, or changing right now).
            throw BackendException.wrap(id, operation, "port " + name, e);
        }
    }

    private boolean isVnics(OvsPort port, VnicId vnic) {
        return port.owned() && vnic.value().equals(port.externalIds().get(VNIC_KEY));
    }

    private OwnershipException refusal(String operation, OvsPort port, VnicId claimed) {
        Optional<String> owner = port.owner();
        String resource = owner.isEmpty() || port.owned() ? "port " + port.name()
                : "port " + port.name() + " of backend '" + owner.get() + "'";
        VnicId marked = owner.isPresent() ? parseVnic(port.externalIds().get(VNIC_KEY)).orElse(null) : null;
        return new OwnershipException(id, operation, resource, claimed, marked);
    }

    /** @return the vNIC an owned port is marked for, empty for a port of no vNIC or with a mark that is no id */
    private Optional<VnicId> markedVnic(OvsPort port) {
        return port.owned() ? parseVnic(port.externalIds().get(VNIC_KEY)) : Optional.empty();
    }

    private String describeMarks(OvsPort port) {
        Optional<String> owner = port.owner();
        if (owner.isEmpty()) {
            return "not iov's (no " + OvsSwitch.OWNER_KEY + " in its external_ids)";
        }
        if (!port.owned()) {
            return "marked by backend '" + owner.get() + "'";
        }
        String vnic = port.externalIds().get(VNIC_KEY);
        return vnic == null ? "marked for no vNIC" : "marked for vNIC '" + vnic + "'";
    }

    private static Optional<VnicId> parseVnic(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(VnicId.of(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("ovs backend '" + id + "' is closed");
        }
    }

    private <T> T run(String operation, String subject, Supplier<T> action) {
        try {
            return action.get();
        } catch (OvsdbException e) {
            throw BackendException.wrap(id, operation, subject, e);
        }
    }

    @Override
    public String toString() {
        return "OvsBackend[" + id + ", bridge " + bridge + "]";
    }
}
