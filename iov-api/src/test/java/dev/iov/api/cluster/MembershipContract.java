package dev.iov.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour every {@link Membership} must have. Each implementation's test extends this class and says how to
 * {@linkplain #join join} a node, how to {@linkplain #kill kill} one as a crash would, and how long a change may take
 * to reach the other nodes ({@link #detectionTimeout()}); nothing here depends on how an implementation is built.
 *
 * <p>What the suite expects of {@link #join}: it returns once the node is a member, its own
 * {@link Membership#members()} already including itself; the other nodes see it within the detection timeout. Each
 * test joins fresh node ids into an empty cluster; every membership joined through {@link #member} is closed after
 * the test, then {@link #cleanUp()} runs.
 */
public abstract class MembershipContract {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipContract.class);

    private final List<Membership> joined = new CopyOnWriteArrayList<>();

    /**
     * Joins a node to the cluster under test (the same cluster for every call within a test, an empty one at the
     * start of each test).
     *
     * @param node the node id
     * @return its membership, a member when returned
     * @throws IllegalArgumentException when the id is blank or a live node has it
     * @throws Exception when the implementation cannot join for another reason
     */
    protected abstract Membership join(String node) throws Exception;

    /**
     * Ends a member's session as a crash would: the member does not leave (its {@link Membership#close()} is not
     * called), and the other nodes must find out by themselves.
     *
     * @param member a membership returned by {@link #join}
     * @throws Exception when the crash cannot be simulated
     */
    protected abstract void kill(Membership member) throws Exception;

    /**
     * How long a change (a join, a leave, a crash) may take to reach every other node; the default suits an
     * implementation that tells at once.
     *
     * @return the implementation's detection time, with slack for a busy machine
     */
    protected Duration detectionTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Runs after every test, once its memberships are closed: close what {@link #join} opened.
     *
     * @throws Exception when something cannot be closed
     */
    protected void cleanUp() throws Exception {
    }

    /**
     * Joins a node through {@link #join} and closes it after the test.
     *
     * @param node the node id
     * @return its membership
     * @throws Exception as {@link #join}
     */
    protected final Membership member(String node) throws Exception {
        Membership membership = join(node);
        joined.add(membership);
        return membership;
    }

    @AfterEach
    final void leaveEverything() throws Exception {
        try {
            for (Membership membership : joined) {
                membership.close();
            }
        } finally {
            joined.clear();
            cleanUp();
        }
    }

    // ---- joining ----

    @Test
    void aJoinedNodeIsAMemberForEveryNode() throws Exception {
        Membership a = member("a");
        assertThat(a.self()).isEqualTo("a");
        assertThat(a.members()).contains("a");
        assertThat(a.isAlive("a")).isTrue();
        Membership b = member("b");
        Membership c = member("c");
        assertThat(b.members()).contains("b");

        for (Membership node : List.of(a, b, c)) {
            awaitMembers(node, Set.of("a", "b", "c"));
            assertThat(node.isAlive("a")).isTrue();
            assertThat(node.isAlive("c")).isTrue();
            assertThat(node.isAlive("nobody")).isFalse();
        }
    }

    @Test
    void theIdOfALiveNodeIsRefusedNamingIt() throws Exception {
        Membership first = member("node-dup-7");

        assertThatThrownBy(() -> member("node-dup-7"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node-dup-7");

        // The live node is untouched by the refused attempt.
        assertThat(first.members()).contains("node-dup-7");
        Membership other = member("other");
        awaitMembers(other, Set.of("node-dup-7", "other"));
        awaitMembers(first, Set.of("node-dup-7", "other"));
    }

    @Test
    void aBlankIdIsRefused() {
        assertThatThrownBy(() -> member(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> member("")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- leaving and crashing ----

    @Test
    void aNodeThatLeavesIsGoneForTheOthers() throws Exception {
        Membership a = member("a");
        Membership b = member("b");
        Recorder seenByB = new Recorder();
        b.subscribe(seenByB);
        Recorder seenByA = new Recorder();
        a.subscribe(seenByA);
        awaitMembers(b, Set.of("a", "b"));

        a.close();

        seenByB.awaitSet("a set without a", set -> set.equals(Set.of("b")));
        awaitMembers(b, Set.of("b"));
        assertThat(b.isAlive("a")).isFalse();
        assertThatCode(a::close).as("close is idempotent").doesNotThrowAnyException();
        assertThatThrownBy(a::members).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.subscribe(set -> { })).isInstanceOf(IllegalStateException.class);
        assertThat(a.self()).isEqualTo("a");

        // A node that left hears nothing more.
        member("c");
        seenByB.awaitSet("c joined", set -> set.contains("c"));
        assertThat(seenByA.all()).noneMatch(set -> set.contains("c"));
    }

    @Test
    void aCrashedNodeIsGoneForTheOthersWithinTheDetectionTime() throws Exception {
        Membership a = member("a");
        Membership b = member("b");
        Recorder seenByB = new Recorder();
        b.subscribe(seenByB);
        awaitMembers(b, Set.of("a", "b"));

        long start = System.nanoTime();
        kill(a);
        seenByB.awaitSet("a set without the crashed node a", set -> set.equals(Set.of("b")));
        LOG.info("{}: a crashed node was gone for the others after {} ms (detection timeout {})",
                getClass().getSimpleName(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                detectionTimeout());
        awaitMembers(b, Set.of("b"));
        assertThat(b.isAlive("a")).isFalse();
    }

    @Test
    void aNodeRejoinsAfterLeaving() throws Exception {
        Membership a = member("a");
        Membership b = member("b");
        Recorder seenByB = new Recorder();
        b.subscribe(seenByB);
        a.close();
        seenByB.awaitSet("a gone", set -> !set.contains("a"));

        Membership again = member("a");

        assertThat(again.members()).contains("a");
        seenByB.awaitSet("a back", set -> set.contains("a"));
        awaitMembers(again, Set.of("a", "b"));
        // Closing the old membership again must not end the new one.
        a.close();
        assertStillMemberFor(b, "a", "marker-1");
    }

    @Test
    void aNodeRejoinsAfterACrash() throws Exception {
        Membership a = member("a");
        Membership b = member("b");
        Recorder seenByB = new Recorder();
        b.subscribe(seenByB);
        awaitMembers(b, Set.of("a", "b"));
        kill(a);
        seenByB.awaitSet("crashed a gone", set -> !set.contains("a"));

        Membership restarted = member("a");

        seenByB.awaitSet("restarted a back", set -> set.contains("a"));
        awaitMembers(restarted, Set.of("a", "b"));
        // The crashed incarnation closing late must not end the restarted one.
        assertThatCode(a::close).doesNotThrowAnyException();
        assertStillMemberFor(b, "a", "marker-2");
    }

    // ---- listeners ----

    @Test
    void listenersAreCalledUntilUnsubscribed() throws Exception {
        Membership a = member("a");
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Membership.Subscription firstSubscription = a.subscribe(first);
        a.subscribe(second);

        member("b");
        first.awaitSet("b joined", set -> set.equals(Set.of("a", "b")));
        second.awaitSet("b joined", set -> set.equals(Set.of("a", "b")));

        firstSubscription.close();
        assertThatCode(firstSubscription::close).as("idempotent").doesNotThrowAnyException();
        member("c");
        second.awaitSet("c joined", set -> set.equals(Set.of("a", "b", "c")));
        assertThat(first.all()).noneMatch(set -> set.contains("c"));
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthers() throws Exception {
        Membership a = member("a");
        AtomicInteger thrown = new AtomicInteger();
        a.subscribe(set -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("listener failure on purpose");
        });
        Recorder recorder = new Recorder();
        a.subscribe(recorder);

        member("b");
        recorder.awaitSet("b joined", set -> set.contains("b"));
        member("c");
        recorder.awaitSet("c joined after a listener threw", set -> set.contains("c"));
        assertThat(thrown.get()).as("the throwing listener was called, and again after it threw").isGreaterThan(1);
    }

    @Test
    void aListenerEndsOnTheLatestSetAfterConcurrentChanges() throws Exception {
        Membership a = member("a");
        Recorder recorder = new Recorder();
        a.subscribe(recorder);
        int nodes = 8;
        ExecutorService threads = Executors.newFixedThreadPool(nodes);
        try {
            List<Membership> others = runTogether(threads, nodes, i -> member("n" + i));
            runTogether(threads, nodes / 2, i -> {
                others.get(i).close();
                return null;
            });
        } finally {
            threads.shutdownNow();
        }
        Set<String> expected = Set.of("a", "n4", "n5", "n6", "n7");
        awaitMembers(a, expected);
        await("the listener's last set is " + expected, () -> expected.equals(recorder.last()),
                () -> "last call: " + recorder.last());
    }

    @Test
    void membersIsAnImmutableSnapshot() throws Exception {
        Membership a = member("a");
        Recorder recorder = new Recorder();
        a.subscribe(recorder);
        Set<String> before = a.members();

        assertThatThrownBy(() -> before.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> before.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(before::clear).isInstanceOf(UnsupportedOperationException.class);

        member("b");
        awaitMembers(a, Set.of("a", "b"));
        assertThat(before).containsExactly("a");
        Set<String> told = recorder.awaitSet("b joined", set -> set.contains("b"));
        assertThatThrownBy(() -> told.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- helpers ----

    /** Waits until {@code node}'s view is exactly {@code expected}. */
    private void awaitMembers(Membership node, Set<String> expected) throws InterruptedException {
        await(node.self() + " sees exactly " + expected, () -> node.members().equals(expected),
                () -> node.self() + " sees " + node.members());
    }

    /**
     * Asserts that {@code node} did not lose from {@code observer}'s view: a new node joins, and once the observer
     * sees it, every change made before (a wrongful leave included) has reached the observer too.
     */
    private void assertStillMemberFor(Membership observer, String node, String marker) throws Exception {
        member(marker);
        await(observer.self() + " sees " + marker, () -> observer.isAlive(marker), () -> "");
        assertThat(observer.members()).contains(node);
    }

    private void await(String what, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + detectionTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + detectionTimeout() + ": " + what + "; " + state.get());
            }
            Thread.sleep(5);
        }
    }

    /** Runs {@code count} calls at once, starting together, and returns their results in order. */
    private static <T> List<T> runTogether(ExecutorService threads, int count, Call<T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(threads.submit(() -> {
                start.await();
                return call.run(index);
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(1, TimeUnit.MINUTES));
        }
        return results;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(int index) throws Exception;
    }

    /** A listener that keeps every set it was called with. */
    private final class Recorder implements Consumer<Set<String>> {
        private final List<Set<String>> calls = new CopyOnWriteArrayList<>();

        @Override
        public void accept(Set<String> members) {
            calls.add(members);
        }

        List<Set<String>> all() {
            return List.copyOf(calls);
        }

        Set<String> last() {
            List<Set<String>> now = all();
            return now.isEmpty() ? null : now.get(now.size() - 1);
        }

        /** Waits for a call with a set that matches, and returns that set. */
        Set<String> awaitSet(String what, Predicate<Set<String>> matches) throws InterruptedException {
            await("a listener call with " + what, () -> calls.stream().anyMatch(matches),
                    () -> "calls: " + calls);
            return calls.stream().filter(matches).findFirst().orElseThrow();
        }
    }
}
