package dev.iov.api.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delivery guarantees {@link WatchDispatcher} gives every store that uses it. */
class WatchDispatcherTest {

    private final WatchDispatcher dispatcher = new WatchDispatcher("test");

    @AfterEach
    void close() {
        dispatcher.close();
    }

    @Test
    void listenersRunOnTheNamedDeliveryThread() throws Exception {
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch called = new CountDownLatch(1);
        dispatcher.register("", event -> {
            thread.set(Thread.currentThread().getName());
            called.countDown();
        });

        dispatcher.publish(put("k", 1));

        assertThat(called.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.get()).startsWith("iov-store-watch-test-");
    }

    @Test
    void watchRegisteredAfterAPublishDoesNotSeeIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        dispatcher.register("", event -> await(release));
        dispatcher.publish(put("before", 1));
        BlockingQueue<StoreEvent> late = new LinkedBlockingQueue<>();
        dispatcher.register("", late::add);
        dispatcher.publish(put("after", 1));
        release.countDown();

        assertThat(late.poll(5, TimeUnit.SECONDS).key()).isEqualTo("after");
        assertThat(late.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void closingAWatchWaitsForItsRunningCall() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean();
        StateStore.Watch watch = dispatcher.register("", event -> {
            running.set(true);
            entered.countDown();
            await(release);
            running.set(false);
        });
        dispatcher.publish(put("k", 1));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(watch::close);
        closer.start();
        closer.join(200);
        assertThat(closer.isAlive()).as("close waits for the running call").isTrue();
        release.countDown();
        closer.join(5000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(running).isFalse();
    }

    @Test
    void listenerMayCloseItsWatchAndTheDispatcher() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<StateStore.Watch> self = new AtomicReference<>();
        self.set(dispatcher.register("", event -> {
            self.get().close();
            dispatcher.close();
            done.countDown();
        }));

        dispatcher.publish(List.of(put("a", 1), put("b", 1)));

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        dispatcher.publish(put("c", 1));
    }

    private static StoreEvent put(String key, long version) {
        return new StoreEvent(key, StoreEvent.Type.PUT, version, new byte[] {1});
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
