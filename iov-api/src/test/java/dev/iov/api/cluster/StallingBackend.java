package dev.iov.api.cluster;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A backend that passes every call to another, except that its next {@code attach} stops before it starts and waits
 * until {@link #resume} is called: a management node frozen in the middle of a provision, whose intent is in the
 * store and whose host has not been touched yet.
 */
public final class StallingBackend implements IoBackend {
    private final IoBackend delegate;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);
    private volatile boolean armed = true;

    /** @param delegate the backend that does the work */
    public StallingBackend(IoBackend delegate) {
        this.delegate = delegate;
    }

    /**
     * Waits until an attach is stalled.
     *
     * @param seconds how long to wait
     * @return true when an attach is waiting
     * @throws InterruptedException when interrupted
     */
    public boolean awaitStalled(long seconds) throws InterruptedException {
        return entered.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets the stalled attach go on; later attaches do not stall. */
    public void resume() {
        armed = false;
        resumed.countDown();
    }

    @Override
    public Attachment attach(AttachRequest request) {
        if (armed) {
            entered.countDown();
            try {
                resumed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stalled", e);
            }
        }
        return delegate.attach(request);
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
        resume();
        delegate.close();
    }
}
