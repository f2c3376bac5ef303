package dev.iov.api.fabric;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.embedded.EmbeddedDevice;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@link EmbeddedBackend} that fails where {@link Faults} says (every call that changes or reads a port is a
 * fault point) and can be made unreachable. Test scope only.
 */
final class FaultyBackend implements IoBackend {
    private final EmbeddedBackend inner;
    private final Faults faults;
    private volatile boolean unreachable;

    FaultyBackend(String id, BackendKind kind, Faults faults, Capability... capabilities) {
        this.inner = new EmbeddedBackend(id, kind, capabilities.length == 0 ? EnumSet.allOf(Capability.class)
                : EnumSet.copyOf(List.of(capabilities)));
        this.faults = faults;
    }

    /** A new backend instance over an existing device: what a manager restart sees. */
    FaultyBackend(String id, BackendKind kind, Faults faults, EmbeddedDevice device) {
        this.inner = new EmbeddedBackend(id, kind, EnumSet.allOf(Capability.class), device);
        this.faults = faults;
    }

    static FaultyBackend vswitch(String id, Faults faults) {
        return new FaultyBackend(id, BackendKind.VSWITCH_PORT, faults);
    }

    /** @return the in-memory device behind it, to look at or tamper with its ports */
    EmbeddedDevice device() {
        return inner.device();
    }

    Map<String, EmbeddedDevice.Port> ports() {
        return inner.device().ports();
    }

    void setUnreachable(boolean value) {
        unreachable = value;
    }

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public BackendKind kind() {
        return inner.kind();
    }

    @Override
    public Set<Capability> capabilities() {
        return inner.capabilities();
    }

    @Override
    public Attachment attach(AttachRequest request) {
        check("attach " + request.spec().id());
        return inner.attach(request);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        check("update " + attachment.handle());
        return inner.update(attachment, request);
    }

    @Override
    public void detach(Attachment attachment) {
        check("detach " + attachment.handle());
        inner.detach(attachment);
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        check("stats " + attachment.handle());
        return inner.stats(attachment);
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        if (unreachable) {
            throw new BackendException(id(), "discover", "host " + host + " does not answer", 110, null);
        }
        return inner.discover(host);
    }

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        check("restore");
        return inner.restore(recorded);
    }

    @Override
    public void abandon(AttachRequest request) {
        check("abandon " + request.spec().id());
        inner.abandon(request);
    }

    @Override
    public void close() {
        inner.close();
    }

    private void check(String operation) {
        if (faults != null) {
            synchronized (faults) {
                faults.check(id() + " " + operation);
            }
        }
    }
}
