package dev.iov.api.spi;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicStats;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A backend that passes every call to another: extend it to decorate a backend (count its calls, time them, make
 * one of them fail or wait in a test) by overriding only the calls that change.
 */
public abstract class ForwardingIoBackend implements IoBackend {
    private final IoBackend delegate;

    /** @param delegate the backend that does the work */
    protected ForwardingIoBackend(IoBackend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the backend that does the work */
    protected final IoBackend delegate() {
        return delegate;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public BackendKind kind() {
        return delegate.kind();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Attachment attach(AttachRequest request) {
        return delegate.attach(request);
    }

    @Override
    public Attachment update(Attachment attachment, AttachRequest request) {
        return delegate.update(attachment, request);
    }

    @Override
    public void detach(Attachment attachment) {
        delegate.detach(attachment);
    }

    @Override
    public VnicStats stats(Attachment attachment) {
        return delegate.stats(attachment);
    }

    @Override
    public List<DiscoveredPort> discover(HostId host) {
        return delegate.discover(host);
    }

    @Override
    public RestoreReport restore(List<RecordedAttachment> recorded) {
        return delegate.restore(recorded);
    }

    @Override
    public void abandon(AttachRequest request) {
        delegate.abandon(request);
    }

    @Override
    public boolean countersLiveInProcess() {
        return delegate.countersLiveInProcess();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
