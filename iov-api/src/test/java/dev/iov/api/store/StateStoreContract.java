package dev.iov.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

    // ---- transactions (commit) ----

    /**
     * How many transfers each of the 4 threads makes in the concurrent commit test; slow stores may lower it.
     *
     * @return transfers per thread
     */
    protected int commitTransfersPerThread() {
        return 100;
    }

    @Test
    void commitAppliesEveryStepAndReturnsTheVersions() {
        store.put("tx/update", bytes("u1"), StateStore.ABSENT);
        store.put("tx/gone", bytes("g1"), StateStore.ABSENT);
        store.put("tx/checked", bytes("c1"), StateStore.ABSENT);
        store.put("tx/checked", bytes("c2"), 1);
        store.put("tx/any", bytes("a1"), StateStore.ABSENT);

        List<Long> versions = store.commit(List.of(
                new StoreOp.Put("tx/new", bytes("n1"), StateStore.ABSENT),
                new StoreOp.Put("tx/update", bytes("u2"), 1),
                new StoreOp.Delete("tx/gone", 1),
                new StoreOp.Check("tx/checked", 2),
                new StoreOp.Put("tx/any", bytes("a2"), StateStore.ANY_VERSION),
                new StoreOp.Check("tx/absent", StateStore.ABSENT)));

        assertThat(versions).containsExactly(1L, 2L, StateStore.ABSENT, 2L, 2L, StateStore.ABSENT);
        assertThat(store.list("tx/")).containsExactly(
                Map.entry("tx/any", new VersionedValue(2, bytes("a2"))),
                Map.entry("tx/checked", new VersionedValue(2, bytes("c2"))),
                Map.entry("tx/new", new VersionedValue(1, bytes("n1"))),
                Map.entry("tx/update", new VersionedValue(2, bytes("u2"))));
    }

    /** The conflicting step is first, in the middle or last: nothing of the transaction may be written. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void commitWithAConflictingStepWritesNothingAndNamesTheFirstConflict(int conflicting) throws Exception {
        store.put("tx/a", bytes("a1"), StateStore.ABSENT);
        store.put("tx/b", bytes("b1"), StateStore.ABSENT);
        store.put("tx/c", bytes("c1"), StateStore.ABSENT);
        Map<String, VersionedValue> before = store.list("");
        Recorder events = new Recorder();
        store.watch("", events);
        List<StoreOp> ops = new ArrayList<>(List.of(
                new StoreOp.Put("tx/a", bytes("a2"), 1),
                new StoreOp.Delete("tx/b", 1),
                new StoreOp.Put("tx/c", bytes("c2"), 1)));
        String conflictingKey = ops.get(conflicting).key();
        // A stale version at the conflicting step, and a second conflict after it that must not be the one named.
        ops.set(conflicting, conflicting == 1 ? new StoreOp.Delete("tx/b", 7)
                : new StoreOp.Put(conflictingKey, bytes("stale"), 7));
        ops.add(new StoreOp.Check("tx/z", 3));

        assertThatThrownBy(() -> store.commit(ops))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo(conflictingKey);
                    assertThat(e.expectedVersion()).isEqualTo(7);
                    assertThat(e.actualVersion()).isEqualTo(1);
                });
        assertThat(store.list("")).isEqualTo(before);
        events.expectNone();
    }

    @Test
    void commitCreatingAnExistingKeyConflictsAndWritesNothing() throws Exception {
        store.put("tx/exists", bytes("x"), StateStore.ABSENT);
        Recorder events = new Recorder();
        store.watch("", events);

        assertThatThrownBy(() -> store.commit(List.of(
                new StoreOp.Put("tx/new", bytes("n"), StateStore.ABSENT),
                new StoreOp.Put("tx/exists", bytes("y"), StateStore.ABSENT))))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo("tx/exists");
                    assertThat(e.expectedVersion()).isEqualTo(StateStore.ABSENT);
                    assertThat(e.actualVersion()).isEqualTo(1);
                });
        assertThat(store.get("tx/new")).isEmpty();
        assertThat(store.get("tx/exists")).contains(new VersionedValue(1, bytes("x")));
        events.expectNone();
    }

    @Test
    void commitCheckPassesAtTheVersionAndFailsOtherwise() {
        store.put("tx/guard", bytes("g"), StateStore.ABSENT);
        store.put("tx/guard", bytes("g"), 1);

        assertThat(store.commit(List.of(new StoreOp.Check("tx/guard", 2),
                new StoreOp.Put("tx/out", bytes("1"), StateStore.ABSENT)))).containsExactly(2L, 1L);

        for (long stale : new long[] {StateStore.ABSENT, 1, 3}) {
            assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Put("tx/out", bytes("2"), 1),
                    new StoreOp.Check("tx/guard", stale))))
                    .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                        assertThat(e.key()).isEqualTo("tx/guard");
                        assertThat(e.expectedVersion()).isEqualTo(stale);
                        assertThat(e.actualVersion()).isEqualTo(2);
                    });
        }
        assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Put("tx/out", bytes("2"), 1),
                new StoreOp.Check("tx/missing", 1))))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo("tx/missing");
                    assertThat(e.actualVersion()).isEqualTo(StateStore.ABSENT);
                });
        assertThat(store.get("tx/out")).contains(new VersionedValue(1, bytes("1")));
        assertThat(store.get("tx/guard")).contains(new VersionedValue(2, bytes("g")));
    }

    @Test
    void commitDeletingAnAbsentKeyWithAnyVersionIsNoStep() throws Exception {
        Recorder events = new Recorder();
        store.watch("", events);

        assertThat(store.commit(List.of(new StoreOp.Delete("tx/absent", StateStore.ANY_VERSION),
                new StoreOp.Put("tx/k", bytes("v"), StateStore.ABSENT)))).containsExactly(StateStore.ABSENT, 1L);
        assertThat(store.commit(List.of(new StoreOp.Delete("tx/absent", StateStore.ANY_VERSION))))
                .containsExactly(StateStore.ABSENT);

        StoreEvent event = events.next();
        assertThat(event.key()).isEqualTo("tx/k");
        events.expectNone();
        assertThat(store.list("")).containsOnlyKeys("tx/k");
        assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Delete("tx/absent", 1))))
                .isInstanceOf(VersionConflictException.class);
    }

    @Test
    void commitOfAnEmptyListOrARepeatedKeyIsRejected() {
        store.put("tx/k", bytes("v"), StateStore.ABSENT);

        assertThatThrownBy(() -> store.commit(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Put("tx/new", bytes("n"), StateStore.ABSENT),
                new StoreOp.Put("tx/k", bytes("w"), 1), new StoreOp.Check("tx/k", 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'tx/k'");
        assertThatThrownBy(() -> store.commit(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.commit(Arrays.asList(new StoreOp.Check("tx/k", 1), null)))
                .isInstanceOf(NullPointerException.class);
        assertThat(store.list("")).containsOnlyKeys("tx/k");
        assertThat(store.get("tx/k").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void commitStepWithAnInvalidKeyIsRejectedNamingIt() {
        assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Put("tx/ok", bytes("v"), StateStore.ABSENT),
                new StoreOp.Put("bad key", bytes("v"), StateStore.ABSENT))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad key'");
        assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Check("tab\tkey", 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Delete("tx/ok", StateStore.ABSENT))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void commitIsSeenByWatchersAsOneEventPerChangedKeyInOrder() throws Exception {
        store.put("tx/b", bytes("b1"), StateStore.ABSENT);
        store.put("tx/c", bytes("c1"), StateStore.ABSENT);
        Recorder events = new Recorder();
        store.watch("tx/", events);

        store.commit(List.of(
                new StoreOp.Put("tx/a", bytes("a1"), StateStore.ABSENT),
                new StoreOp.Delete("tx/b", 1),
                new StoreOp.Check("tx/c", 1),
                new StoreOp.Put("tx/d", bytes("d1"), StateStore.ANY_VERSION)));

        StoreEvent a = events.next();
        assertThat(a.key()).isEqualTo("tx/a");
        assertThat(a.type()).isEqualTo(StoreEvent.Type.PUT);
        assertThat(a.version()).isEqualTo(1);
        assertThat(a.value()).isEqualTo(bytes("a1"));
        StoreEvent b = events.next();
        assertThat(b.key()).isEqualTo("tx/b");
        assertThat(b.type()).isEqualTo(StoreEvent.Type.DELETE);
        assertThat(b.version()).isEqualTo(1);
        StoreEvent d = events.next();
        assertThat(d.key()).isEqualTo("tx/d");
        assertThat(d.type()).isEqualTo(StoreEvent.Type.PUT);
        events.expectNone();
    }

    /**
     * A listener that reads the store when the transaction's first event arrives must already see the whole
     * transaction: it became visible at once, before any of its events.
     */
    @Test
    void commitIsVisibleWholeWhenItsFirstEventArrives() throws Exception {
        BlockingQueue<Map<String, VersionedValue>> seen = new LinkedBlockingQueue<>();
        store.watch("tx/", event -> seen.add(store.list("tx/")));

        store.commit(List.of(new StoreOp.Put("tx/1", bytes("x"), StateStore.ABSENT),
                new StoreOp.Put("tx/2", bytes("y"), StateStore.ABSENT),
                new StoreOp.Put("tx/3", bytes("z"), StateStore.ABSENT)));

        assertThat(seen.poll(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)).containsOnlyKeys("tx/1", "tx/2", "tx/3");
    }

    @Test
    void mutatingTheCallersArrayAfterCommitDoesNotChangeTheStore() {
        byte[] value = bytes("original");
        StoreOp.Put put = new StoreOp.Put("tx/k", value, StateStore.ABSENT);
        store.commit(List.of(put));
        value[0] = 'X';

        assertThat(store.get("tx/k").orElseThrow().value()).isEqualTo(bytes("original"));
    }

    /**
     * Threads move units between a few counters with read-modify-commit transactions, retrying on conflicts, while
     * a reader lists the counters. The total never changes in any snapshot, every transfer lands exactly once, and
     * each counter's version counts the transfers that touched it.
     */
    @Test
    void concurrentTransfersKeepTheSumAndLoseNoUpdate() throws Exception {
        int counters = 4;
        int threads = 4;
        int transfers = commitTransfersPerThread();
        int initial = 1000;
        for (int k = 0; k < counters; k++) {
            store.put(counterKey(k), bytes(Integer.toString(initial)), StateStore.ABSENT);
        }
        int[][] moved = new int[threads][counters];
        AtomicInteger snapshots = new AtomicInteger();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        try {
            Future<?> reading = reader.submit(() -> {
                while (writing.get() || snapshots.get() == 0) {
                    Map<String, VersionedValue> snapshot = store.list("counter/");
                    assertThat(snapshot).hasSize(counters);
                    int sum = snapshot.values().stream().mapToInt(StateStoreContract::number).sum();
                    assertThat(sum).as("sum of %s", describe(snapshot)).isEqualTo(counters * initial);
                    snapshots.incrementAndGet();
                }
                return null;
            });
            runConcurrently(threads, thread -> {
                java.util.Random random = new java.util.Random(thread);
                for (int done = 0; done < transfers; ) {
                    int from = random.nextInt(counters);
                    int to = (from + 1 + random.nextInt(counters - 1)) % counters;
                    VersionedValue source = store.get(counterKey(from)).orElseThrow();
                    VersionedValue target = store.get(counterKey(to)).orElseThrow();
                    try {
                        store.commit(List.of(
                                new StoreOp.Put(counterKey(from), bytes(Integer.toString(number(source) - 1)),
                                        source.version()),
                                new StoreOp.Put(counterKey(to), bytes(Integer.toString(number(target) + 1)),
                                        target.version())));
                        moved[thread][from]--;
                        moved[thread][to]++;
                        done++;
                    } catch (VersionConflictException e) {
                        // Another thread changed one of them; read again and retry.
                    }
                }
            });
            writing.set(false);
            reading.get(60, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            reader.shutdownNow();
        }

        long touches = 0;
        for (int k = 0; k < counters; k++) {
            int expected = initial;
            for (int t = 0; t < threads; t++) {
                expected += moved[t][k];
            }
            VersionedValue counter = store.get(counterKey(k)).orElseThrow();
            assertThat(number(counter)).as("counter %d", k).isEqualTo(expected);
            touches += counter.version() - 1;
        }
        assertThat(touches).as("versions added by %d transfers", threads * transfers)
                .isEqualTo(2L * threads * transfers);
    }

    @Test
    void commitOnAClosedStoreIsRefused() {
        store.close();

        assertThatThrownBy(() -> store.commit(List.of(new StoreOp.Put("tx/k", bytes("v"), StateStore.ABSENT))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
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
                () -> store.commit(List.of(new StoreOp.Check("k", 1))),
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
