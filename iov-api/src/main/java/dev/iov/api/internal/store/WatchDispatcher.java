package dev.iov.api.internal.store;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a store's acknowledged changes to its watchers.
 *
 * <p><b>Delivery thread.</b> Each dispatcher has one daemon thread, named {@code iov-store-watch-<store>}, that
 * calls every listener; it is started on demand and ends after a minute without work. One thread keeps the commit
 * order across all keys for free, keeps writers from waiting on listeners, and means a listener never runs
 * concurrently with itself. The price is that a slow listener delays the others, which is why listeners must not
 * block.
 *
 * <p>The store calls {@link #publish} after a change is visible to readers and in commit order (for instance while
 * still holding its write lock); events are then delivered in that order. A listener sees the changes published
 * after it was registered. A listener that throws is logged at WARN and skipped; delivery goes on.
 */
public final class WatchDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchDispatcher.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 10;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final String storeName;
    private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();
    private final ThreadPoolExecutor executor;
    private volatile Thread deliveryThread;

    /**
     * Creates a dispatcher; its thread starts with the first delivery.
     *
     * @param storeName names the delivery thread and the log lines, e.g. the store's directory
     */
    public WatchDispatcher(String storeName) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        // At most one thread and a FIFO queue: tasks run one after another in submission order.
        executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "iov-store-watch-" + storeName + "-" + THREAD_IDS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Registers a listener.
     *
     * @param prefix the key prefix the listener wants; empty for all keys
     * @param listener the listener
     * @return the handle that unregisters it
     */
    public StateStore.Watch register(String prefix, Consumer<StoreEvent> listener) {
        Registration registration = new Registration(Objects.requireNonNull(prefix, "prefix"),
                Objects.requireNonNull(listener, "listener"));
        registrations.add(registration);
        return registration;
    }

    /**
     * Queues one acknowledged change for delivery.
     *
     * @param change the change; its value array is not modified and is copied for each listener
     */
    public void publish(StoreEvent change) {
        publish(List.of(change));
    }

    /**
     * Queues acknowledged changes for delivery, in the given order.
     *
     * @param changes the changes in commit order; their value arrays are not modified and are copied for each
     *     listener
     */
    public void publish(List<StoreEvent> changes) {
        if (registrations.isEmpty() || changes.isEmpty()) {
            return;
        }
        // Fix the audience now, in commit order: a watch registered later must not see earlier changes.
        Object[] audience = registrations.toArray();
        try {
            executor.execute(() -> deliver(changes, audience));
        } catch (RejectedExecutionException e) {
            LOG.debug("store {} is closed; dropping {} change events", storeName, changes.size());
        }
    }

    private void deliver(List<StoreEvent> changes, Object[] audience) {
        deliveryThread = Thread.currentThread();
        for (StoreEvent change : changes) {
            for (Object target : audience) {
                ((Registration) target).offer(change);
            }
        }
    }

    /**
     * Stops the delivery thread after it has delivered what was already published, waiting for it unless called
     * from a listener. Idempotent.
     */
    @Override
    public void close() {
        executor.shutdown();
        if (Thread.currentThread() == deliveryThread) {
            return;
        }
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("store {}: watch listeners still running {} s after close; not waiting any longer",
                        storeName, CLOSE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One watch: its prefix, its listener, and whether it was closed. */
    private final class Registration implements StateStore.Watch {
        private final String prefix;
        private final Consumer<StoreEvent> listener;
        private boolean closed;

        Registration(String prefix, Consumer<StoreEvent> listener) {
            this.prefix = prefix;
            this.listener = listener;
        }

        /**
         * Calls the listener if the change matches. Synchronized with {@link #close} so that once close returns
         * the listener is not running.
         */
        synchronized void offer(StoreEvent change) {
            if (closed || !change.key().startsWith(prefix)) {
                return;
            }
            StoreEvent copy = new StoreEvent(change.key(), change.type(), change.version(), change.value().clone());
            try {
                listener.accept(copy);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                LOG.warn("store {}: watch listener for prefix '{}' failed on {} of '{}' (version {}); skipping it",
                        storeName, prefix, change.type(), change.key(), change.version(), e);
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                registrations.remove(this);
            }
        }
    }
}
