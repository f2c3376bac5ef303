package dev.iov.store.zookeeper;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreKeys;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import dev.iov.api.store.support.RecordIndex;
import dev.iov.api.store.support.WatchDispatcher;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} kept in Apache ZooKeeper, for fabrics run by several management nodes: every node opens its
 * own store on the same ensemble and namespace, and they all see one set of records.
 *
 * <p><b>Layout.</b> Each record is one znode under {@code <namespace>/records}, named after its key (see
 * {@link ZnodeNames}); the znode's data is the value. The record's version is the znode's data version plus one
 * (a znode starts at 0, a record at 1), and compare-and-set is ZooKeeper's own conditional
 * {@code create}/{@code setData}/{@code delete}, decided by the ensemble's leader: two nodes writing with the same
 * expected version cannot both win. A deleted and re-created record starts again at version 1, as in every store.
 *
 * <p><b>Reads</b> ({@link #get}, {@link #list}) are served from a replica of the records in this process, so a list
 * is a consistent snapshot and costs no round trip. The replica learns this store's writes when ZooKeeper
 * acknowledges them (read-your-writes), and other nodes' writes through a persistent recursive watch on the
 * records, re-reading each changed record; after a {@link VersionConflictException} the record that caused it has
 * been re-read, so a compare-and-set loop sees the winner's version on its next {@link #get}. Another node's writes
 * become visible here a notification later, and a listener sees a record's latest state: several quick changes by
 * another node may reach it as one event. This store's own writes are delivered one event per change, in order.
 *
 * <p><b>Connection.</b> Writes are refused with {@link StoreException} while the connection is
 * {@linkplain ConnectionState#SUSPENDED suspended} or {@linkplain ConnectionState#LOST lost}: a client cut off from
 * the quorum must not act as if its write had happened. Reads keep answering from the replica. When the connection
 * comes back (the same session, or a new one after the old expired) the watch is re-registered and every record is
 * re-read, so changes made meanwhile by other nodes, deletions included, reach the replica and the listeners.
 * A write that fails because the connection dropped while it was in flight has an unknown outcome, as the
 * {@link StateStore} contract allows; it is never retried blindly, because a retried compare-and-set could report
 * a conflict with itself.
 *
 * <p><b>Limits.</b> Writes of one store are serialized (one round trip to the quorum each); nodes write in
 * parallel. A value may be at most {@link Builder#maxValueBytes} bytes (ZooKeeper's {@code jute.maxbuffer} is 1 MiB
 * by default). Every record is held in memory on every node, as it is by the journal store.
 *
 * <p>Built with {@link #builder()}; {@link #leaderElection} elects the node that runs cluster-wide jobs.
 */
public final class ZooKeeperStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperStateStore.class);
    /** The parent znode of the records, inside the namespace. */
    static final String RECORDS = "/records";
    /** The parent znode of the leader latches, inside the namespace. */
    static final String LEADERS = "/leaders";
    private static final byte[] NO_VALUE = new byte[0];

    private final String name;
    private final CuratorFramework client;
    private final int maxValueBytes;
    private final RecordIndex index = new RecordIndex();
    private final WatchDispatcher watches;
    /**
     * Serializes writes and every change to the replica: deciding, applying and publishing a change is atomic, so
     * the replica and the listeners see changes in one order, and a re-read can never overtake a write.
     */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Key to the zxid of the last change the replica holds for it; guarded by writeLock. */
    private final Map<String, Long> changeZxids = new HashMap<>();
    /** Re-reads records that another node changed; one thread keeps ZooKeeper's notification order. */
    private final ThreadPoolExecutor refresher;
    private final PersistentWatcher watcher;
    private volatile ConnectionState connection = ConnectionState.CONNECTED;
    private volatile boolean closed;

    ZooKeeperStateStore(String name, CuratorFramework client, int maxValueBytes) {
        this.name = name;
        this.client = client;
        this.maxValueBytes = maxValueBytes;
        this.watches = new WatchDispatcher("zk-" + name);
        this.refresher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "iov-store-zk-refresh-" + name);
            thread.setDaemon(true);
            return thread;
        });
        this.watcher = new PersistentWatcher(client, RECORDS, true);
    }

    /**
     * Starts a builder.
     *
     * @return a builder; only {@link Builder#connectString} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Creates the records' parent, loads every record and starts watching; called once by the builder. */
    void start() {
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(RECORDS);
        } catch (KeeperException.NodeExistsException e) {
            // Another node, or an earlier run, created it.
        } catch (Exception e) {
            throw failure("cannot create the records znode " + RECORDS, e);
        }
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        watcher.getListenable().addListener(this::onWatchedEvent);
        // Called each time the watch is (re-)registered, after a reconnect too: whatever changed while it was not
        // registered is found by reading everything again.
        watcher.getResetListenable().addListener(() -> submit(this::resyncQuietly));
        watcher.start();
        writeLock.lock();
        try {
            resyncLocked();
        } finally {
            writeLock.unlock();
        }
        LOG.info("ZooKeeper store {} open with {} record(s)", name, index.size());
    }

    @Override
    public Optional<VersionedValue> get(String key) {
        StoreKeys.requireValidKey(key);
        ensureOpen();
        return index.get(key);
    }

    @Override
    public long put(String key, byte[] value, long expectedVersion) {
        StoreKeys.requireValidKey(key);
        byte[] copy = StoreKeys.requireValidValue(key, value).clone();
        if (copy.length > maxValueBytes) {
            throw new IllegalArgumentException("value for store key '" + key + "' is " + copy.length
                    + " bytes, more than the limit of " + maxValueBytes + " bytes of ZooKeeper store " + name);
        }
        if (expectedVersion < ANY_VERSION) {
            throw new IllegalArgumentException("invalid expected version " + expectedVersion + " for put of '" + key
                    + "': use a record version, ABSENT (0) or ANY_VERSION (-1)");
        }
        String path = pathOf(key);
        // Checked before waiting for the lock too: a cut-off client refuses at once instead of queueing behind a
        // re-read that waits for the connection.
        ensureWritable("put", key);
        writeLock.lock();
        try {
            ensureOpen();
            ensureWritable("put", key);
            Stat stat;
            try {
                if (expectedVersion == ABSENT) {
                    stat = create(path, copy);
                } else if (expectedVersion == ANY_VERSION) {
                    stat = overwrite(path, copy);
                } else if (expectedVersion - 1 > Integer.MAX_VALUE) {
                    throw new KeeperException.BadVersionException(path);
                } else {
                    stat = client.setData().withVersion((int) (expectedVersion - 1)).forPath(path, copy);
                }
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                    | KeeperException.NodeExistsException e) {
                throw new VersionConflictException(key, expectedVersion, refreshLocked(key));
            } catch (Exception e) {
                throw failure("put of '" + key + "' failed; its outcome is unknown", e);
            }
            long version = stat.getVersion() + 1L;
            applyLocked(new StoreEvent(key, StoreEvent.Type.PUT, version, copy), stat.getMzxid());
            return version;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        StoreKeys.requireValidKey(key);
        if (expectedVersion == ABSENT || expectedVersion < ANY_VERSION) {
            throw new IllegalArgumentException("invalid expected version " + expectedVersion + " for delete of '"
                    + key + "': use a record version or ANY_VERSION (-1)");
        }
        String path = pathOf(key);
        ensureWritable("delete", key);
        writeLock.lock();
        try {
            ensureOpen();
            ensureWritable("delete", key);
            try {
                if (expectedVersion == ANY_VERSION) {
                    client.delete().withVersion(-1).forPath(path);
                } else if (expectedVersion - 1 > Integer.MAX_VALUE) {
                    throw new KeeperException.BadVersionException(path);
                } else {
                    client.delete().withVersion((int) (expectedVersion - 1)).forPath(path);
                }
            } catch (KeeperException.NoNodeException e) {
                long actual = refreshLocked(key);
                if (expectedVersion == ANY_VERSION && actual == ABSENT) {
                    return false;
                }
                throw new VersionConflictException(key, expectedVersion, actual);
            } catch (KeeperException.BadVersionException e) {
                throw new VersionConflictException(key, expectedVersion, refreshLocked(key));
            } catch (Exception e) {
                throw failure("delete of '" + key + "' failed; its outcome is unknown", e);
            }
            long known = index.version(key);
            if (known != ABSENT) {
                long version = expectedVersion == ANY_VERSION ? known : expectedVersion;
                applyLocked(new StoreEvent(key, StoreEvent.Type.DELETE, version, NO_VALUE), 0);
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Map<String, VersionedValue> list(String prefix) {
        StoreKeys.requireValidPrefix(prefix);
        ensureOpen();
        return index.list(prefix);
    }

    @Override
    public Watch watch(String prefix, Consumer<StoreEvent> listener) {
        StoreKeys.requireValidPrefix(prefix);
        Objects.requireNonNull(listener, "listener");
        ensureOpen();
        return watches.register(prefix, listener);
    }

    /**
     * Joins the election for a job that one node of the cluster must run at a time (reconciling the fabric,
     * drift reports), with Curator's {@code LeaderLatch} under {@code <namespace>/leaders/<job>}. The node whose
     * connection is suspended or whose session is lost stops being leader at once, so two nodes never both believe
     * they lead. Close the election to leave it; closing the store closes its client and with it the election.
     *
     * @param job names the job; letters, digits, {@code .}, {@code _} and {@code -}
     * @param participantId this node's id, shown by {@link LeaderElection#leaderId()}
     * @return the election, already started
     * @throws IllegalArgumentException when the job name is invalid or the participant id empty
     * @throws StoreException when the store is closed
     */
    public LeaderElection leaderElection(String job, String participantId) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(participantId, "participantId");
        if (!job.matches("[A-Za-z0-9._-]{1,64}") || job.equals(".") || job.equals("..")) {
            throw new IllegalArgumentException("invalid leader election job name '" + job + "': use 1-64 letters,"
                    + " digits, '.', '_' or '-'");
        }
        if (participantId.isBlank()) {
            throw new IllegalArgumentException("invalid participant id '" + participantId + "': must not be blank");
        }
        ensureOpen();
        return new LeaderElection(client, LEADERS + "/" + job, participantId);
    }

    /**
     * Tells whether writes are accepted now: the store is open and its connection is neither suspended nor lost.
     *
     * @return true when a write would be sent to ZooKeeper
     */
    public boolean isWritable() {
        return !closed && !isCutOff(connection);
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        refresher.shutdownNow();
        try {
            watcher.close();
        } catch (RuntimeException e) {
            LOG.debug("ZooKeeper store {}: closing the watch failed", name, e);
        }
        client.close();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watches.close();
        LOG.info("ZooKeeper store {} closed", name);
    }

    @Override
    public String toString() {
        return "ZooKeeperStateStore[" + name + "]";
    }

    /** The Curator client, for tests that inject faults (expire the session) or look at the znodes. */
    CuratorFramework curator() {
        return client;
    }

    // ------------------------------------------------------------------------------------------- internals

    private Stat create(String path, byte[] value) throws Exception {
        Stat stat = new Stat();
        client.create().storingStatIn(stat).withMode(CreateMode.PERSISTENT).forPath(path, value);
        return stat;
    }

    /** An unconditional put: update the znode, or create it, until one of the two wins. */
    private Stat overwrite(String path, byte[] value) throws Exception {
        while (true) {
            try {
                return client.setData().withVersion(-1).forPath(path, value);
            } catch (KeeperException.NoNodeException e) {
                try {
                    return create(path, value);
                } catch (KeeperException.NodeExistsException raced) {
                    // Created by another node in between: update it instead.
                }
            }
        }
    }

    /** Applies one change to the replica and tells the listeners; writeLock held. */
    private void applyLocked(StoreEvent change, long zxid) {
        index.apply(change);
        if (change.type() == StoreEvent.Type.PUT) {
            changeZxids.put(change.key(), zxid);
        } else {
            changeZxids.remove(change.key());
        }
        watches.publish(change);
    }

    /**
     * Re-reads one record from ZooKeeper and brings the replica up to date with it; writeLock held.
     *
     * @return the record's version in ZooKeeper, {@link #ABSENT} when it does not exist
     */
    private long refreshLocked(String key) {
        Stat stat = new Stat();
        byte[] value;
        try {
            value = client.getData().storingStatIn(stat).forPath(pathOf(key));
        } catch (KeeperException.NoNodeException e) {
            long known = index.version(key);
            if (known != ABSENT) {
                applyLocked(new StoreEvent(key, StoreEvent.Type.DELETE, known, NO_VALUE), 0);
            }
            return ABSENT;
        } catch (Exception e) {
            throw failure("cannot read '" + key + "'", e);
        }
        long version = stat.getVersion() + 1L;
        Long known = changeZxids.get(key);
        if (known == null || stat.getMzxid() > known) {
            applyLocked(new StoreEvent(key, StoreEvent.Type.PUT, version, value == null ? NO_VALUE : value),
                    stat.getMzxid());
        }
        return version;
    }

    /** Reads every record again: deletions that no notification reported are found here; writeLock held. */
    private void resyncLocked() {
        List<String> names;
        try {
            names = client.getChildren().forPath(RECORDS);
        } catch (Exception e) {
            throw failure("cannot list the records under " + RECORDS, e);
        }
        Set<String> present = new HashSet<>();
        for (String child : names) {
            String key;
            try {
                key = ZnodeNames.decode(child);
                StoreKeys.requireValidKey(key);
            } catch (IllegalArgumentException e) {
                LOG.warn("ZooKeeper store {}: ignoring znode {}/{}: {}", name, RECORDS, child, e.getMessage());
                continue;
            }
            present.add(key);
            refreshLocked(key);
        }
        for (String key : index.sharedSnapshot("").keySet()) {
            if (!present.contains(key)) {
                // Gone from the listing; re-read rather than delete, in case it was created since.
                refreshLocked(key);
            }
        }
    }

    private void resyncQuietly() {
        writeLock.lock();
        try {
            if (!closed) {
                resyncLocked();
                LOG.debug("ZooKeeper store {}: re-read {} record(s)", name, index.size());
            }
        } catch (StoreException e) {
            // The connection dropped again; the next reconnect registers the watch and resyncs again.
            LOG.warn("ZooKeeper store {}: re-reading the records failed: {}", name, e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private void onWatchedEvent(WatchedEvent event) {
        String path = event.getPath();
        if (event.getType() == Watcher.Event.EventType.None || path == null) {
            return;
        }
        int slash = path.lastIndexOf('/');
        if (slash <= 0 || !path.substring(0, slash).endsWith(RECORDS)) {
            return;
        }
        String key;
        try {
            key = ZnodeNames.decode(path.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            return;
        }
        long zxid = event.getZxid();
        submit(() -> refreshQuietly(key, zxid));
    }

    /** Handles another node's change of one record (or a late notification of this store's own). */
    private void refreshQuietly(String key, long zxid) {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            Long known = changeZxids.get(key);
            if (known != null && zxid != WatchedEvent.NO_ZXID && known >= zxid) {
                return;  // the replica is already at or past this change: this store's own write, typically
            }
            refreshLocked(key);
        } catch (StoreException e) {
            LOG.debug("ZooKeeper store {}: re-reading '{}' failed; the next resync will: {}", name, key,
                    e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    private void onConnectionState(ConnectionState state) {
        connection = state;
        switch (state) {
            case SUSPENDED -> LOG.warn("ZooKeeper store {}: connection suspended; refusing writes until it is back",
                    name);
            case LOST -> LOG.warn("ZooKeeper store {}: session lost; refusing writes until a new session is up",
                    name);
            case RECONNECTED -> LOG.info("ZooKeeper store {}: reconnected; re-reading the records", name);
            default -> {
                // CONNECTED and READ_ONLY need nothing.
            }
        }
    }

    private void submit(Runnable task) {
        try {
            refresher.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("ZooKeeper store " + name + " is closed");
        }
    }

    private void ensureWritable(String operation, String key) {
        ensureOpen();
        ConnectionState state = connection;
        if (isCutOff(state) || !client.getZookeeperClient().isConnected()) {
            throw new StoreException("ZooKeeper store " + name + ": refusing " + operation + " of '" + key
                    + "' because the connection to the ensemble is " + (isCutOff(state) ? state : "down")
                    + "; nothing was written");
        }
    }

    private static boolean isCutOff(ConnectionState state) {
        return state == ConnectionState.SUSPENDED || state == ConnectionState.LOST
                || state == ConnectionState.READ_ONLY;
    }

    private static String pathOf(String key) {
        return RECORDS + "/" + ZnodeNames.encode(key);
    }

    private StoreException failure(String what, Exception cause) {
        String reason = cause instanceof KeeperException keeper ? keeper.code().toString() : cause.toString();
        return new StoreException("ZooKeeper store " + name + ": " + what + " (" + reason + ")", cause);
    }

    /**
     * Configures and opens a {@link ZooKeeperStateStore}. Every setting is checked when it is set, naming the bad
     * value; {@link #build()} connects, loads the records and starts watching.
     *
     * <pre>{@code
     * StateStore store = ZooKeeperStateStore.builder()
     *         .connectString("zk1:2181,zk2:2181,zk3:2181")
     *         .namespace("iov/prod")
     *         .digestAuthentication("iov", secret)
     *         .build();
     * Fabric fabric = Fabric.builder().store(store).macPool(SharedAddressPool.macs(store, ...)).build();
     * }</pre>
     */
    public static final class Builder {
        /** ZooKeeper's default {@code jute.maxbuffer} (1 MiB) less room for the request around the value. */
        public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024 - 16 * 1024;

        private String connectString;
        private String namespace = "iov";
        private java.time.Duration sessionTimeout = java.time.Duration.ofSeconds(15);
        private java.time.Duration connectionTimeout = java.time.Duration.ofSeconds(5);
        private String digestUser;
        private String digestPassword;
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;

        private Builder() {
        }

        /**
         * @param value the ensemble, {@code host:port[,host:port...]} with an optional chroot suffix
         *     ({@code zk1:2181,zk2:2181/apps}); required
         * @return this builder
         * @throws IllegalArgumentException when a server entry or the chroot is malformed
         */
        public Builder connectString(String value) {
            Objects.requireNonNull(value, "connectString");
            String servers = value;
            int chroot = value.indexOf('/');
            if (chroot >= 0) {
                servers = value.substring(0, chroot);
                checkPath("chroot of connect string '" + value + "'", value.substring(chroot + 1));
            }
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("invalid ZooKeeper connect string '" + value
                        + "': no server; expected host:port[,host:port...]");
            }
            for (String server : servers.split(",", -1)) {
                int colon = server.lastIndexOf(':');
                String host = colon < 0 ? server : server.substring(0, colon);
                if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("invalid ZooKeeper connect string '" + value + "': server '"
                            + server + "' has no host");
                }
                if (colon >= 0) {
                    String port = server.substring(colon + 1);
                    int number;
                    try {
                        number = Integer.parseInt(port);
                    } catch (NumberFormatException e) {
                        number = -1;
                    }
                    if (number < 1 || number > 65535) {
                        throw new IllegalArgumentException("invalid ZooKeeper connect string '" + value
                                + "': port '" + port + "' of server '" + server + "' is not 1-65535");
                    }
                }
            }
            this.connectString = value;
            return this;
        }

        /**
         * @param value the znode under which this store keeps everything, without a leading slash
         *     ({@code iov/prod}); several fabrics or environments can share one ensemble with different namespaces;
         *     default {@code iov}
         * @return this builder
         * @throws IllegalArgumentException when it is not a valid relative znode path
         */
        public Builder namespace(String value) {
            Objects.requireNonNull(value, "namespace");
            checkPath("namespace", value);
            this.namespace = value;
            return this;
        }

        /**
         * @param value how long the ensemble keeps this client's session while it cannot reach it, 1 s to 10 min;
         *     default 15 s. The ensemble may narrow it to its own limits (2 to 20 ticks).
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder sessionTimeout(java.time.Duration value) {
            Objects.requireNonNull(value, "sessionTimeout");
            if (value.compareTo(java.time.Duration.ofSeconds(1)) < 0
                    || value.compareTo(java.time.Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("invalid ZooKeeper session timeout " + value
                        + ": must be 1 s to 10 min");
            }
            this.sessionTimeout = value;
            return this;
        }

        /**
         * @param value how long {@link #build()} waits for the first connection, and an operation for a connection,
         *     100 ms to 10 min; default 5 s
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder connectionTimeout(java.time.Duration value) {
            Objects.requireNonNull(value, "connectionTimeout");
            if (value.compareTo(java.time.Duration.ofMillis(100)) < 0
                    || value.compareTo(java.time.Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("invalid ZooKeeper connection timeout " + value
                        + ": must be 100 ms to 10 min");
            }
            this.connectionTimeout = value;
            return this;
        }

        /**
         * Authenticates with ZooKeeper's {@code digest} scheme and creates every znode with the
         * {@code CREATOR_ALL_ACL}: only clients authenticated as the same user can read or change the records.
         *
         * @param user the user name, without {@code :}
         * @param password the password
         * @return this builder
         * @throws IllegalArgumentException when the user is empty or has a {@code :}, or the password is empty
         */
        public Builder digestAuthentication(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isEmpty() || user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("invalid ZooKeeper digest user '" + user
                        + "': must be non-empty and without ':'");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("empty ZooKeeper digest password for user '" + user + "'");
            }
            this.digestUser = user;
            this.digestPassword = password;
            return this;
        }

        /**
         * @param value the largest value accepted, 1 byte to {@link StoreKeys#MAX_VALUE_BYTES}; raise it only with
         *     the ensemble's and the clients' {@code jute.maxbuffer}; default {@link #DEFAULT_MAX_VALUE_BYTES}
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder maxValueBytes(int value) {
            if (value < 1 || value > StoreKeys.MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("invalid maximum value size " + value + ": must be 1 to "
                        + StoreKeys.MAX_VALUE_BYTES);
            }
            this.maxValueBytes = value;
            return this;
        }

        /**
         * Connects, creates the namespace if needed, loads every record and starts watching.
         *
         * @return the open store
         * @throws IllegalStateException when no connect string was set
         * @throws StoreException when the ensemble cannot be reached within the connection timeout, or refuses
         *     this client (wrong credentials)
         */
        public ZooKeeperStateStore build() {
            if (connectString == null) {
                throw new IllegalStateException("a ZooKeeperStateStore needs the ensemble: call connectString(...)");
            }
            if (connectionTimeout.compareTo(sessionTimeout) > 0) {
                throw new IllegalArgumentException("ZooKeeper connection timeout " + connectionTimeout
                        + " is longer than the session timeout " + sessionTimeout);
            }
            org.apache.curator.framework.CuratorFrameworkFactory.Builder curator =
                    org.apache.curator.framework.CuratorFrameworkFactory.builder()
                            .connectString(connectString)
                            .namespace(namespace)
                            .sessionTimeoutMs((int) sessionTimeout.toMillis())
                            .connectionTimeoutMs((int) connectionTimeout.toMillis())
                            // No retries: a retried compare-and-set whose first try went through would report a
                            // conflict with itself. Failures surface as StoreException (outcome unknown).
                            .retryPolicy(new org.apache.curator.retry.RetryNTimes(0, 0));
            if (digestUser != null) {
                curator.authorization("digest", (digestUser + ":" + digestPassword)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .aclProvider(new org.apache.curator.framework.api.ACLProvider() {
                            @Override
                            public List<org.apache.zookeeper.data.ACL> getDefaultAcl() {
                                return org.apache.zookeeper.ZooDefs.Ids.CREATOR_ALL_ACL;
                            }

                            @Override
                            public List<org.apache.zookeeper.data.ACL> getAclForPath(String path) {
                                return org.apache.zookeeper.ZooDefs.Ids.CREATOR_ALL_ACL;
                            }
                        });
            }
            CuratorFramework client = curator.build();
            String storeName = connectString + "/" + namespace;
            client.start();
            ZooKeeperStateStore store = null;
            try {
                if (!client.blockUntilConnected((int) connectionTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new StoreException("ZooKeeper store " + storeName + ": no connection to the ensemble"
                            + " within " + connectionTimeout);
                }
                store = new ZooKeeperStateStore(storeName, client, maxValueBytes);
                store.start();
                return store;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.close();
                throw new StoreException("ZooKeeper store " + storeName + ": interrupted while connecting", e);
            } catch (RuntimeException e) {
                if (store != null) {
                    store.close();
                } else {
                    client.close();
                }
                throw e;
            }
        }

        private static void checkPath(String what, String path) {
            if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
                throw new IllegalArgumentException("invalid ZooKeeper " + what + " '" + path
                        + "': must be non-empty, without a leading or trailing '/'");
            }
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                        || segment.equals("zookeeper") && path.startsWith("zookeeper")
                        || !segment.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                    throw new IllegalArgumentException("invalid ZooKeeper " + what + " '" + path + "': segment '"
                            + segment + "' is empty, '.', '..', reserved or not printable ASCII");
                }
            }
        }
    }
}
