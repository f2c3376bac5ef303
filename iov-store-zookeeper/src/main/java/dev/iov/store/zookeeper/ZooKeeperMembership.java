package dev.iov.store.zookeeper;

import dev.iov.api.cluster.Membership;
import dev.iov.api.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Membership} on ZooKeeper sessions, obtained from {@link ZooKeeperStateStore#membership}: the node is
 * alive while its store's session lasts.
 *
 * <p><b>Layout.</b> A member is an {@linkplain CreateMode#EPHEMERAL ephemeral} znode
 * {@code <namespace>/members/<node id>} (the id escaped as a record key is, see {@link ZnodeNames}) owned by the
 * store's session, created with the store's ACL (with {@code digestAuthentication}, only the same user can see or
 * change it). Its data names the node and the session, {@code node=<id>} and {@code session=0x<hex>} on two lines,
 * for people looking at the ensemble. The member set is followed with Curator's {@link CuratorCache} on
 * {@code <namespace>/members}; after each change this node sees, the subscribers are called with the new set, one
 * call at a time on a thread of this membership ({@code iov-membership-<id>}), quick changes possibly coalesced.
 *
 * <p><b>Joining.</b> The znode is created when the membership is obtained; when it exists already and belongs to
 * another session, a live node holds the id and joining fails with {@link IllegalArgumentException}. A node that
 * restarts after a crash may be refused its id until its old session has timed out on the ensemble (at most the
 * session timeout): retry. The membership is returned once its own view includes itself.
 *
 * <p><b>Detection.</b> A node that leaves ({@link #close}) deletes its znode, and the others see it gone within a
 * notification. A node that crashes, or is cut off from the quorum, keeps its znode until the ensemble expires its
 * session, about the session timeout later ({@link ZooKeeperStateStore.Builder#sessionTimeout}, as narrowed by the
 * ensemble); then the others see it gone.
 *
 * <p><b>Session expiry.</b> When this node's own session expires (it was cut off past the session timeout) and the
 * store's client gets a new session, the membership creates its znode again on the new session: meanwhile the other
 * nodes saw it gone, and may have started taking over its work, so a node back from an expiry must expect that. If
 * the old session's znode is still there (the ensemble has not yet expired it), the membership waits for it to go
 * and then creates its own. If in the meantime another node joined under the same id, this membership has lost the
 * id: it logs an error, no longer appears among the members, and should be closed. While cut off, this node's view
 * is the last it saw; it is brought up to date when the connection is back.
 *
 * <p>Close the membership to leave (its znode is deleted, only when it still belongs to this store's session).
 * Closing the store ends the session and with it the membership; close the membership first. Thread-safe.
 */
public final class ZooKeeperMembership implements Membership {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMembership.class);
    /** The parent znode of the members, inside the namespace. */
    static final String MEMBERS = "/members";
    /** The longest node id accepted. */
    static final int MAX_ID_LENGTH = 200;

    private final CuratorFramework client;
    private final String storeName;
    private final String self;
    private final String path;
    private final CuratorCache cache;
    private final ExecutorService worker;
    private final ConnectionStateListener connectionListener = (c, state) -> onConnectionState(state);
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    /** Guards closing, the view's updates and waiting for the own znode to show. */
    private final Object lock = new Object();
    /** The member set this node sees now, numbered; replaced under lock. */
    private volatile View view = new View(0, Collections.emptySet());
    /** The number of the view last given to the listeners; used on the worker thread only. */
    private long delivered;
    /** The sessions that created this node's znode, the current one last; guarded by lock. */
    private final Set<Long> ownSessions = new java.util.HashSet<>();
    private volatile boolean closed;
    /** Set by tests that play a node paused past its session: it no longer takes its znode back. */
    private volatile boolean rejoinStopped;

    private ZooKeeperMembership(CuratorFramework client, String storeName, String self) {
        this.client = client;
        this.storeName = storeName;
        this.self = self;
        this.path = MEMBERS + "/" + ZnodeNames.encode(self);
        this.cache = CuratorCache.build(client, MEMBERS);
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "iov-membership-" + self);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Joins as {@code nodeId} on the store's client; see {@link ZooKeeperStateStore#membership}.
     *
     * @param client the store's client (its session, namespace and ACL)
     * @param storeName the store's name, for messages
     * @param nodeId the node id
     * @param timeoutMillis how long to wait for the own znode to show in the view
     * @return the membership, a member
     */
    static ZooKeeperMembership join(CuratorFramework client, String storeName, String nodeId, long timeoutMillis) {
        checkId(nodeId);
        ZooKeeperMembership membership = new ZooKeeperMembership(client, storeName, nodeId);
        try {
            membership.start(timeoutMillis);
            return membership;
        } catch (RuntimeException e) {
            membership.close();
            throw e;
        }
    }

    private static void checkId(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("invalid node id '" + nodeId + "': must not be blank");
        }
        if (nodeId.length() > MAX_ID_LENGTH || !nodeId.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IllegalArgumentException("invalid node id '" + nodeId + "': use 1-" + MAX_ID_LENGTH
                    + " printable ASCII characters without spaces");
        }
    }

    private void start(long timeoutMillis) {
        create(true);
        cache.listenable().addListener(new CuratorCacheListener() {
            @Override
            public void event(Type type, ChildData oldData, ChildData data) {
                onCacheEvent(type, data != null ? data : oldData);
            }

            @Override
            public void initialized() {
                refreshView();
            }
        });
        client.getConnectionStateListenable().addListener(connectionListener);
        cache.start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            while (!view.members().contains(self)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new StoreException("ZooKeeper store " + storeName + ": node '" + self + "' joined but did"
                            + " not see itself among the members within " + timeoutMillis + " ms");
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("ZooKeeper store " + storeName + ": interrupted while node '" + self
                            + "' was joining", e);
                }
            }
        }
        LOG.info("ZooKeeper store {}: node '{}' joined; members {}", storeName, self, view.members());
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public Set<String> members() {
        ensureOpen();
        return view.members();
    }

    @Override
    public Subscription subscribe(Consumer<Set<String>> listener) {
        Objects.requireNonNull(listener, "listener");
        Registration registration;
        synchronized (lock) {
            ensureOpen();
            // Only views newer than this one: the listener could read this one from members() already.
            registration = new Registration(listener, view.number());
            listeners.add(registration);
        }
        return () -> {
            registration.active = false;
            listeners.remove(registration);
        };
    }

    /**
     * Leaves: stops following the members, and deletes this node's znode if it still belongs to the store's
     * session (a znode another session created under the same id is left alone). When the connection is down, the
     * znode goes when the session expires. Idempotent, and harmless after the store was closed.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            listeners.forEach(registration -> registration.active = false);
            listeners.clear();
            lock.notifyAll();
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        try {
            cache.close();
        } catch (RuntimeException e) {
            LOG.debug("ZooKeeper store {}: closing the member cache of '{}' failed", storeName, self, e);
        }
        worker.shutdown();
        try {
            if (client.getState() != CuratorFrameworkState.STARTED) {
                return;  // the store is closed: its session, and the znode with it, are gone
            }
            if (!client.getZookeeperClient().isConnected()) {
                LOG.info("ZooKeeper store {}: node '{}' left while disconnected; its znode goes with its session",
                        storeName, self);
                return;
            }
            long session = sessionId();
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == session) {
                client.delete().withVersion(stat.getVersion()).forPath(path);
                LOG.info("ZooKeeper store {}: node '{}' left", storeName, self);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone already, or re-created by another session in between: not ours to delete.
        } catch (Exception e) {
            // The store (its client) is closed, or the connection dropped: the znode goes with the session.
            LOG.debug("ZooKeeper store {}: node '{}' could not delete its znode; it goes with the session",
                    storeName, self, e);
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperMembership[" + self + " on " + storeName + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------ the own znode

    /**
     * Creates this node's znode on the current session.
     *
     * @param joining true when called by {@link #join}: a taken id is then an {@link IllegalArgumentException}
     */
    private void create(boolean joining) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long session = sessionId();
            byte[] data = ("node=" + self + "\nsession=0x" + Long.toHexString(session) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            Stat stat = new Stat();
            try {
                client.create().storingStatIn(stat).creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                        .forPath(path, data);
                synchronized (lock) {
                    ownSessions.add(stat.getEphemeralOwner());
                }
                if (!joining) {
                    LOG.warn("ZooKeeper store {}: node '{}' is a member again, on new session 0x{}; the other nodes"
                            + " saw it gone meanwhile", storeName, self, Long.toHexString(stat.getEphemeralOwner()));
                }
                return;
            } catch (KeeperException.NodeExistsException e) {
                Stat existing;
                try {
                    existing = client.checkExists().forPath(path);
                } catch (Exception again) {
                    throw failure("cannot read the znode of node '" + self + "'", again);
                }
                if (existing == null) {
                    continue;  // gone in between: try again
                }
                long owner = existing.getEphemeralOwner();
                boolean ours;
                synchronized (lock) {
                    ours = owner == session || ownSessions.contains(owner);
                }
                if (owner == session) {
                    return;
                }
                if (ours) {
                    // The ensemble has not yet expired this node's previous session; its znode's deletion comes as
                    // a cache event, which creates the znode again.
                    LOG.info("ZooKeeper store {}: node '{}' waits for the znode of its expired session 0x{} to go",
                            storeName, self, Long.toHexString(owner));
                    return;
                }
                String message = "node id '" + self + "' is taken by a live member (ZooKeeper session 0x"
                        + Long.toHexString(owner) + ") in " + storeName;
                if (joining) {
                    throw new IllegalArgumentException(message);
                }
                LOG.error("ZooKeeper store {}: node '{}' lost its id while its session was expired: {}; it is no"
                        + " longer a member; close it and join again", storeName, self, message);
                return;
            } catch (Exception e) {
                throw failure("cannot create the znode of node '" + self + "'", e);
            }
        }
        throw new StoreException("ZooKeeper store " + storeName + ": the znode " + path + " of node '" + self
                + "' kept appearing and vanishing");
    }

    /** Makes sure the own znode exists on the current session, after a reconnect or its deletion. */
    private void ensureMember() {
        if (closed || rejoinStopped || client.getState() != CuratorFrameworkState.STARTED) {
            return;  // left, or the store is closed: its session is gone, and this node with it
        }
        if (!client.getZookeeperClient().isConnected()) {
            return;  // the next reconnect tries again
        }
        try {
            create(false);
        } catch (RuntimeException e) {
            LOG.warn("ZooKeeper store {}: node '{}' could not become a member again ({}); retrying on reconnect",
                    storeName, self, e.getMessage());
        }
    }

    /**
     * For tests: the node stops taking its znode back after it is deleted or its session expires, as a node paused
     * past its session timeout would not, so that the other nodes see it gone while it goes on running.
     */
    void stopRejoiningForTest() {
        rejoinStopped = true;
    }

    private void onConnectionState(ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            runOnWorker(this::ensureMember);
        }
    }

    private long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            throw failure("no ZooKeeper session", e);
        }
    }

    // ------------------------------------------------------------------------------ the view

    private void onCacheEvent(CuratorCacheListener.Type type, ChildData data) {
        if (data == null || !MEMBERS.equals(ZKPaths.getPathAndNode(data.getPath()).getPath())) {
            return;
        }
        refreshView();
        if (type == CuratorCacheListener.Type.NODE_DELETED && data.getPath().equals(path) && !closed) {
            runOnWorker(this::ensureMember);
        }
    }

    /** Reads the member set from the cache; when it changed, tells the listeners. */
    private void refreshView() {
        Set<String> now = new TreeSet<>();
        cache.stream().map(ChildData::getPath).filter(p -> MEMBERS.equals(ZKPaths.getPathAndNode(p).getPath()))
                .forEach(p -> {
                    String name = ZKPaths.getNodeFromPath(p);
                    try {
                        now.add(ZnodeNames.decode(name));
                    } catch (IllegalArgumentException e) {
                        LOG.debug("ZooKeeper store {}: ignoring znode {}/{}: {}", storeName, MEMBERS, name,
                                e.getMessage());
                    }
                });
        synchronized (lock) {
            View old = view;
            if (closed || now.equals(old.members())) {
                return;
            }
            view = new View(old.number() + 1, Collections.unmodifiableSet(now));
            lock.notifyAll();
        }
        runOnWorker(this::deliver);
    }

    /** Gives the current view to the listeners, unless they have it already; on the worker thread. */
    private void deliver() {
        View now = view;
        if (now.number() == delivered) {
            return;
        }
        delivered = now.number();
        for (Registration registration : listeners) {
            // A listener subscribed since this view was made has read it, or a newer one, already.
            if (!registration.active || registration.since >= now.number()) {
                continue;
            }
            try {
                registration.listener.accept(now.members());
            } catch (RuntimeException e) {
                LOG.warn("ZooKeeper store {}: membership listener {} of node '{}' failed", storeName,
                        registration.listener, self, e);
            }
        }
    }

    private void runOnWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed.
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("membership of node '" + self + "' in ZooKeeper store " + storeName
                    + " is closed");
        }
    }

    private StoreException failure(String what, Exception cause) {
        String reason = cause instanceof KeeperException keeper ? keeper.code().toString() : cause.toString();
        return new StoreException("ZooKeeper store " + storeName + ": " + what + " (" + reason + ")", cause);
    }

    /** The member set as this node sees it, and its number: each change makes a new view, numbered one higher. */
    private record View(long number, Set<String> members) {
    }

    /**
     * One call of {@link #subscribe}; the same listener subscribed twice is two registrations. It is given the views
     * numbered above {@code since}, the view current when it subscribed.
     */
    private static final class Registration {
        private final Consumer<Set<String>> listener;
        private final long since;
        private volatile boolean active = true;

        Registration(Consumer<Set<String>> listener, long since) {
            this.listener = listener;
            this.since = since;
        }
    }
}
