package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreException;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission across management nodes: each uplink's sums (guaranteed rates, rate limits, vNICs) kept in the shared
 * store, one record per uplink, and changed only in the same transaction as the vNIC record that causes the change.
 * A node that adds a charge re-checks the policy against the sums it read, and the transaction's compare-and-set on
 * the uplink's record fails if another node changed them meanwhile: then it reads them again and decides again. Two
 * nodes racing for one uplink therefore never admit more than the policy allows between them, and a crash can never
 * separate a charge from its vNIC.
 *
 * <p>Used when the fabric is built with a membership (several nodes); a single node keeps its sums in memory and
 * writes its records alone.
 */
final class UplinkLedger {
    /** How long a transaction is tried again while other nodes keep changing its uplink's sums. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final StateStore store;
    private final String keys;
    private final Admission admission;
    /** One lock per uplink's sums record, so that this node's threads commit to it one at a time. */
    private final Map<String, ReentrantLock> turns = new ConcurrentHashMap<>();

    UplinkLedger(StateStore store, String keyPrefix, Admission admission) {
        this.store = store;
        this.keys = keyPrefix + "uplinks/";
        this.admission = admission;
    }

    /** One uplink's sums, as stored. */
    record Sums(long guaranteedBps, long limitBps, int vnics) {
        static final Sums ZERO = new Sums(0, 0, 0);

        Sums plus(Charge charge, int sign) {
            return new Sums(Math.max(0, guaranteedBps + sign * charge.guaranteedBps()),
                    Math.max(0, limitBps + sign * charge.limitBps()), Math.max(0, vnics + sign));
        }

        byte[] encode() {
            return ByteBuffer.allocate(20).putLong(guaranteedBps).putLong(limitBps).putInt(vnics).array();
        }

        static Sums decode(String key, byte[] bytes) {
            if (bytes.length != 20) {
                throw new FabricException("read " + key, "state store record '" + key + "' cannot be read: "
                        + bytes.length + " bytes, expected 20");
            }
            ByteBuffer in = ByteBuffer.wrap(bytes);
            return new Sums(in.getLong(), in.getLong(), in.getInt());
        }
    }

    /**
     * A vNIC's charge added to (sign 1) or taken off (sign -1) an uplink.
     *
     * @param usage the uplink, as this node knows it
     * @param charge what the vNIC costs it
     * @param sign 1 to add, -1 to take off
     */
    record Change(UplinkUsage usage, Charge charge, int sign) {
        static Optional<Change> add(UplinkUsage usage, Charge charge) {
            return usage == null || charge == null ? Optional.empty() : Optional.of(new Change(usage, charge, 1));
        }

        static Optional<Change> remove(UplinkUsage usage, Charge charge) {
            return usage == null || charge == null ? Optional.empty() : Optional.of(new Change(usage, charge, -1));
        }
    }

    String key(HostId host, String uplink) {
        return keys + host + "/" + uplink;
    }

    Sums read(HostId host, String uplink) {
        String key = key(host, uplink);
        return store.get(key).map(v -> Sums.decode(key, v.value())).orElse(Sums.ZERO);
    }

    /**
     * Commits the records' steps together with the uplinks' changes. When only an uplink's record conflicts, the
     * sums are read again, an added charge is admitted again, and the transaction tried again.
     *
     * @param subject what is admitted, for the refusal's message
     * @return the versions of {@code ops}, in order
     * @throws AdmissionException when an added charge no longer fits its uplink
     * @throws VersionConflictException when one of {@code ops} conflicts
     * @throws StoreException when other nodes kept changing the sums through every attempt; nothing was written
     */
    List<Long> commit(List<StoreOp> ops, List<Change> changes, String subject) {
        if (changes.isEmpty()) {
            return store.commit(ops);
        }
        // This node's own writers of one uplink's sums take turns: they would only make each other retry.
        List<ReentrantLock> held = new ArrayList<>();
        new TreeSet<>(changes.stream().map(c -> key(c.usage().host, c.usage().uplink.name())).toList())
                .forEach(key -> held.add(turns.computeIfAbsent(key, k -> new ReentrantLock())));
        held.forEach(ReentrantLock::lock);
        try {
            return commitInTurn(ops, changes, subject);
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    private List<Long> commitInTurn(List<StoreOp> ops, List<Change> changes, String subject) {
        VersionConflictException last = null;
        long deadline = System.nanoTime() + RETRY_NANOS;
        for (int attempt = 0; attempt == 0 || System.nanoTime() - deadline < 0; attempt++) {
            Map<String, Sums> sums = new LinkedHashMap<>();
            Map<String, Long> versions = new LinkedHashMap<>();
            for (Change change : changes) {
                String key = key(change.usage().host, change.usage().uplink.name());
                if (!sums.containsKey(key)) {
                    Optional<VersionedValue> stored = store.get(key);
                    sums.put(key, stored.map(v -> Sums.decode(key, v.value())).orElse(Sums.ZERO));
                    versions.put(key, stored.map(VersionedValue::version).orElse(StateStore.ABSENT));
                }
                Sums before = sums.get(key);
                if (change.sign() > 0) {
                    String refusal = admission.refusal(asUsage(change.usage(), before), change.charge());
                    if (refusal != null) {
                        throw new AdmissionException(subject, List.of(refusal + " (counted across every "
                                + "management node)"));
                    }
                }
                sums.put(key, before.plus(change.charge(), change.sign()));
            }
            List<StoreOp> all = new ArrayList<>(ops);
            sums.forEach((key, after) -> all.add(new StoreOp.Put(key, after.encode(), versions.get(key))));
            try {
                return store.commit(all).subList(0, ops.size());
            } catch (VersionConflictException e) {
                if (!e.key().startsWith(keys)) {
                    throw e;
                }
                last = e;
                backOff(attempt);
            }
        }
        throw new StoreException(subject + ": the sums of '" + last.key() + "' kept changing for "
                + TimeUnit.NANOSECONDS.toSeconds(RETRY_NANOS) + " s under other management nodes' writes; nothing was "
                + "written, try again", last);
    }

    /**
     * Many nodes on one uplink: after a few lost races, wait a random moment so that they stop colliding. Kept short:
     * a node that waits long while another commits back to back only loses again.
     */
    private static void backOff(int attempt) {
        if (attempt < 4) {
            Thread.onSpinWait();
            return;
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a write of shared uplink sums", e);
        }
    }

    /**
     * Writes the sums of uplinks that have no record yet (a store written before admission was shared), from the
     * vNICs this node loaded. Another node doing the same first wins.
     */
    void initialize(Iterable<UplinkUsage> usages) {
        for (UplinkUsage usage : usages) {
            String key = key(usage.host, usage.uplink.name());
            if (store.get(key).isEmpty()) {
                try {
                    store.put(key, new Sums(usage.guaranteedBps, usage.limitBps, usage.vnics).encode(),
                            StateStore.ABSENT);
                } catch (VersionConflictException e) {
                    // Another node wrote it first; its sums count the same records.
                }
            }
        }
    }

    /**
     * Tells whether this node's replica of some uplinks' sums is current, by checking their versions in one
     * transaction (one round trip). A store answers a conflict with the record read again, so after a "no" the
     * next read sees the current sums.
     *
     * @return true when every uplink's sums are as this node read them
     */
    boolean isCurrent(List<UplinkUsage> usages) {
        List<StoreOp> checks = new ArrayList<>(usages.size());
        for (UplinkUsage usage : usages) {
            String key = key(usage.host, usage.uplink.name());
            checks.add(new StoreOp.Check(key, store.get(key).map(VersionedValue::version).orElse(StateStore.ABSENT)));
        }
        try {
            store.commit(checks);
            return true;
        } catch (VersionConflictException stale) {
            return false;
        }
    }

    /** @return copies of a host's uplinks with the store's sums instead of this node's, to decide on */
    List<UplinkUsage> views(List<UplinkUsage> local) {
        List<UplinkUsage> views = new ArrayList<>(local.size());
        for (UplinkUsage usage : local) {
            views.add(asUsage(usage, read(usage.host, usage.uplink.name())));
        }
        return views;
    }

    private static UplinkUsage asUsage(UplinkUsage local, Sums sums) {
        UplinkUsage usage = new UplinkUsage(local.host, local.uplink);
        usage.guaranteedBps = sums.guaranteedBps();
        usage.limitBps = sums.limitBps();
        usage.vnics = sums.vnics();
        return usage;
    }
}
