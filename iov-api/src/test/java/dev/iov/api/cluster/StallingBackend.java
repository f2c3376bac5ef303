package dev.iov.api.cluster;

import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.ForwardingIoBackend;
import dev.iov.api.spi.IoBackend;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A backend that passes every call to another, except that its next {@code attach} stops before it starts and waits
 * until {@link #resume} is called: a management node frozen in the middle of a provision, whose intent is in the
 * store and whose host has not been touched yet.
 */
public final class StallingBackend extends ForwardingIoBackend {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);
    private volatile boolean armed = true;

    /** @param delegate the backend that does the work */
    public StallingBackend(IoBackend delegate) {
        super(delegate);
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
        return super.attach(request);
    }

    @Override
    public void close() {
        resume();
        super.close();
    }
}
