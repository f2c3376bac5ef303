package dev.iov.api.fabric;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EmbeddedBackend} that fails where {@link Faults} says (every call that changes or reads a port is a
 * fault point) and can be made unreachable. Test scope only.
 */
final class FaultyBackend implements IoBackend {
    private final EmbeddedBackend device;
    private final Faults faults;
    private volatile boolean unreachable;

    FaultyBackend(String id, BackendKind kind, Faults faults, Capability... capabilities) {
        this.device = new EmbeddedBackend(id, kind, capabilities.length == 0 ? EnumSet.allOf(Capability.class)
                : EnumSet.copyOf(List.of(capabilities)));
        this.faults = faults;
    }

    static FaultyBackend vswitch(String id, Faults faults) {
        return new FaultyBackend(id, BackendKind.VSWITCH_PORT, faults);
    }

    /** @return the in-memory device behind it, to look at or tamper with its ports */
    EmbeddedBackend device() {
        return device;
    }

    Map<String, EmbeddedBackend.Port> ports() {
        return device.ports();
    }

    void setUnreachable(boolean value) {
        unreachable = value;
    }

    @Override
    public String id() {
        return device.id();
    }

    @Override
    public BackendKind kind() {
        return device.kind();
    }

    @Override
    public Set<Capability> capabilities() {
        return device.capabilities();
    }

    @Override
    public Attachment attach(AttachRequest request) {
        check("attach " + request.spec().id());
        return device.attach(request);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        check("update " + attachment.handle());
        return device.update(attachment, request);
    }

    @Override
    public void detach(Attachment attachment) {
        check("detach " + attachment.handle());
        device.detach(attachment);
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        check("stats " + attachment.handle());
        return device.stats(attachment);
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        if (unreachable) {
            throw new BackendException(id(), "discover", "host " + host + " does not answer", 110, null);
        }
        return device.discover(host);
    }

    @Override
    public void close() {
        device.close();
    }

    private void check(String operation) {
        if (faults != null) {
            synchronized (faults) {
                faults.check(id() + " " + operation);
            }
        }
    }
}
