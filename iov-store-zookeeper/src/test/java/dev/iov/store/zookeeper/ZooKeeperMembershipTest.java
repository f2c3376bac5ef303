package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.cluster.Membership;
import dev.iov.api.cluster.MembershipContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link MembershipContract} against {@link ZooKeeperMembership} on a 3-server ensemble in this process
 * (each node its own store, so its own session; "kill" closes the node's Curator client under it), and adds what
 * only sessions have: a node whose session expires is gone for the others after about the session timeout and comes
 * back on a new session, as does a node whose session the ensemble ended while it was away; a node in another JVM
 * killed with SIGKILL is gone within its session timeout.
 */
class ZooKeeperMembershipTest extends MembershipContract {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMembershipTest.class);
    /** Short, so that expiries are quick; the ensemble (tick 1 s in curator-test) may narrow it. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    /** What a busy 2-core machine adds to a detection: the ensemble's tick, a notification, a thread switch. */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static TestingCluster cluster;

    private final Map<Membership, ZooKeeperStateStore> storeOf = new ConcurrentHashMap<>();
    private final List<ZooKeeperStateStore> opened = new CopyOnWriteArrayList<>();
    private String namespace;

    @BeforeAll
    static void startEnsemble() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        cluster.close();
    }

    /** A fresh namespace, so an empty cluster, on a settled ensemble (see ZooKeeperFailureTest). */
    @BeforeEach
    void freshNamespaceOnASettledEnsemble() throws InterruptedException {
        namespace = "membership-test/t" + NAMESPACES.incrementAndGet();
        Await.until("all three servers serving, one of them leading", Await.LONG, () -> {
            List<String> modes = cluster.getInstances().stream().map(Await::mode).collect(Collectors.toList());
            return modes.stream().filter(mode -> mode.equals("leader") || mode.equals("follower")).count() == 3
                    && modes.contains("leader");
        });
    }

    @Override
    protected Membership join(String node) {
        return join(node, cluster.getConnectString());
    }

    private ZooKeeperMembership join(String node, String connectString) {
        ZooKeeperStateStore store = open(connectString);
        try {
            ZooKeeperMembership membership = store.membership(node);
            storeOf.put(membership, store);
            return membership;
        } catch (RuntimeException e) {
            store.close();
            opened.remove(store);
            throw e;
        }
    }

    /** Closes the node's Curator client under its store and membership: its session ends, nothing of it is told. */
    @Override
    protected void kill(Membership member) {
        storeOf.get(member).curator().close();
    }

    @Override
    protected Duration detectionTimeout() {
        return SESSION_TIMEOUT.plus(SLACK).plus(SLACK);
    }

    @Override
    protected void cleanUp() throws Exception {
        opened.forEach(ZooKeeperStateStore::close);
        opened.clear();
        storeOf.clear();
    }

    // ---- sessions ----

    @Test
    void aNodeWhoseSessionExpiresIsGoneWithinAboutTheSessionTimeoutAndComesBackOnANewSession() throws Exception {
        Membership observer = member("observer");
        Membership expiring = member("expiring");
        ZooKeeperStateStore store = storeOf.get(expiring);
        Timeline seen = new Timeline();
        observer.subscribe(seen);
        Await.until("observer sees both", Await.LONG, () -> observer.members().size() == 2);
        ZooKeeper before = store.curator().getZookeeperClient().getZooKeeper();
        long sessionBefore = before.getSessionId();
        int negotiated = before.getSessionTimeout();

        long start = System.nanoTime();
        // The client drops its connection and believes its session expired; the ensemble expires the session only
        // when it has not heard from it for the session timeout: that is when the others can see the node gone.
        before.getTestable().injectSessionExpiration();

        long goneAfter = seen.awaitMillis("expiring gone", set -> !set.contains("expiring"), start,
                () -> describe(observer, storeOf.get(observer)));
        // Usually about the session timeout (the ensemble waits that long for a client it does not hear from); now
        // and then at once: the simulated expiry races with the client's connection, and the ensemble sometimes ends
        // the session straight away. The SIGKILL test below measures a real crash.
        LOG.info("a node whose session expired was gone for the others after {} ms (negotiated session timeout"
                + " {} ms)", goneAfter, negotiated);
        assertThat(goneAfter).as("gone within about the session timeout; calls " + seen.calls)
                .isLessThanOrEqualTo(negotiated + SLACK.toMillis());

        long backAfter = seen.awaitMillis("expiring back", set -> set.contains("expiring"), start);
        LOG.info("... and back on a new session after {} ms", backAfter);
        long sessionAfter = store.curator().getZookeeperClient().getZooKeeper().getSessionId();
        assertThat(sessionAfter).isNotEqualTo(sessionBefore);
        assertOwnedBy(store, "expiring", sessionAfter);
        Await.until("the expired node sees both again", Await.LONG,
                () -> expiring.members().equals(Set.of("observer", "expiring")));
    }

    /**
     * The ensemble ends a member's session behind its back, as it does when the member was cut off past its session
     * timeout (a partition cannot be made here: Curator learns every server of the ensemble from its configuration
     * and reconnects through any of them). A second client takes over the session with its id and password and closes
     * it; the member finds its session expired when it next talks to the ensemble, gets a new one, and reappears.
     */
    @Test
    void aMemberWhoseSessionTheEnsembleEndedReappearsOnANewSession() throws Exception {
        Membership observer = member("observer");
        ZooKeeperMembership away = (ZooKeeperMembership) member("away");
        ZooKeeperStateStore store = storeOf.get(away);
        ZooKeeper victim = store.curator().getZookeeperClient().getZooKeeper();
        long sessionBefore = victim.getSessionId();
        Timeline seen = new Timeline();
        observer.subscribe(seen);
        Await.until("observer sees both", Await.LONG, () -> observer.members().size() == 2);

        long start = System.nanoTime();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(cluster.getConnectString(), victim.getSessionTimeout(), event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, sessionBefore, victim.getSessionPasswd());
        assertThat(connected.await(Await.LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        twin.close();

        seen.awaitMillis("away gone", set -> !set.contains("away"), start,
                () -> describe(observer, storeOf.get(observer)));
        long backAfter = seen.awaitMillis("away back", set -> set.contains("away"), start,
                () -> describe(observer, storeOf.get(observer)));
        LOG.info("a member whose session the ensemble ended was back on a new session after {} ms", backAfter);
        long sessionAfter = store.curator().getZookeeperClient().getZooKeeper().getSessionId();
        assertThat(sessionAfter).isNotEqualTo(sessionBefore);
        assertOwnedBy(store, "away", sessionAfter);
        Await.until("the member back sees both", Await.LONG,
                () -> away.members().equals(Set.of("observer", "away")));
    }

    @Test
    void theZnodeIsEphemeralOwnedByTheSessionAndNamesNodeAndSession() throws Exception {
        ZooKeeperMembership node = (ZooKeeperMembership) member("node/1");
        ZooKeeperStateStore store = storeOf.get(node);
        long session = store.curator().getZookeeperClient().getZooKeeper().getSessionId();

        assertOwnedBy(store, "node/1", session);
        assertThat(store.curator().getChildren().forPath(ZooKeeperMembership.MEMBERS)).containsExactly("node%2F1");

        node.close();
        assertThat(store.curator().checkExists().forPath(ZooKeeperMembership.MEMBERS + "/node%2F1")).isNull();
    }

    @Test
    void withDigestAuthenticationTheZnodeHasTheStoresAcl() throws Exception {
        try (ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(cluster.getConnectString())
                .namespace(namespace + "-secure").digestAuthentication("iov", "s3cret").build();
                ZooKeeperMembership node = store.membership("secure")) {
            List<ACL> acl = store.curator().getACL().forPath(ZooKeeperMembership.MEMBERS + "/secure");
            assertThat(acl).isNotEmpty().allSatisfy(entry -> {
                assertThat(entry.getId().getScheme()).isEqualTo("digest");
                assertThat(entry.getId().getId()).startsWith("iov:");
                assertThat(entry.getPerms()).isEqualTo(ZooDefs.Perms.ALL);
            });
            assertThat(node.members()).containsExactly("secure");
        }
    }

    // ---- a node in another JVM ----

    @Test
    void aChildJvmKilledWithSigkillIsGoneWithinItsSessionTimeout() throws Exception {
        Membership survivor = member("survivor");
        Timeline seen = new Timeline();
        survivor.subscribe(seen);
        try (ChildJvm child = ChildJvm.start("membership-child", ChildNode.class, cluster.getConnectString(),
                namespace, "2000", "child")) {
            String session = child.awaitLine("SESSION", line -> line.startsWith("SESSION "), Await.LONG);
            child.awaitLine("JOINED", line -> line.startsWith("JOINED child"), Await.LONG);
            long negotiated = Long.parseLong(session.substring(session.lastIndexOf(' ') + 1));
            Await.until("the survivor sees the child", Await.LONG, () -> survivor.isAlive("child"));
            child.send("members");
            child.awaitLine("the child sees the survivor", line -> line.equals("MEMBERS child,survivor"),
                    Await.LONG);

            long start = System.nanoTime();
            int exit = child.killForcibly(Await.LONG);
            assertThat(exit).as("exit code of a SIGKILL").isEqualTo(137);
            long goneAfter = seen.awaitMillis("child gone", set -> !set.contains("child"), start);
            LOG.info("a child JVM killed with SIGKILL was gone for the survivor after {} ms (negotiated session"
                    + " timeout {} ms)", goneAfter, negotiated);
            assertThat(goneAfter).isLessThanOrEqualTo(negotiated + SLACK.toMillis());
            assertThat(survivor.members()).containsExactly("survivor");
        }
    }

    // ---- helpers ----

    private ZooKeeperStateStore open(String connectString) {
        ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(connectString).namespace(namespace)
                .sessionTimeout(SESSION_TIMEOUT).connectionTimeout(Duration.ofSeconds(3)).build();
        opened.add(store);
        return store;
    }

    private static void assertOwnedBy(ZooKeeperStateStore store, String node, long session) throws Exception {
        String path = ZooKeeperMembership.MEMBERS + "/" + ZnodeNames.encode(node);
        Stat stat = new Stat();
        byte[] data = store.curator().getData().storingStatIn(stat).forPath(path);
        assertThat(stat.getEphemeralOwner()).isEqualTo(session);
        assertThat(new String(data, StandardCharsets.UTF_8))
                .isEqualTo("node=" + node + "\nsession=0x" + Long.toHexString(session) + "\n");
    }

    /** What a node sees, and what ZooKeeper has, for failure messages. */
    private static String describe(Membership node, ZooKeeperStateStore store) {
        String znodes;
        try {
            znodes = store.curator().getChildren().forPath(ZooKeeperMembership.MEMBERS).toString();
        } catch (Exception e) {
            znodes = e.toString();
        }
        return node.self() + " sees " + node.members() + ", its client " + (store.isWritable() ? "up" : "down")
                + ", znodes " + znodes + ", servers " + cluster.getInstances().stream()
                .map(s -> s.getPort() + " " + Await.mode(s)).collect(Collectors.joining(", "));
    }

    /** A listener that keeps each set with the time it came. */
    private static final class Timeline implements java.util.function.Consumer<Set<String>> {
        private final List<Map.Entry<Long, Set<String>>> calls = new CopyOnWriteArrayList<>();

        @Override
        public void accept(Set<String> members) {
            calls.add(Map.entry(System.nanoTime(), members));
        }

        /** Waits for a set that matches, coming after {@code since}; returns the milliseconds from since to it. */
        long awaitMillis(String what, java.util.function.Predicate<Set<String>> matches, long since)
                throws InterruptedException {
            return awaitMillis(what, matches, since, () -> "");
        }

        long awaitMillis(String what, java.util.function.Predicate<Set<String>> matches, long since,
                java.util.function.Supplier<String> state) throws InterruptedException {
            Await.until(what, Await.LONG, () -> calls.stream()
                    .anyMatch(call -> call.getKey() >= since && matches.test(call.getValue())),
                    () -> "calls " + calls + "; " + state.get());
            long at = calls.stream().filter(call -> call.getKey() >= since && matches.test(call.getValue()))
                    .findFirst().orElseThrow().getKey();
            return TimeUnit.NANOSECONDS.toMillis(at - since);
        }
    }
}
