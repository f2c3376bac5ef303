package dev.iov.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link StateStore} must have. Each implementation's test extends this class and says how to
 * create an empty store; nothing here may depend on how a store is built.
 */
public abstract class StateStoreContract {

    /** How long to wait for an event that should come. */
    private static final Duration EVENT_WAIT = Duration.ofSeconds(10);
    /** How long to wait for an event that should not come. */
    private static final Duration SILENCE = Duration.ofMillis(200);

    /** The store under test, fresh and empty for each test. */
    protected StateStore store;

    /**
     * Creates an empty store.
     *
     * @return the store; closed after the test
     * @throws Exception when it cannot be created
     */
    protected abstract StateStore createStore() throws Exception;

    /**
     * How many increments each of the 8 threads makes in the concurrent compare-and-set test; slow stores may
     * lower it.
     *
     * @return increments per thread
     */
    protected int casIncrementsPerThread() {
        return 100;
    }

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- create, update, compare-and-set ----

    @Test
    void absentKeyReadsEmpty() {
        assertThat(store.get("missing")).isEmpty();
    }

    @Test
    void createReturnsVersionOneAndIsReadBack() {
        assertThat(store.put("vnic/a", bytes("one"), StateStore.ABSENT)).isEqualTo(1);
        assertThat(store.get("vnic/a")).contains(new VersionedValue(1, bytes("one")));
    }

    @Test
    void updateWithCurrentVersionIncrementsIt() {
        store.put("k", bytes("1"), StateStore.ABSENT);
        assertThat(store.put("k", bytes("2"), 1)).isEqualTo(2);
        assertThat(store.put("k", bytes("3"), StateStore.ANY_VERSION)).isEqualTo(3);
        assertThat(store.get("k")).contains(new VersionedValue(3, bytes("3")));
    }

    @Test
    void unconditionalPutCreatesAtVersionOne() {
        assertThat(store.put("k", bytes("x"), StateStore.ANY_VERSION)).isEqualTo(1);
    }

    @Test
    void createOverExistingRecordConflicts() {
        store.put("k", bytes("first"), StateStore.ABSENT);

        assertThatThrownBy(() -> store.put("k", bytes("second"), StateStore.ABSENT))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo("k");
                    assertThat(e.expectedVersion()).isEqualTo(StateStore.ABSENT);
                    assertThat(e.actualVersion()).isEqualTo(1);
                    assertThat(e).hasMessageContaining("'k'");
                });
        assertThat(store.get("k")).contains(new VersionedValue(1, bytes("first")));
    }

    @Test
    void updateWithStaleVersionConflictsAndWritesNothing() {
        store.put("k", bytes("1"), StateStore.ABSENT);
        store.put("k", bytes("2"), 1);

        assertThatThrownBy(() -> store.put("k", bytes("stale"), 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo("k");
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThat(store.get("k")).contains(new VersionedValue(2, bytes("2")));
    }

    @Test
    void updateOfAbsentKeyConflicts() {
        assertThatThrownBy(() -> store.put("k", bytes("x"), 3))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(3);
                    assertThat(e.actualVersion()).isEqualTo(StateStore.ABSENT);
                });
        assertThat(store.get("k")).isEmpty();
    }

    @Test
    void expectedVersionBelowAnyIsRejected() {
        assertThatThrownBy(() -> store.put("k", bytes("x"), -2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("k", -2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get("k")).isEmpty();
    }

    // ---- delete ----

    @Test
    void deleteWithCurrentVersionRemovesTheRecord() {
        store.put("k", bytes("x"), StateStore.ABSENT);
        store.put("k", bytes("y"), 1);

        assertThat(store.delete("k", 2)).isTrue();
        assertThat(store.get("k")).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void unconditionalDeleteRemovesTheRecord() {
        store.put("k", bytes("x"), StateStore.ABSENT);

        assertThat(store.delete("k", StateStore.ANY_VERSION)).isTrue();
        assertThat(store.get("k")).isEmpty();
    }

    @Test
    void unconditionalDeleteOfAbsentKeyIsFalse() {
        assertThat(store.delete("k", StateStore.ANY_VERSION)).isFalse();
        store.put("k", bytes("x"), StateStore.ABSENT);
        store.delete("k", 1);
        assertThat(store.delete("k", StateStore.ANY_VERSION)).isFalse();
    }

    @Test
    void deleteOfAbsentKeyWithAVersionConflicts() {
        assertThatThrownBy(() -> store.delete("k", 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo("k");
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(StateStore.ABSENT);
                });
    }

    @Test
    void deleteWithStaleVersionConflictsAndKeepsTheRecord() {
        store.put("k", bytes("x"), StateStore.ABSENT);
        store.put("k", bytes("y"), 1);

        assertThatThrownBy(() -> store.delete("k", 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expectedVersion()).isEqualTo(1);
                    assertThat(e.actualVersion()).isEqualTo(2);
                });
        assertThat(store.get("k")).contains(new VersionedValue(2, bytes("y")));
    }

    @Test
    void deleteExpectingAbsentIsRejected() {
        store.put("k", bytes("x"), StateStore.ABSENT);

        assertThatThrownBy(() -> store.delete("k", StateStore.ABSENT)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.get("k")).isPresent();
    }

    @Test
    void recreatedKeyStartsAgainAtVersionOne() {
        store.put("k", bytes("x"), StateStore.ABSENT);
        store.put("k", bytes("y"), 1);
        store.delete("k", 2);

        assertThat(store.put("k", bytes("z"), StateStore.ABSENT)).isEqualTo(1);
        assertThat(store.get("k")).contains(new VersionedValue(1, bytes("z")));
    }

    // ---- list ----

    @Test
    void listReturnsMatchingRecordsInKeyOrder() {
        List<String> keys = new ArrayList<>(List.of("b/2", "a/1", "b/10", "a", "b/1", "c", "b", "ba"));
        Collections.shuffle(keys);
        for (String key : keys) {
            store.put(key, bytes(key), StateStore.ABSENT);
        }

        assertThat(store.list("b/")).containsExactly(
                Map.entry("b/1", new VersionedValue(1, bytes("b/1"))),
                Map.entry("b/10", new VersionedValue(1, bytes("b/10"))),
                Map.entry("b/2", new VersionedValue(1, bytes("b/2"))));
        assertThat(store.list("").keySet()).containsExactly("a", "a/1", "b", "b/1", "b/10", "b/2", "ba", "c");
        assertThat(store.list("b").keySet()).containsExactly("b", "b/1", "b/10", "b/2", "ba");
        assertThat(store.list("zzz")).isEmpty();
    }

    @Test
    void listIsAnImmutableSnapshot() {
        store.put("p/a", bytes("1"), StateStore.ABSENT);
        store.put("p/b", bytes("1"), StateStore.ABSENT);
        Map<String, VersionedValue> before = store.list("p/");

        store.put("p/a", bytes("2"), 1);
        store.delete("p/b", 1);
        store.put("p/c", bytes("1"), StateStore.ABSENT);

        assertThat(before).containsExactly(
                Map.entry("p/a", new VersionedValue(1, bytes("1"))),
                Map.entry("p/b", new VersionedValue(1, bytes("1"))));
        assertThatThrownBy(() -> before.put("p/z", new VersionedValue(1, bytes("z"))))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(store.list("p/").keySet()).containsExactly("p/a", "p/c");
    }

    /**
     * A writer sets k0..k9 to round r, in that order, round after round. A consistent snapshot therefore reads a
     * non-increasing sequence spanning at most one round; a list that mixed moments (say k9 read after the writer
     * went past it, k0 before) would show k9 ahead of k0.
     */
    @Test
    void listIsConsistentUnderConcurrentWrites() throws Exception {
        int keys = 10;
        int rounds = 30;
        for (int k = 0; k < keys; k++) {
            store.put(counterKey(k), bytes("0"), StateStore.ABSENT);
        }
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writing = writer.submit(() -> {
                for (int round = 1; round <= rounds; round++) {
                    for (int k = 0; k < keys; k++) {
                        store.put(counterKey(k), bytes(Integer.toString(round)), StateStore.ANY_VERSION);
                    }
                }
                return null;
            });
            int snapshots = 0;
            while (!writing.isDone() || snapshots == 0) {
                Map<String, VersionedValue> snapshot = store.list("counter/");
                snapshots++;
                assertThat(snapshot).hasSize(keys);
                int first = number(snapshot.get(counterKey(0)));
                int previous = first;
                for (int k = 1; k < keys; k++) {
                    int value = number(snapshot.get(counterKey(k)));
                    assertThat(value).as("k%d in %s", k, describe(snapshot)).isLessThanOrEqualTo(previous);
                    previous = value;
                }
                assertThat(first - previous).as("spread of %s", describe(snapshot)).isLessThanOrEqualTo(1);
            }
            writing.get();
        } finally {
            writer.shutdownNow();
        }
    }

    // ---- watch ----

    @Test
    void watchDeliversChangesOfOneKeyInCommitOrder() throws Exception {
        Recorder events = new Recorder();
        store.watch("w/", events);

        store.put("w/k", bytes("v1"), StateStore.ABSENT);
        for (int version = 1; version < 20; version++) {
            store.put("w/k", bytes("v" + (version + 1)), version);
        }
        store.delete("w/k", 20);

        for (int version = 1; version <= 20; version++) {
            StoreEvent event = events.next();
            assertThat(event.key()).isEqualTo("w/k");
            assertThat(event.type()).isEqualTo(StoreEvent.Type.PUT);
            assertThat(event.version()).isEqualTo(version);
            assertThat(event.value()).isEqualTo(bytes("v" + version));
        }
        StoreEvent deleted = events.next();
        assertThat(deleted.type()).isEqualTo(StoreEvent.Type.DELETE);
        assertThat(deleted.version()).isEqualTo(20);
        assertThat(deleted.value()).isEmpty();
        events.expectNone();
    }

    @Test
    void watchSeesOnlyItsPrefixAndOnlyAcknowledgedChanges() throws Exception {
        Recorder events = new Recorder();
        store.watch("vnic/", events);

        store.put("vf/1", bytes("x"), StateStore.ABSENT);
        store.put("vnic/1", bytes("x"), StateStore.ABSENT);
        assertThatThrownBy(() -> store.put("vnic/1", bytes("y"), StateStore.ABSENT))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store.delete("vnic/2", StateStore.ANY_VERSION)).isFalse();

        assertThat(events.next().key()).isEqualTo("vnic/1");
        events.expectNone();
    }

    @Test
    void perKeyOrderHoldsWithConcurrentWriters() throws Exception {
        int threads = 4;
        int writesPerThread = 50;
        Map<String, List<Long>> versionsSeen = new ConcurrentHashMap<>();
        CountDownLatch allSeen = new CountDownLatch(threads * writesPerThread);
        store.watch("", event -> {
            versionsSeen.computeIfAbsent(event.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(event.version());
            allSeen.countDown();
        });

        runConcurrently(threads, thread -> {
            for (int i = 0; i < writesPerThread; i++) {
                // Two threads share each key, so writes to a key come from different threads.
                store.put("order/" + (thread % 2) + "/" + (i % 5), bytes("x"), StateStore.ANY_VERSION);
            }
        });

        assertThat(allSeen.await(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        versionsSeen.forEach((key, versions) -> {
            for (int i = 0; i < versions.size(); i++) {
                assertThat(versions.get(i)).as("event %d of %s", i, key).isEqualTo(i + 1L);
            }
        });
    }

    @Test
    void listenerRunsAfterTheChangeIsVisible() throws Exception {
        BlockingQueue<Optional<VersionedValue>> seen = new LinkedBlockingQueue<>();
        store.watch("v/", event -> seen.add(store.get(event.key())));

        store.put("v/k", bytes("a"), StateStore.ABSENT);
        store.put("v/k", bytes("b"), 1);

        assertThat(seen.poll(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)).hasValueSatisfying(
                record -> assertThat(record.version()).isGreaterThanOrEqualTo(1));
        assertThat(seen.poll(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .contains(new VersionedValue(2, bytes("b")));
    }

    @Test
    void closedWatchGetsNothingMore() throws Exception {
        Recorder closed = new Recorder();
        Recorder open = new Recorder();
        StateStore.Watch watch = store.watch("", closed);
        store.watch("", open);
        store.put("k", bytes("1"), StateStore.ABSENT);
        assertThat(closed.next().version()).isEqualTo(1);
        assertThat(open.next().version()).isEqualTo(1);

        watch.close();
        watch.close();
        store.put("k", bytes("2"), 1);

        assertThat(open.next().version()).isEqualTo(2);
        closed.expectNone();
    }

    @Test
    void throwingListenerBreaksNeitherTheStoreNorOtherListeners() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        store.watch("", event -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener failure provoked by the test");
        });
        Recorder events = new Recorder();
        store.watch("", events);

        store.put("k", bytes("1"), StateStore.ABSENT);
        store.put("k", bytes("2"), 1);

        assertThat(events.next().version()).isEqualTo(1);
        assertThat(events.next().version()).isEqualTo(2);
        assertThat(calls).hasValue(2);
        assertThat(store.get("k")).contains(new VersionedValue(2, bytes("2")));
    }

    // ---- concurrency ----

    @Test
    void concurrentCompareAndSetIncrementsLoseNothing() throws Exception {
        int threads = 8;
        int increments = casIncrementsPerThread();
        store.put("counter", bytes("0"), StateStore.ABSENT);

        runConcurrently(threads, thread -> {
            for (int done = 0; done < increments; ) {
                VersionedValue current = store.get("counter").orElseThrow();
                try {
                    store.put("counter", bytes(Integer.toString(number(current) + 1)), current.version());
                    done++;
                } catch (VersionConflictException e) {
                    // Another thread won this round; read again and retry.
                }
            }
        });

        VersionedValue last = store.get("counter").orElseThrow();
        assertThat(number(last)).isEqualTo(threads * increments);
        assertThat(last.version()).isEqualTo(1L + threads * increments);
    }

    // ---- values are copied ----

    @Test
    void mutatingTheCallersArrayAfterPutDoesNotChangeTheStore() {
        byte[] value = bytes("original");
        store.put("k", value, StateStore.ABSENT);
        value[0] = 'X';

        assertThat(store.get("k").orElseThrow().value()).isEqualTo(bytes("original"));
    }

    @Test
    void mutatingReturnedArraysDoesNotChangeTheStore() throws Exception {
        Recorder events = new Recorder();
        store.watch("", events);
        store.put("k", bytes("original"), StateStore.ABSENT);

        store.get("k").orElseThrow().value()[0] = 'X';
        store.list("").get("k").value()[0] = 'Y';
        events.next().value()[0] = 'Z';

        assertThat(store.get("k").orElseThrow().value()).isEqualTo(bytes("original"));
        assertThat(store.list("k").get("k").value()).isEqualTo(bytes("original"));
    }

    @Test
    void emptyValueIsAllowed() {
        store.put("k", new byte[0], StateStore.ABSENT);
        assertThat(store.get("k")).contains(new VersionedValue(1, new byte[0]));
    }

    // ---- validation ----

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", " lead", "trail ", "tab\there", "new\nline", "nul\0", "caf\u00e9",
            "del\u007f"})
    void invalidKeysAreRejectedNamingTheKey(String key) {
        String shown = key.replace("\t", "\\t").replace("\n", "\\n").replace("\0", "\\u0000")
                .replace("\u00e9", "\\u00e9").replace("\u007f", "\\u007f");
        for (Runnable call : List.<Runnable>of(
                () -> store.put(key, bytes("x"), StateStore.ANY_VERSION),
                () -> store.get(key),
                () -> store.delete(key, StateStore.ANY_VERSION))) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + shown + "'");
        }
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void tooLongKeyIsRejectedNamingTheKey() {
        String longest = "k/" + "x".repeat(StoreKeys.MAX_KEY_LENGTH - 2);
        store.put(longest, bytes("x"), StateStore.ABSENT);
        assertThat(store.get(longest)).isPresent();

        String tooLong = "long/" + "y".repeat(StoreKeys.MAX_KEY_LENGTH - 4);
        assertThatThrownBy(() -> store.put(tooLong, bytes("x"), StateStore.ABSENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'long/yyyy")
                .hasMessageContaining(Integer.toString(StoreKeys.MAX_KEY_LENGTH));
        assertThatThrownBy(() -> store.get(tooLong)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list("long/")).isEmpty();
    }

    @Test
    void invalidPrefixesAreRejected() {
        assertThatThrownBy(() -> store.list("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.watch("a\nb", event -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("p".repeat(StoreKeys.MAX_KEY_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatThrownBy(() -> store.put(null, bytes("x"), StateStore.ABSENT))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.put("k", null, StateStore.ABSENT)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.list(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.watch("", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void tooLargeValueIsRejected() {
        byte[] tooLarge = new byte[StoreKeys.MAX_VALUE_BYTES + 1];
        assertThatThrownBy(() -> store.put("big", tooLarge, StateStore.ABSENT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'big'");
        assertThat(store.get("big")).isEmpty();
    }

    // ---- close ----

    @Test
    void closedStoreRefusesEverythingAndCloseIsIdempotent() {
        store.put("k", bytes("x"), StateStore.ABSENT);
        store.close();
        store.close();

        for (Runnable call : List.<Runnable>of(
                () -> store.get("k"),
                () -> store.put("k", bytes("y"), StateStore.ANY_VERSION),
                () -> store.delete("k", StateStore.ANY_VERSION),
                () -> store.list(""),
                () -> store.watch("", event -> { }))) {
            assertThatThrownBy(call::run).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        }
    }

    // ---- helpers ----

    /**
     * UTF-8 bytes of a string.
     *
     * @param text the text
     * @return its bytes
     */
    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String counterKey(int k) {
        return "counter/" + k;
    }

    private static int number(VersionedValue record) {
        return Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8));
    }

    private static String describe(Map<String, VersionedValue> snapshot) {
        StringBuilder text = new StringBuilder("{");
        snapshot.forEach((key, record) -> text.append(key).append('=').append(number(record)).append(' '));
        return text.append('}').toString();
    }

    /** A body run by each of several threads; gets the thread's number. */
    @FunctionalInterface
    protected interface ThreadBody {
        /**
         * Runs on one thread.
         *
         * @param thread the thread's number, from 0
         * @throws Exception on failure, which fails the test
         */
        void run(int thread) throws Exception;
    }

    /**
     * Runs {@code body} on {@code threads} threads started together and waits for all of them, failing the test
     * if any fails or they take longer than a minute.
     *
     * @param threads how many threads
     * @param body what each runs
     * @throws Exception when a thread failed
     */
    protected static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A listener that queues what it receives, for the test thread to take. */
    private static final class Recorder implements Consumer<StoreEvent> {
        private final BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void accept(StoreEvent event) {
            events.add(event);
        }

        StoreEvent next() throws InterruptedException {
            StoreEvent event = events.poll(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                fail("no event within " + EVENT_WAIT);
            }
            return event;
        }

        void expectNone() throws InterruptedException {
            StoreEvent event = events.poll(SILENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("unexpected event").isNull();
        }
    }
}
