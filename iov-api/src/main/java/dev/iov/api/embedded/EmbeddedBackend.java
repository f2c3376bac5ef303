package dev.iov.api.embedded;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A backend whose "device" is a table in memory: it does the bookkeeping a real backend does (ports with owner,
 * addresses, segment and rate limit) and touches nothing outside the JVM. For applications' unit tests, demos and
 * control-plane benchmarks, the way Netty's {@code EmbeddedChannel} lets handlers run without I/O. Its ports can be
 * changed behind the fabric's back ({@link #tamper}, {@link #removePort}, {@link #addPort}) to exercise drift
 * detection. Thread-safe.
 */
public final class EmbeddedBackend implements IoBackend {

    /**
     * A port as the embedded backend keeps it.
     *
     * @param owner the vNIC it was made for, or null for a port iov does not own
     * @param mac its MAC address
     * @param guid its port GUID
     * @param segment its VLAN, VNI or partition number
     * @param maxRate its rate limit, {@link Bandwidth#ZERO} for none
     */
    public record Port(VnicId owner, Optional<MacAddress> mac, Optional<Guid> guid, int segment, Bandwidth maxRate) {

        /**
         * @param owner the vNIC it was made for, or null
         * @param mac its MAC address
         * @param guid its port GUID
         * @param segment its segment
         * @param maxRate its rate limit
         */
        public Port {
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(guid, "guid");
            Objects.requireNonNull(maxRate, "maxRate");
        }

        /**
         * @param newSegment another segment
         * @return this port in another segment
         */
        public Port withSegment(int newSegment) {
            return new Port(owner, mac, guid, newSegment, maxRate);
        }
    }

    private final String id;
    private final BackendKind kind;
    private final Set<Capability> capabilities;
    private final Map<String, Port> ports = new ConcurrentHashMap<>();
    private final AtomicLong handles = new AtomicLong();

    /**
     * @param id the backend's id
     * @param kind the kind of vNIC it pretends to make
     * @param capabilities what it declares it can do
     */
    public EmbeddedBackend(String id, BackendKind kind, Set<Capability> capabilities) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.capabilities = Set.copyOf(capabilities);
    }

    /**
     * @param id the backend's id
     * @param kind the kind of vNIC it pretends to make
     * @return a backend declaring every capability
     */
    public static EmbeddedBackend of(String id, BackendKind kind) {
        return new EmbeddedBackend(id, kind, EnumSet.allOf(Capability.class));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public BackendKind kind() {
        return kind;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public Attachment attach(AttachRequest request) {
        String handle = id + "/port" + handles.incrementAndGet();
        ports.put(handle, portFor(request));
        return Attachment.of(id, handle);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        if (ports.computeIfPresent(attachment.handle(), (h, old) -> portFor(request)) == null) {
            throw noSuchPort("update", attachment);
        }
        return attachment;
    }

    @Override
    public void detach(Attachment attachment) {
        ports.remove(attachment.handle());
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        if (!ports.containsKey(attachment.handle())) {
            throw noSuchPort("stats", attachment);
        }
        return VnicStats.ZERO;
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        return ports.entrySet().stream()
                .map(e -> new DiscoveredPort(e.getKey(), Optional.ofNullable(e.getValue().owner()),
                        e.getValue().mac(), e.getValue().guid(), OptionalInt.of(e.getValue().segment()),
                        Optional.of(e.getValue().maxRate())))
                .toList();
    }

    @Override
    public void close() {
        // nothing to release: the ports are plain memory
    }

    /** @return a sorted copy of the ports, by handle */
    public Map<String, Port> ports() {
        return new TreeMap<>(ports);
    }

    /**
     * Changes a port behind the fabric's back, as a person with a shell would.
     *
     * @param handle the port
     * @param change how to change it
     */
    public void tamper(String handle, UnaryOperator<Port> change) {
        ports.computeIfPresent(handle, (h, p) -> change.apply(p));
    }

    /**
     * Removes a port behind the fabric's back.
     *
     * @param handle the port
     */
    public void removePort(String handle) {
        ports.remove(handle);
    }

    /**
     * Adds a port behind the fabric's back.
     *
     * @param handle the port's handle
     * @param port the port
     */
    public void addPort(String handle, Port port) {
        ports.put(handle, port);
    }

    private BackendException noSuchPort(String operation, Attachment attachment) {
        return new BackendException(id, operation, "no port " + attachment.handle(), 19, null);
    }

    private static Port portFor(AttachRequest request) {
        return new Port(request.spec().id(), request.addresses().mac(), request.addresses().guid(),
                request.network().segment(), request.effectiveMaxRate().orElse(Bandwidth.ZERO));
    }
}
