package dev.iov.store.zookeeper;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreEvent;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreKeys;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.StoreOutcomeUnknownException;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import dev.iov.api.internal.store.RecordIndex;
import dev.iov.api.internal.store.WatchDispatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
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
 * <p><b>Transactions.</b> {@link #commit} sends its steps as one ZooKeeper {@code multi}: the ensemble applies all of
 * them or none, and the changes share one zxid. This store applies them to its replica together, before the call
 * returns, and its listeners get one event per changed record, in the order of the steps.
 *
 * <p><b>Reads</b> ({@link #get}, {@link #list}) are served from a replica of the records in this process and cost
 * no round trip; a list is a consistent snapshot of the replica. The replica holds every write this store
 * acknowledged. Every change reaches the replica on ZooKeeper's event thread in the order the ensemble answered
 * this client: this store's own writes when they are acknowledged (a write returns after its change is in the
 * replica: read-your-writes), other nodes' writes through a persistent recursive watch on the records, each changed
 * record being read again. Those re-reads are not applied one at a time: they are grouped by the zxid of the
 * notification, and answered groups are applied at once, only when no change their answers may show (up to the
 * highest zxid the answers carry) is still being read. So another node's transaction is seen whole or not at all,
 * by readers and by listeners, and several quick transactions may become visible together. (Notifications carry
 * their zxid from ZooKeeper 3.9 on; with an older ensemble, re-reads are applied as they are answered and another
 * node's transaction may show up record by record.) After a
 * {@link VersionConflictException} the record that caused it has been read again, so a compare-and-set loop sees
 * the winner's version on its next {@link #get}. Another node's writes become visible here a notification later,
 * and a listener sees a record's latest state: several quick changes by another node may reach it as one event.
 * This store's own writes are delivered one event per change, in commit order.
 *
 * <p><b>Connection.</b> Writes are refused with {@link StoreException} while the connection is
 * {@linkplain ConnectionState#SUSPENDED suspended} or {@linkplain ConnectionState#LOST lost}: a client cut off from
 * the quorum must not act as if its write had happened. Reads keep answering from the replica. When the connection
 * comes back (the same session, or a new one after the old expired) the watch is registered again and every record
 * is read again, so changes made meanwhile by other nodes, deletions included, reach the replica and the listeners.
 * A write that fails because the connection dropped while it was in flight has an unknown outcome, as the
 * {@link StateStore} contract allows; it is never retried blindly, because a retried compare-and-set could report
 * a conflict with itself.
 *
 * <p><b>Throughput.</b> Writes are sent asynchronously and pipelined on the session: many threads' writes are in
 * flight at once and each costs one quorum round trip of latency, not a place in a queue. A value may be at most
 * {@link Builder#maxValueBytes} bytes (ZooKeeper's {@code jute.maxbuffer} is 1 MiB by default). Every record is held
 * in memory on every node, as the journal store does.
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
    /** How long a caller waits for ZooKeeper's answer before the outcome is declared unknown. */
    private final long answerTimeoutMillis;
    private final RecordIndex index = new RecordIndex();
    private final WatchDispatcher watches;
    /**
     * Guards the replica (index and zxids) together with publishing, so that readers and listeners see changes in
     * the order they were applied. Changes are applied only on ZooKeeper's event thread, in the order the server
     * answered this session (ZooKeeper answers a session's requests in order): the replica moves through the
     * states the ensemble went through, as seen by this client.
     */
    private final ReentrantLock applyLock = new ReentrantLock();
    /** Key to the zxid of the last change the replica holds for it; guarded by applyLock. */
    private final Map<String, Long> changeZxids = new HashMap<>();
    /** Re-reads not applied yet, in the order they were started; guarded by applyLock. */
    private final ArrayDeque<ReadGroup> readGroups = new ArrayDeque<>();
    /** The highest zxid of a change notification received; guarded by applyLock. */
    private long notifiedZxid;
    /** Key to the zxid of the last notification about it, kept while re-reads are pending; guarded by applyLock. */
    private final Map<String, Long> keyNotifiedZxids = new HashMap<>();
    /** The records' persistent recursive watch, registered on ZooKeeper itself to keep notifications' zxids. */
    private final Watcher recordsWatcher = this::onWatchedEvent;
    /** Orders read answers and this store's own writes as the event thread handles them; guarded by applyLock. */
    private long sequence;
    /** Key to the sequence of what the replica holds for it, kept while re-reads are pending; guarded by applyLock. */
    private final Map<String, Long> appliedSequence = new HashMap<>();
    /** Writes hold the read lock while in flight; close takes the write lock, so they complete first. */
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final PersistentWatcher watcher;
    private volatile ConnectionState connection = ConnectionState.CONNECTED;
    private volatile boolean closed;

    ZooKeeperStateStore(String name, CuratorFramework client, int maxValueBytes, long answerTimeoutMillis) {
        this.name = name;
        this.client = client;
        this.maxValueBytes = maxValueBytes;
        this.answerTimeoutMillis = answerTimeoutMillis;
        this.watches = new WatchDispatcher("zk-" + name);
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

    /** Creates the records' parent, starts watching and loads every record; called once by the builder. */
    void start() {
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(RECORDS);
        } catch (KeeperException.NodeExistsException e) {
            // Another node, or an earlier run, created it.
        } catch (Exception e) {
            throw failure("cannot create the records znode " + RECORDS, e);
        }
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        // Curator's watch keeps track of the sessions: it is called each time its watch is (re-)registered, after a
        // reconnect too (same session or a new one). The records' own watch is then registered on the session
        // (again), and whatever changed while it was not registered is found by reading everything again.
        watcher.getResetListenable().addListener(() -> {
            watchRecords();
            resync();
        });
        watchRecords();
        watcher.start();
        Code loaded = await(resync(), "load the records").code();
        if (loaded != Code.OK) {
            throw failure("cannot load the records under " + RECORDS, KeeperException.create(loaded, RECORDS));
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
        closeLock.readLock().lock();
        try {
            ensureWritable("put", key);
            Answer answer;
            if (expectedVersion == ABSENT) {
                answer = await(create(key, path, copy), "put of '" + key + "'");
            } else if (expectedVersion == ANY_VERSION) {
                answer = overwrite(key, path, copy);
            } else if (expectedVersion - 1 > Integer.MAX_VALUE) {
                answer = Answer.of(Code.BADVERSION);
            } else {
                answer = await(setData(key, path, copy, (int) (expectedVersion - 1)), "put of '" + key + "'");
            }
            Code code = answer.code();
            if (code == Code.OK) {
                // Applied to the replica by the callback before it answered.
                return answer.version();
            }
            if (code == Code.BADVERSION || code == Code.NONODE || code == Code.NODEEXISTS) {
                throw new VersionConflictException(key, expectedVersion, refresh(key));
            }
            throw unknownOutcome("put of '" + key + "' failed; its outcome is unknown",
                    KeeperException.create(code, path));
        } finally {
            closeLock.readLock().unlock();
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
        closeLock.readLock().lock();
        try {
            ensureWritable("delete", key);
            Code code = expectedVersion - 1 > Integer.MAX_VALUE
                    ? Code.BADVERSION
                    : await(delete(key, path, expectedVersion == ANY_VERSION ? -1 : (int) (expectedVersion - 1),
                            expectedVersion), "delete of '" + key + "'").code();
            if (code == Code.OK) {
                return true;
            }
            if (code == Code.NONODE || code == Code.BADVERSION) {
                long actual = refresh(key);
                if (expectedVersion == ANY_VERSION && actual == ABSENT) {
                    return false;
                }
                throw new VersionConflictException(key, expectedVersion, actual);
            }
            throw unknownOutcome("delete of '" + key + "' failed; its outcome is unknown",
                    KeeperException.create(code, path));
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The transaction is one ZooKeeper {@code multi}, decided by the ensemble's leader: a put expecting
     * {@link #ABSENT} is a {@code create}, one expecting a version a {@code setData} at that version less one, a
     * delete a {@code delete} at its version, a check a {@code check} of its version. ZooKeeper has no operation that
     * checks that a znode is absent, so a check expecting {@link #ABSENT} (and a {@link #ANY_VERSION} delete of a key
     * the replica does not hold) creates the znode and deletes it again in the same {@code multi}: it fails if the
     * znode exists, and otherwise changes no record. Steps expecting {@link #ANY_VERSION} are planned from the
     * replica; when the replica was behind and such a step is the one that fails, the record is read again and the
     * transaction is sent again, never reported as a conflict. The whole transaction is applied to the replica at
     * once, before this method returns. The values may take at most {@link Builder#maxValueBytes} bytes each, and
     * the whole request must fit ZooKeeper's {@code jute.maxbuffer}.
     *
     * @param ops {@inheritDoc}
     * @return {@inheritDoc}
     * @throws IllegalArgumentException also when a value is larger than {@link Builder#maxValueBytes}
     */
    @Override
    public List<Long> commit(List<? extends StoreOp> ops) {
        List<StoreOp> steps = StoreOp.requireValid(ops);
        List<byte[]> values = new ArrayList<>(steps.size());
        for (StoreOp op : steps) {
            byte[] copy = null;
            if (op instanceof StoreOp.Put put) {
                copy = put.value().clone();
                if (copy.length > maxValueBytes) {
                    throw new IllegalArgumentException("value for store key '" + put.key() + "' is " + copy.length
                            + " bytes, more than the limit of " + maxValueBytes + " bytes of ZooKeeper store " + name);
                }
            }
            values.add(copy);
        }
        String what = "commit of " + describe(steps);
        closeLock.readLock().lock();
        try {
            ensureWritable("commit", steps.get(0).key());
            while (true) {
                Transaction transaction = plan(steps, values);
                if (transaction.outOfRange() >= 0) {
                    StoreOp op = steps.get(transaction.outOfRange());
                    throw new VersionConflictException(op.key(), op.expectedVersion(), refresh(op.key()));
                }
                TransactionAnswer answer = await(multi(transaction, steps, values), what);
                if (answer.code() == Code.OK) {
                    // Applied to the replica by the callback before it answered.
                    return answer.versions();
                }
                if (answer.failedOp() < 0) {
                    throw unknownOutcome(what + " failed; its outcome is unknown",
                            KeeperException.create(answer.code()));
                }
                StoreOp op = steps.get(transaction.stepOf().get(answer.failedOp()));
                Code code = answer.code();
                if (code != Code.BADVERSION && code != Code.NONODE && code != Code.NODEEXISTS) {
                    throw failure(what + " was refused at the step of '" + op.key() + "'; nothing was written",
                            KeeperException.create(code, pathOf(op.key())));
                }
                long actual = refresh(op.key());
                if (op.expectedVersion() == ANY_VERSION) {
                    continue;  // planned from a replica that was behind: plan again from what ZooKeeper has now
                }
                throw new VersionConflictException(op.key(), op.expectedVersion(), actual);
            }
        } finally {
            closeLock.readLock().unlock();
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
     * Joins the management nodes that share this store as {@code nodeId}: an ephemeral znode of this store's session
     * under {@code <namespace>/members}, with this store's ACL; see {@link ZooKeeperMembership}. Close the membership
     * to leave; closing the store ends the session, and with it the membership.
     *
     * @param nodeId this node's id, the one given to {@code FabricBuilder.nodeId}: printable ASCII without spaces
     * @return the membership, this node already among its members
     * @throws IllegalArgumentException when the id is invalid or a live node holds it
     * @throws StoreException when the store is closed or ZooKeeper does not answer
     */
    public ZooKeeperMembership membership(String nodeId) {
        ensureOpen();
        return ZooKeeperMembership.join(client, name, nodeId, answerTimeoutMillis);
    }

    /**
     * Tells whether writes are accepted now: the store is open and its connection is neither suspended nor lost.
     *
     * @return true when a write would be sent to ZooKeeper
     */
    public boolean isWritable() {
        return !closed && !isCutOff(connection) && client.getZookeeperClient().isConnected();
    }

    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            closeLock.writeLock().unlock();
        }
        try {
            watcher.close();
        } catch (RuntimeException e) {
            LOG.debug("ZooKeeper store {}: closing the watch failed", name, e);
        }
        client.close();
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

    // ------------------------------------------------------------------------------ writes (asynchronous)

    /*
     * Every operation is sent with Curator's background API and its answer handled on ZooKeeper's event thread,
     * which runs callbacks in the order the server answered. The callback applies the change to the replica and
     * only then completes the caller's future, so the caller returns with its write visible; writes of many
     * threads are in flight together (pipelined on the session) instead of waiting for each other's round trips.
     */

    private CompletableFuture<Answer> create(String key, String path, byte[] value) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Stat created = new Stat();
        send(answer, () -> client.create().storingStatIn(created).withMode(CreateMode.PERSISTENT)
                .inBackground((c, event) -> {
                    Code code = Code.get(event.getResultCode());
                    if (code == Code.OK) {
                        Stat stat = event.getStat() != null ? event.getStat() : created;
                        applyPut(key, 1, value, stat.getMzxid());
                    }
                    answer.complete(new Answer(code, 1));
                }).forPath(path, value));
        return answer;
    }

    private CompletableFuture<Answer> setData(String key, String path, byte[] value, int znodeVersion) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        send(answer, () -> client.setData().withVersion(znodeVersion).inBackground((c, event) -> {
            Code code = Code.get(event.getResultCode());
            long version = ABSENT;
            if (code == Code.OK) {
                Stat stat = event.getStat();
                version = stat.getVersion() + 1L;
                applyPut(key, version, value, stat.getMzxid());
            }
            answer.complete(new Answer(code, version));
        }).forPath(path, value));
        return answer;
    }

    private CompletableFuture<Answer> delete(String key, String path, int znodeVersion, long expectedVersion) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        send(answer, () -> client.delete().withVersion(znodeVersion).inBackground((c, event) -> {
            Code code = Code.get(event.getResultCode());
            if (code == Code.OK) {
                applyDelete(key, expectedVersion);
            }
            answer.complete(Answer.of(code));
        }).forPath(path));
        return answer;
    }

    /** What one step of a transaction became in the {@code multi}. */
    private enum StepKind { CREATE, SET_DATA, DELETE, CHECK, ABSENCE_CHECK }

    /**
     * A transaction as ZooKeeper operations.
     *
     * @param ops the operations of the {@code multi}
     * @param stepOf for each operation, the index of the step it comes from
     * @param kinds for each step, what it became
     * @param firstOp for each step, the index of its first operation
     * @param deletedVersions for each step, the version a delete removes
     * @param outOfRange the index of a step whose expected version no znode can have, or -1
     */
    private record Transaction(List<CuratorOp> ops, List<Integer> stepOf, List<StepKind> kinds, List<Integer> firstOp,
            List<Long> deletedVersions, int outOfRange) {
    }

    /**
     * ZooKeeper's answer to a {@code multi}.
     *
     * @param code OK, or the error of the failing operation or of the request
     * @param failedOp the index of the operation that failed, or -1 when the request itself failed
     * @param versions for a success, what {@link #commit} returns
     */
    private record TransactionAnswer(Code code, int failedOp, List<Long> versions) {
    }

    /** Turns the steps into ZooKeeper operations; steps expecting any version are planned from the replica. */
    private Transaction plan(List<StoreOp> steps, List<byte[]> values) {
        List<CuratorOp> ops = new ArrayList<>();
        List<Integer> stepOf = new ArrayList<>();
        List<StepKind> kinds = new ArrayList<>();
        List<Integer> firstOp = new ArrayList<>();
        List<Long> deletedVersions = new ArrayList<>();
        try {
            for (int i = 0; i < steps.size(); i++) {
                StoreOp op = steps.get(i);
                String path = pathOf(op.key());
                long expected = op.expectedVersion();
                long known = index.version(op.key());
                if (expected != ANY_VERSION && expected - 1 > Integer.MAX_VALUE) {
                    return new Transaction(ops, stepOf, kinds, firstOp, deletedVersions, i);
                }
                firstOp.add(ops.size());
                long deleted = ABSENT;
                StepKind kind;
                if (op instanceof StoreOp.Put) {
                    byte[] value = values.get(i);
                    if (expected == ABSENT || expected == ANY_VERSION && known == ABSENT) {
                        kind = StepKind.CREATE;
                        ops.add(client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, value));
                    } else {
                        kind = StepKind.SET_DATA;
                        int version = expected == ANY_VERSION ? -1 : (int) (expected - 1);
                        ops.add(client.transactionOp().setData().withVersion(version).forPath(path, value));
                    }
                } else if (op instanceof StoreOp.Delete) {
                    long target = expected == ANY_VERSION ? known : expected;
                    if (target == ABSENT) {
                        kind = StepKind.ABSENCE_CHECK;
                    } else {
                        kind = StepKind.DELETE;
                        deleted = target;
                        ops.add(client.transactionOp().delete().withVersion((int) (target - 1)).forPath(path));
                    }
                } else if (expected == ABSENT) {
                    kind = StepKind.ABSENCE_CHECK;
                } else {
                    kind = StepKind.CHECK;
                    ops.add(client.transactionOp().check().withVersion((int) (expected - 1)).forPath(path));
                }
                if (kind == StepKind.ABSENCE_CHECK) {
                    // Fails with NODEEXISTS if the znode is there; otherwise leaves nothing behind.
                    ops.add(client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, NO_VALUE));
                    ops.add(client.transactionOp().delete().withVersion(0).forPath(path));
                }
                while (stepOf.size() < ops.size()) {
                    stepOf.add(i);
                }
                kinds.add(kind);
                deletedVersions.add(deleted);
            }
        } catch (Exception e) {
            throw failure("cannot prepare the transaction", e);
        }
        return new Transaction(ops, stepOf, kinds, firstOp, deletedVersions, -1);
    }

    /** Sends a transaction as one {@code multi}; the callback applies all of it to the replica before answering. */
    private CompletableFuture<TransactionAnswer> multi(Transaction transaction, List<StoreOp> steps,
            List<byte[]> values) {
        CompletableFuture<TransactionAnswer> answer = new CompletableFuture<>();
        try {
            client.transaction().inBackground((c, event) -> {
                Code code = Code.get(event.getResultCode());
                List<CuratorTransactionResult> results = event.getOpResults();
                if (results == null) {
                    answer.complete(new TransactionAnswer(code == Code.OK ? Code.CONNECTIONLOSS : code, -1, null));
                    return;
                }
                for (int i = 0; i < results.size(); i++) {
                    if (results.get(i).getError() != Code.OK.intValue()) {
                        answer.complete(new TransactionAnswer(Code.get(results.get(i).getError()), i, null));
                        return;
                    }
                }
                if (code != Code.OK) {
                    answer.complete(new TransactionAnswer(code, -1, null));
                    return;
                }
                answer.complete(new TransactionAnswer(Code.OK, -1, applyCommitted(transaction, steps, values,
                        results)));
            }).forOperations(transaction.ops());
        } catch (Exception e) {
            LOG.debug("ZooKeeper store {}: could not send a transaction", name, e);
            answer.complete(new TransactionAnswer(e instanceof KeeperException keeper ? keeper.code()
                    : Code.CONNECTIONLOSS, -1, null));
        }
        return answer;
    }

    /** Applies a committed transaction to the replica at once; returns what {@link #commit} returns. */
    private List<Long> applyCommitted(Transaction transaction, List<StoreOp> steps, List<byte[]> values,
            List<CuratorTransactionResult> results) {
        long zxid = 0;
        for (CuratorTransactionResult result : results) {
            if (result.getResultStat() != null) {
                zxid = result.getResultStat().getMzxid();  // every change of one multi has the same zxid
                break;
            }
        }
        List<Long> versions = new ArrayList<>(steps.size());
        applyLock.lock();
        try {
            List<Observed> changes = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                StoreOp op = steps.get(i);
                switch (transaction.kinds().get(i)) {
                    case CREATE -> {
                        versions.add(1L);
                        changes.add(new Observed(op.key(), true, 1, values.get(i), zxid, ++sequence));
                    }
                    case SET_DATA -> {
                        Stat stat = results.get(transaction.firstOp().get(i)).getResultStat();
                        long version = stat.getVersion() + 1L;
                        versions.add(version);
                        changes.add(new Observed(op.key(), true, version, values.get(i), stat.getMzxid(),
                                ++sequence));
                    }
                    case DELETE -> {
                        versions.add(ABSENT);
                        changes.add(new Observed(op.key(), false, transaction.deletedVersions().get(i), NO_VALUE,
                                zxid, ++sequence));
                    }
                    case CHECK -> versions.add(op.expectedVersion());
                    default -> versions.add(ABSENT);  // an absence check, or deleting what was not there
                }
            }
            applyLocked(changes);
        } finally {
            applyLock.unlock();
        }
        return List.copyOf(versions);
    }

    private static String describe(List<StoreOp> steps) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < steps.size() && i < 5; i++) {
            text.append(i == 0 ? "'" : ", '").append(steps.get(i).key()).append('\'');
        }
        if (steps.size() > 5) {
            text.append(" and ").append(steps.size() - 5).append(" more");
        }
        return text.toString();
    }

    /** An unconditional put: update the znode, or create it, until one of the two wins. */
    private Answer overwrite(String key, String path, byte[] value) {
        while (true) {
            Answer answer = await(setData(key, path, value, -1), "put of '" + key + "'");
            if (answer.code() != Code.NONODE) {
                return answer;
            }
            answer = await(create(key, path, value), "put of '" + key + "'");
            if (answer.code() != Code.NODEEXISTS) {
                return answer;
            }
            // Created by another node in between: update it instead.
        }
    }

    // ------------------------------------------------------------------------------ reads (asynchronous)

    /*
     * A record another node changed is read again, and the answer applied to the replica. Answers are not applied
     * one by one: the changes of one ZooKeeper transaction (one multi, one zxid) would then show up one record at a
     * time. Reads are collected in groups (one per zxid notified, one per resync or refresh) and a run of answered
     * groups is applied at once, but only when no change the answers may already show is still being read.
     *
     * Why that is enough: ZooKeeper delivers a change's notification to this client before any answer that shows
     * the change, and every notification starts a read. An answer shows its record as of the record's last change
     * (the znode's mzxid; for an absent record, the zxid of its last notification, which was its deletion). Let H
     * be the highest such zxid among the answers applied together. Every change up to H was notified before those
     * answers, so it has a group; once every such group is answered and applied with them, each record's latest
     * answer shows it as of H: a change to it up to H was re-read after it happened, and a later one would have
     * raised H. The records applied together then show one moment of the ensemble, never part of a transaction.
     */

    /** Re-reads whose answers are applied to the replica together. Guarded by applyLock. */
    private static final class ReadGroup {
        /** The zxid notified, or {@link Long#MAX_VALUE} for reads not started by a notification. */
        final long zxid;
        int outstanding;
        /** The highest zxid its answers show: every change up to it must be read before they are applied. */
        long reaches;
        final Map<String, Observed> answers = new LinkedHashMap<>();
        Code worst = Code.OK;
        final CompletableFuture<Answer> applied = new CompletableFuture<>();

        ReadGroup(long zxid) {
            this.zxid = zxid;
        }
    }

    /**
     * One record as ZooKeeper answered it.
     *
     * @param key the key
     * @param present whether the znode exists
     * @param version the record's version, or for an absent one the version deleted ({@link #ANY_VERSION} if not
     *     known)
     * @param value the value, empty when absent
     * @param zxid the zxid of the record's last change, 0 when not known
     * @param sequence when the event thread handled the answer
     */
    private record Observed(String key, boolean present, long version, byte[] value, long zxid, long sequence) {
    }

    /**
     * Reads one record from ZooKeeper and brings the replica up to date with it, together with whatever other
     * records its answer must be seen with.
     *
     * @return the record's version in ZooKeeper, {@link #ABSENT} when it does not exist
     */
    private long refresh(String key) {
        ReadGroup group = newGroup(Long.MAX_VALUE, 1);
        readInto(group, key);
        Code code = await(group.applied, "read of '" + key + "'").code();
        if (code != Code.OK) {
            throw failure("cannot read '" + key + "'", KeeperException.create(code, pathOf(key)));
        }
        return index.version(key);
    }

    private ReadGroup newGroup(long zxid, int reads) {
        ReadGroup group = new ReadGroup(zxid);
        applyLock.lock();
        try {
            group.outstanding = reads;
            readGroups.add(group);
            if (reads == 0) {
                applyAnsweredGroups();
            }
        } finally {
            applyLock.unlock();
        }
        return group;
    }

    /** Sends a read of one record for a group, which counts it already; its answer is handled on the event thread. */
    private void readInto(ReadGroup group, String key) {
        try {
            client.getData().inBackground((c, event) -> answered(group, key, Code.get(event.getResultCode()),
                    event.getStat(), event.getData())).forPath(pathOf(key));
        } catch (Exception e) {
            LOG.debug("ZooKeeper store {}: could not send a read of '{}'", name, key, e);
            answered(group, key, e instanceof KeeperException keeper ? keeper.code() : Code.CONNECTIONLOSS, null,
                    null);
        }
    }

    private void answered(ReadGroup group, String key, Code code, Stat stat, byte[] data) {
        applyLock.lock();
        try {
            long handled = ++sequence;
            if (code == Code.OK) {
                group.answers.put(key, new Observed(key, true, stat.getVersion() + 1L, data == null ? NO_VALUE : data,
                        stat.getMzxid(), handled));
                group.reaches = Math.max(group.reaches, stat.getMzxid());
            } else if (code == Code.NONODE) {
                group.answers.put(key, new Observed(key, false, ANY_VERSION, NO_VALUE, 0, handled));
                // The deletion was notified before this answer: the key's last notification, if still known.
                group.reaches = Math.max(group.reaches, keyNotifiedZxids.getOrDefault(key, notifiedZxid));
            } else {
                LOG.debug("ZooKeeper store {}: reading '{}' failed with {}; the next resync will", name, key, code);
                if (group.worst == Code.OK) {
                    group.worst = code;
                }
            }
            group.outstanding--;
            applyAnsweredGroups();
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * Applies the longest run of answered groups at the head at once whose answers show no change that a group still
     * being read (or waiting behind one) was notified of: applying them would show part of that change.
     */
    private void applyAnsweredGroups() {
        List<ReadGroup> groups = new ArrayList<>(readGroups);
        int answered = 0;
        while (answered < groups.size() && groups.get(answered).outstanding == 0) {
            answered++;
        }
        int ready = 0;
        long reaches = Long.MIN_VALUE;
        for (int run = 1; run <= answered; run++) {
            reaches = Math.max(reaches, groups.get(run - 1).reaches);
            boolean whole = true;
            for (int later = run; later < groups.size() && whole; later++) {
                whole = groups.get(later).zxid > reaches;
            }
            if (whole) {
                ready = run;
            }
        }
        if (ready == 0) {
            return;
        }
        Map<String, Observed> latest = new LinkedHashMap<>();
        List<ReadGroup> done = new ArrayList<>(ready);
        for (int i = 0; i < ready; i++) {
            ReadGroup group = readGroups.poll();
            done.add(group);
            group.answers.values().forEach(answer -> latest.merge(answer.key(), answer,
                    (older, newer) -> newer.sequence() >= older.sequence() ? newer : older));
        }
        applyLocked(new ArrayList<>(latest.values()));
        if (readGroups.isEmpty()) {
            appliedSequence.clear();
            keyNotifiedZxids.clear();
        }
        done.forEach(group -> group.applied.complete(Answer.of(group.worst)));
    }

    /**
     * Reads every record again, finding changes no notification reported (deletions included), and applies them
     * all at once.
     *
     * @return completes when every record has been read and applied
     */
    private CompletableFuture<Answer> resync() {
        CompletableFuture<Answer> done = new CompletableFuture<>();
        send(done, () -> client.getChildren().inBackground((c, event) -> {
            Code code = Code.get(event.getResultCode());
            if (code != Code.OK) {
                LOG.warn("ZooKeeper store {}: listing the records failed with {}; retrying on reconnect", name,
                        code);
                done.complete(Answer.of(code));
                return;
            }
            Set<String> keys = new LinkedHashSet<>();
            for (String child : event.getChildren()) {
                String key;
                try {
                    key = ZnodeNames.decode(child);
                    StoreKeys.requireValidKey(key);
                } catch (IllegalArgumentException e) {
                    LOG.warn("ZooKeeper store {}: ignoring znode {}/{}: {}", name, RECORDS, child, e.getMessage());
                    continue;
                }
                keys.add(key);
            }
            // Gone from the listing: read it, which removes it unless it was created again since.
            keys.addAll(index.sharedSnapshot("").keySet());
            ReadGroup group = newGroup(Long.MAX_VALUE, keys.size());
            group.applied.whenComplete((answer, failure) -> done.complete(answer));
            for (String key : keys) {
                readInto(group, key);
            }
        }).forPath(RECORDS));
        return done;
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
        ReadGroup group;
        applyLock.lock();
        try {
            if (zxid != WatchedEvent.NO_ZXID) {
                notifiedZxid = Math.max(notifiedZxid, zxid);
                if (readGroups.isEmpty()) {
                    // With no answer pending, the replica is all there is to compare with.
                    Long known = changeZxids.get(key);
                    boolean present = known != null;
                    if (present ? known >= zxid : event.getType() == Watcher.Event.EventType.NodeDeleted) {
                        return;  // the replica is already at or past this change: this store's own write, typically
                    }
                }
            }
            if (closed) {
                return;
            }
            if (zxid != WatchedEvent.NO_ZXID) {
                keyNotifiedZxids.put(key, zxid);
            }
            ReadGroup last = readGroups.peekLast();
            if (zxid != WatchedEvent.NO_ZXID && last != null && last.zxid == zxid) {
                group = last;  // another record of the same transaction
            } else {
                group = new ReadGroup(zxid == WatchedEvent.NO_ZXID ? Long.MAX_VALUE : zxid);
                readGroups.add(group);
            }
            group.outstanding++;
        } finally {
            applyLock.unlock();
        }
        readInto(group, key);
    }

    /**
     * Registers the persistent recursive watch on the records on the current session. It is registered on the
     * ZooKeeper handle itself rather than through Curator, whose watch wrappers drop a notification's zxid, which is
     * what tells the records one transaction changed. Requests on a session are handled in order, so a read sent
     * after this call sees the watch in place. Registering it again on the same session changes nothing.
     */
    private void watchRecords() {
        try {
            String path = ZKPaths.makePath(client.getNamespace(), RECORDS);
            client.getZookeeperClient().getZooKeeper().addWatch(path, recordsWatcher,
                    AddWatchMode.PERSISTENT_RECURSIVE, (rc, watched, context) -> {
                        if (rc != Code.OK.intValue()) {
                            LOG.warn("ZooKeeper store {}: watching {} failed with {}; retrying on reconnect", name,
                                    watched, Code.get(rc));
                        }
                    }, null);
        } catch (Exception e) {
            LOG.warn("ZooKeeper store {}: cannot watch the records ({}); retrying on reconnect", name, e.toString());
        }
    }

    // ------------------------------------------------------------------------------ the replica

    /** Applies a record as ZooKeeper answered this store's own write. */
    private void applyPut(String key, long version, byte[] value, long zxid) {
        applyLock.lock();
        try {
            applyLocked(List.of(new Observed(key, true, version, value, zxid, ++sequence)));
        } finally {
            applyLock.unlock();
        }
    }

    /** Removes a record this store deleted; {@code deletedVersion} is the version deleted, if known. */
    private void applyDelete(String key, long deletedVersion) {
        applyLock.lock();
        try {
            applyLocked(List.of(new Observed(key, false, deletedVersion, NO_VALUE, 0, ++sequence)));
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * Brings the replica to the records observed, all at once for readers, then tells the listeners one event per
     * record that changed, in order. A record the replica already holds at that zxid is no change, and an answer
     * older than what the replica holds (this store's own write, answered after it) is skipped. Caller holds
     * applyLock; keys are distinct.
     */
    private void applyLocked(List<Observed> observed) {
        List<StoreEvent> changes = new ArrayList<>(observed.size());
        for (Observed record : observed) {
            String key = record.key();
            Long holds = appliedSequence.get(key);
            if (holds != null && holds > record.sequence()) {
                continue;
            }
            if (!readGroups.isEmpty()) {
                appliedSequence.put(key, record.sequence());
            }
            if (record.present()) {
                Long known = changeZxids.get(key);
                if (known != null && index.version(key) == record.version() && (known == record.zxid()
                        || (known == 0 || record.zxid() == 0) && index.get(key)
                                .map(current -> Arrays.equals(current.value(), record.value())).orElse(false))) {
                    // The same change answered twice (a write and a re-read of it); zxid 0 means the answer did not
                    // say which, and the same version and value is the same change as far as readers can tell.
                    if (record.zxid() != 0) {
                        changeZxids.put(key, record.zxid());
                    }
                    continue;
                }
                changes.add(new StoreEvent(key, StoreEvent.Type.PUT, record.version(), record.value()));
                changeZxids.put(key, record.zxid());
            } else {
                long known = index.version(key);
                if (known == ABSENT) {
                    continue;
                }
                long version = record.version() == ANY_VERSION ? known : record.version();
                changes.add(new StoreEvent(key, StoreEvent.Type.DELETE, version, NO_VALUE));
                changeZxids.remove(key);
            }
        }
        if (!changes.isEmpty()) {
            index.applyAll(changes);
            changes.forEach(watches::publish);
        }
    }

    // ------------------------------------------------------------------------------ plumbing

    /** Sends a background operation; a failure to even send it completes the future with a connection loss. */
    private void send(CompletableFuture<Answer> answer, BackgroundCall call) {
        try {
            call.send();
        } catch (Exception e) {
            LOG.debug("ZooKeeper store {}: could not send a request", name, e);
            answer.complete(Answer.of(e instanceof KeeperException keeper ? keeper.code() : Code.CONNECTIONLOSS));
        }
    }

    /** Waits for an answer; after the timeout the outcome is unknown. */
    private <T> T await(CompletableFuture<T> answer, String what) {
        try {
            return answer.get(answerTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreOutcomeUnknownException("ZooKeeper store " + name + ": interrupted while waiting for the "
                    + what + "; its outcome is unknown", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreOutcomeUnknownException("ZooKeeper store " + name + ": no answer to the " + what
                    + " within " + answerTimeoutMillis + " ms; its outcome is unknown", e);
        }
    }

    /** ZooKeeper's answer to one operation, and the record version it produced (for a successful put). */
    private record Answer(Code code, long version) {
        static Answer of(Code code) {
            return new Answer(code, ABSENT);
        }
    }

    /** One Curator background call. */
    @FunctionalInterface
    private interface BackgroundCall {
        void send() throws Exception;
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

    private StoreOutcomeUnknownException unknownOutcome(String what, Exception cause) {
        String reason = cause instanceof KeeperException keeper ? keeper.code().toString() : cause.toString();
        return new StoreOutcomeUnknownException("ZooKeeper store " + name + ": " + what + " (" + reason + ")", cause);
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
        private Duration sessionTimeout = Duration.ofSeconds(15);
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private boolean followEnsembleChanges = true;
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
        public Builder sessionTimeout(Duration value) {
            Objects.requireNonNull(value, "sessionTimeout");
            if (value.compareTo(Duration.ofSeconds(1)) < 0
                    || value.compareTo(Duration.ofMinutes(10)) > 0) {
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
        public Builder connectionTimeout(Duration value) {
            Objects.requireNonNull(value, "connectionTimeout");
            if (value.compareTo(Duration.ofMillis(100)) < 0
                    || value.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("invalid ZooKeeper connection timeout " + value
                        + ": must be 100 ms to 10 min");
            }
            this.connectionTimeout = value;
            return this;
        }

        /**
         * @param value whether the client learns the ensemble's servers from its configuration (ZooKeeper's dynamic
         *     reconfiguration) and may connect to servers that the connect string does not name; default true. Set
         *     false to keep a client to the servers named, as a test of a partition does.
         * @return this builder
         */
        public Builder followEnsembleChanges(boolean value) {
            this.followEnsembleChanges = value;
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
            CuratorFrameworkFactory.Builder curator =
                    CuratorFrameworkFactory.builder()
                            .connectString(connectString)
                            .namespace(namespace)
                            .sessionTimeoutMs((int) sessionTimeout.toMillis())
                            .connectionTimeoutMs((int) connectionTimeout.toMillis())
                            // No retries: a retried compare-and-set whose first try went through would report a
                            // conflict with itself. Failures surface as StoreException (outcome unknown).
                            .retryPolicy(new RetryNTimes(0, 0))
                            .ensembleTracker(followEnsembleChanges);
            if (digestUser != null) {
                curator.authorization("digest", (digestUser + ":" + digestPassword)
                                .getBytes(StandardCharsets.UTF_8))
                        .aclProvider(new ACLProvider() {
                            @Override
                            public List<ACL> getDefaultAcl() {
                                return ZooDefs.Ids.CREATOR_ALL_ACL;
                            }

                            @Override
                            public List<ACL> getAclForPath(String path) {
                                return ZooDefs.Ids.CREATOR_ALL_ACL;
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
                store = new ZooKeeperStateStore(storeName, client, maxValueBytes,
                        sessionTimeout.toMillis() + connectionTimeout.toMillis());
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
