package dev.iov.api.embedded;

import dev.iov.api.embedded.EmbeddedDevice.Port;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A backend whose "device" is a table in memory ({@link EmbeddedDevice}): it does the bookkeeping a real backend does
 * (ports marked with their owner, addresses, segment, rate limit, counters) and touches nothing outside the JVM. For
 * applications' unit tests, demos and control-plane benchmarks, the way Netty's {@code EmbeddedChannel} lets handlers
 * run without I/O. The device outlives the backend: a new {@code EmbeddedBackend} on the same device is a manager
 * restart, and {@link #restore} finds the ports there. Thread-safe.
 *
 * <p>An attach is two steps, as on a real device: the port is created (marked with its owner), then programmed;
 * when programming fails ({@link EmbeddedDevice#failNextProgramming}) the port is removed again. A port's handle is
 * the backend id, {@code /} and the vNIC id, so no two vNICs can ever share one.
 */
public final class EmbeddedBackend implements IoBackend {

    private final String id;
    private final BackendKind kind;
    private final Set<Capability> capabilities;
    private final EmbeddedDevice device;

    /**
     * A backend on a new, empty device.
     *
     * @param id the backend's id
     * @param kind the kind of vNIC it pretends to make
     * @param capabilities what it declares it can do
     */
    public EmbeddedBackend(String id, BackendKind kind, Set<Capability> capabilities) {
        this(id, kind, capabilities, new EmbeddedDevice());
    }

    /**
     * A backend on an existing device, for example after a simulated restart.
     *
     * @param id the backend's id
     * @param kind the kind of vNIC it pretends to make
     * @param capabilities what it declares it can do
     * @param device the device holding its ports
     */
    public EmbeddedBackend(String id, BackendKind kind, Set<Capability> capabilities, EmbeddedDevice device) {
        this.id = Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("embedded backend id is empty");
        }
        this.kind = Objects.requireNonNull(kind, "kind");
        this.capabilities = Set.copyOf(capabilities);
        this.device = Objects.requireNonNull(device, "device");
    }

    /**
     * @param id the backend's id
     * @param kind the kind of vNIC it pretends to make
     * @return a backend declaring every capability, on a new device
     */
    public static EmbeddedBackend of(String id, BackendKind kind) {
        return new EmbeddedBackend(id, kind, EnumSet.allOf(Capability.class));
    }

    /** @return the device holding this backend's ports */
    public EmbeddedDevice device() {
        return device;
    }

    /**
     * @param vnic a vNIC
     * @return the handle its port has on this backend
     */
    public String handleOf(VnicId vnic) {
        return id + "/" + vnic;
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
        VnicId vnic = request.spec().id();
        String operation = "attach " + vnic;
        String handle = handleOf(vnic);
        Optional<Port> existing = device.port(handle);
        if (existing.isPresent()) {
            if (!vnic.equals(existing.get().owner())) {
                throw new OwnershipException(id, operation, "port " + handle, vnic, existing.get().owner());
            }
            return update(Attachment.of(vnic, id, handle), request);
        }
        if (!device.create(handle, vnic)) {
            throw new BackendException(id, operation, "port " + handle + " appeared while it was being created");
        }
        try {
            device.program(handle, portFor(request));
        } catch (RuntimeException e) {
            device.delete(handle);
            throw BackendException.wrap(id, operation, "port " + handle, e);
        }
        return Attachment.of(vnic, id, handle);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        String operation = "update " + attachment.vnic();
        requireSameVnic(attachment, request, operation);
        requireOwned(attachment, operation);
        try {
            device.program(attachment.handle(), portFor(request));
        } catch (RuntimeException e) {
            throw BackendException.wrap(id, operation, "port " + attachment.handle(), e);
        }
        return attachment;
    }

    @Override
    public void detach(Attachment attachment) {
        Optional<Port> port = device.port(attachment.handle());
        if (port.isEmpty()) {
            return;
        }
        if (!attachment.vnic().equals(port.get().owner())) {
            throw new OwnershipException(id, "detach " + attachment.vnic(), "port " + attachment.handle(),
                    attachment.vnic(), port.get().owner());
        }
        device.delete(attachment.handle());
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        requireOwned(attachment, "stats " + attachment.vnic());
        return device.counters(attachment.handle());
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        return device.ports().entrySet().stream()
                .map(e -> new DiscoveredPort(e.getKey(), Optional.ofNullable(e.getValue().owner()),
                        e.getValue().mac(), e.getValue().guid(), OptionalInt.of(e.getValue().segment()),
                        Optional.of(e.getValue().maxRate())))
                .toList();
    }

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        List<Attachment> adopted = new ArrayList<>();
        List<RestoreReport.Missing> missing = new ArrayList<>();
        for (RecordedAttachment r : recorded) {
            Attachment attachment = r.attachment();
            Optional<Port> port = device.port(attachment.handle());
            if (port.isEmpty()) {
                missing.add(RestoreReport.Missing.of(attachment, "no port " + attachment.handle() + " on the device"));
            } else if (!attachment.vnic().equals(port.get().owner())) {
                missing.add(RestoreReport.Missing.of(attachment, "port " + attachment.handle() + " is marked for "
                        + (port.get().owner() == null ? "no vNIC" : "vNIC '" + port.get().owner() + "'")));
            } else {
                adopted.add(attachment);
            }
        }
        return new RestoreReport(adopted, missing);
    }

    @Override
    public void abandon(AttachRequest request) {
        VnicId vnic = request.spec().id();
        String handle = handleOf(vnic);
        device.port(handle).filter(p -> vnic.equals(p.owner())).ifPresent(p -> device.delete(handle));
    }

    @Override
    public void close() {
        // nothing to release: the ports are the device's
    }

    private void requireOwned(Attachment attachment, String operation) {
        Port port = device.port(attachment.handle()).orElseThrow(() -> new BackendException(id, operation,
                "no port " + attachment.handle(), 19, null));
        if (!attachment.vnic().equals(port.owner())) {
            throw new OwnershipException(id, operation, "port " + attachment.handle(), attachment.vnic(),
                    port.owner());
        }
    }

    private void requireSameVnic(Attachment attachment, AttachRequest request, String operation) {
        if (!attachment.vnic().equals(request.spec().id())) {
            throw new OwnershipException(id, operation, "port " + attachment.handle(), request.spec().id(),
                    attachment.vnic());
        }
    }

    private static Port portFor(AttachRequest request) {
        return new Port(request.spec().id(), request.addresses().mac(), request.addresses().guid(),
                request.network().segment(), request.effectiveMaxRate().orElse(Bandwidth.ZERO));
    }

    @Override
    public String toString() {
        return "EmbeddedBackend[" + id + ", " + kind + "]";
    }
}
