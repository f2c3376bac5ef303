package dev.iov.store.zookeeper.pool;

import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressInUseException;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.pool.MacPool;
import dev.iov.api.pool.PoolExhaustedException;
import dev.iov.api.pool.SlotPool;
import dev.iov.api.pool.VlanPool;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.StoreKeys;
import dev.iov.api.store.StoreOp;
import dev.iov.api.store.VersionConflictException;
import dev.iov.api.store.VersionedValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * An {@link AddressPool} whose allocation state lives in a {@link StateStore}, so that every management node using
 * the same store and key prefix draws from one pool and no two nodes ever hand out the same value: with a
 * {@code ZooKeeperStateStore} this is the pool of a cluster.
 *
 * <p><b>Layout.</b> The range is cut into chunks of {@link #CHUNK_BITS} values; chunk <i>n</i> is one record,
 * {@code <keyPrefix><n>}, holding a bitmap (bit set = allocated; 512 bytes for a full chunk). A chunk that was
 * never written is all free, so a pool of 2<sup>24</sup> MAC addresses costs nothing until it is used, and a
 * million allocated addresses cost 128 KiB of bitmaps.
 *
 * <p><b>Allocation</b> is compare-and-set on a chunk: read it, set a clear bit, write it back with the version
 * read. When another node wrote the chunk in between the write fails with a version conflict and the allocation
 * reads it again and retries, so the bit is set exactly once. Reserve (a fixed address) and release work the same
 * way on the value's chunk. A store may answer reads from a replica a notification behind other nodes, so a "no"
 * (the value is taken, there is nothing to release) is confirmed by writing the chunk back unchanged with the
 * version read before it is answered. Each allocation is one store write, durable before the value is handed out: a node
 * that crashes leaks nothing beyond what its stored vNICs hold, which {@link #adopt} accepts back.
 *
 * <p><b>Which chunk.</b> Allocations go through <em>lanes</em>: a lane is a lock and the chunk it allocates from,
 * and a thread always uses the same lane, so threads of one node never race each other for a bit (a lost race
 * costs a failed write and a re-read). With {@link ChunkSelection#PER_NODE} (the default) a pool instance has
 * {@link #LANES} lanes, each starting at a random chunk and staying there until it is full: threads and nodes
 * rarely write the same chunk, so allocations run in parallel and seldom conflict.
 * {@link ChunkSelection#FIRST_FIT} has one lane that fills chunks from the start, giving compact, predictable
 * addresses at the price of one allocation at a time per node and conflicts between nodes allocating at the same
 * time. (iov-bench's {@code ClusterProvisioning} measures both.)
 *
 * <p>Thread-safe; {@link #available()} and a full scan for a free chunk read every chunk and are meant for reports
 * and for pools close to exhaustion, not for every call.
 *
 * @param <T> the value type
 */
public final class SharedAddressPool<T> implements AddressPool<T> {

    /** Values per chunk record. */
    public static final int CHUNK_BITS = 4096;

    /** Lanes of a {@link ChunkSelection#PER_NODE} pool instance: allocations that can be in flight at once. */
    public static final int LANES = 8;

    /** Where each pool instance looks for a free value first. */
    public enum ChunkSelection {
        /** Each lane of each instance starts at a random chunk and keeps to it while it has room: few conflicts. */
        PER_NODE,
        /** One lane per instance, filling chunks from the first: compact addresses, conflicts between nodes. */
        FIRST_FIT
    }

    private final StateStore store;
    private final String keyPrefix;
    private final String name;
    private final long first;
    private final long capacity;
    private final long chunks;
    private final ToLongFunction<T> toLong;
    private final LongFunction<T> fromLong;
    private final LongFunction<String> format;
    private final Lane[] lanes;

    /** One allocation at a time, from the chunk this lane tries first; it moves on when that chunk is full. */
    private static final class Lane {
        long preferredChunk;

        Lane(long preferredChunk) {
            this.preferredChunk = preferredChunk;
        }
    }

    private SharedAddressPool(StateStore store, String keyPrefix, String name, long first, long last,
            ToLongFunction<T> toLong, LongFunction<T> fromLong, LongFunction<String> format,
            ChunkSelection selection) {
        this.store = Objects.requireNonNull(store, "store");
        this.keyPrefix = StoreKeys.requireValidPrefix(Objects.requireNonNull(keyPrefix, "keyPrefix"));
        if (keyPrefix.isEmpty()) {
            throw new IllegalArgumentException("shared pool " + name + " needs a non-empty key prefix");
        }
        this.name = "shared " + name;
        this.first = first;
        this.capacity = last - first + 1;
        this.chunks = (capacity + CHUNK_BITS - 1) / CHUNK_BITS;
        this.toLong = toLong;
        this.fromLong = fromLong;
        this.format = format;
        Objects.requireNonNull(selection, "selection");
        this.lanes = new Lane[selection == ChunkSelection.PER_NODE ? LANES : 1];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(selection == ChunkSelection.PER_NODE ? ThreadLocalRandom.current().nextLong(chunks) : 0);
        }
    }

    /**
     * A pool of locally administered unicast MAC addresses, validated as {@link MacPool#ofRange} does.
     *
     * @param store where the bitmaps live
     * @param keyPrefix the prefix of the chunk records, e.g. {@code iov/pools/mac/}; the same on every node
     * @param first the lowest address
     * @param last the highest address
     * @param selection where each instance looks first
     * @return the pool
     * @throws IllegalArgumentException when the range is invalid (the message names it) or the prefix is invalid
     */
    public static SharedAddressPool<MacAddress> macs(StateStore store, String keyPrefix, MacAddress first,
            MacAddress last, ChunkSelection selection) {
        MacPool checked = MacPool.ofRange(first, last);
        return new SharedAddressPool<>(store, keyPrefix, checked.name(), first.toLong(), last.toLong(),
                MacAddress::toLong, MacAddress::of, value -> MacAddress.of(value).toString(), selection);
    }

    /**
     * A pool of the default MAC range, {@link MacPool#DEFAULT_FIRST} to {@link MacPool#DEFAULT_LAST}, with
     * per-node chunks.
     *
     * @param store where the bitmaps live
     * @param keyPrefix the prefix of the chunk records; the same on every node
     * @return the pool
     */
    public static SharedAddressPool<MacAddress> macs(StateStore store, String keyPrefix) {
        return macs(store, keyPrefix, MacPool.DEFAULT_FIRST, MacPool.DEFAULT_LAST, ChunkSelection.PER_NODE);
    }

    /**
     * A pool of InfiniBand port GUIDs, validated as {@link GuidPool#ofRange} does.
     *
     * @param store where the bitmaps live
     * @param keyPrefix the prefix of the chunk records; the same on every node
     * @param first the lowest GUID
     * @param last the highest GUID
     * @param selection where each instance looks first
     * @return the pool
     * @throws IllegalArgumentException when the range is invalid
     */
    public static SharedAddressPool<Guid> guids(StateStore store, String keyPrefix, Guid first, Guid last,
            ChunkSelection selection) {
        GuidPool checked = GuidPool.ofRange(first, last);
        checkSpan(checked.name(), first.toLong(), last.toLong());
        return new SharedAddressPool<>(store, keyPrefix, checked.name(), first.toLong(), last.toLong(),
                Guid::toLong, Guid::of, value -> Guid.of(value).toString(), selection);
    }

    /**
     * A pool of VLAN IDs, for networks created with a segment chosen by the fabric.
     *
     * @param store where the bitmaps live
     * @param keyPrefix the prefix of the chunk records; the same on every node
     * @param first the lowest VLAN
     * @param last the highest VLAN
     * @return the pool; VLANs are allocated rarely, so every instance fills from the first
     * @throws IllegalArgumentException when {@code last} is below {@code first}
     */
    public static SharedAddressPool<VlanId> vlans(StateStore store, String keyPrefix, VlanId first, VlanId last) {
        VlanPool checked = VlanPool.ofRange(first, last);
        return new SharedAddressPool<>(store, keyPrefix, checked.name(), first.value(), last.value(),
                vlan -> vlan.value(), value -> VlanId.of((int) value), Long::toString, ChunkSelection.FIRST_FIT);
    }

    /**
     * A pool of slots numbered 0 to {@code size - 1}, such as the virtual functions of one physical function
     * shared by the nodes that may place vNICs on it.
     *
     * @param store where the bitmaps live
     * @param keyPrefix the prefix of the chunk records; the same on every node
     * @param kind what the slots are, e.g. {@code VFs of 0000:3b:00.0}
     * @param size how many slots, at least 1
     * @return the pool
     * @throws IllegalArgumentException when {@code size} is below 1
     */
    public static SharedAddressPool<Integer> slots(StateStore store, String keyPrefix, String kind, int size) {
        SlotPool checked = SlotPool.ofSize(kind, size);
        return new SharedAddressPool<>(store, keyPrefix, checked.name(), 0, size - 1L, Integer::longValue,
                value -> (int) value, Long::toString, ChunkSelection.FIRST_FIT);
    }

    private static void checkSpan(String name, long first, long last) {
        if (last - first + 1 <= 0) {
            throw new IllegalArgumentException(name + " holds more than " + Long.MAX_VALUE + " values");
        }
    }

    @Override
    public T allocate() {
        Lane lane = lanes[(int) (Thread.currentThread().getId() % lanes.length)];
        synchronized (lane) {
            long start = lane.preferredChunk;
            for (long step = 0; step < chunks; step++) {
                long chunk = (start + step) % chunks;
                long value = allocateIn(chunk);
                if (value >= 0) {
                    lane.preferredChunk = chunk;
                    return fromLong.apply(first + value);
                }
            }
        }
        throw new PoolExhaustedException(name, capacity);
    }

    /**
     * Chooses a clear bit and hands its chunk's new bitmap, as a compare-and-set step, to the caller's transaction:
     * one round trip for the caller's records and the pool together. A transaction that conflicts on the chunk is
     * tried again with a fresh choice.
     */
    @Override
    public <R> R allocateWith(BiFunction<T, List<StoreOp>, R> transaction) {
        Lane lane = lanes[(int) (Thread.currentThread().getId() % lanes.length)];
        synchronized (lane) {
            long start = lane.preferredChunk;
            for (long step = 0; step < chunks; step++) {
                long chunk = (start + step) % chunks;
                String key = chunkKey(chunk);
                int bits = bitsIn(chunk);
                while (true) {
                    Optional<VersionedValue> record = store.get(key);
                    byte[] bitmap = bitmapOf(key, record, bits);
                    int bit = firstClearBit(bitmap, bits);
                    if (bit < 0) {
                        break;
                    }
                    bitmap[bit >>> 3] |= (byte) (1 << (bit & 7));
                    T value = fromLong.apply(first + chunk * CHUNK_BITS + bit);
                    StoreOp take = new StoreOp.Put(key, bitmap, record.map(VersionedValue::version)
                            .orElse(StateStore.ABSENT));
                    try {
                        R result = transaction.apply(value, List.of(take));
                        lane.preferredChunk = chunk;
                        return result;
                    } catch (VersionConflictException e) {
                        if (!e.key().equals(key)) {
                            throw e;
                        }
                        // Another node (or thread) wrote this chunk since we read it; choose again.
                    }
                }
            }
        }
        throw new PoolExhaustedException(name, capacity);
    }

    /** Sets a clear bit of one chunk, or returns -1 when it has none; retries lost compare-and-sets. */
    private long allocateIn(long chunk) {
        String key = chunkKey(chunk);
        int bits = bitsIn(chunk);
        while (true) {
            Optional<VersionedValue> record = store.get(key);
            byte[] bitmap = bitmapOf(key, record, bits);
            int bit = firstClearBit(bitmap, bits);
            if (bit < 0) {
                return -1;
            }
            bitmap[bit >>> 3] |= (byte) (1 << (bit & 7));
            try {
                store.put(key, bitmap, record.map(VersionedValue::version).orElse(StateStore.ABSENT));
                return chunk * CHUNK_BITS + bit;
            } catch (VersionConflictException e) {
                // Another node (or thread) wrote this chunk since we read it; read it again.
            }
        }
    }

    @Override
    public void reserve(T value) {
        if (!setBit(offsetOf(value))) {
            throw new AddressInUseException(name, format.apply(toLong.applyAsLong(value)));
        }
    }

    /**
     * Takes a value a stored record holds. The node that wrote the record allocated the value in this shared
     * pool already, so finding it allocated is the normal case; a value found free (state carried over from another
     * store) is taken.
     *
     * @param value the value a stored record holds
     * @throws IllegalArgumentException when the value is outside this pool's range
     */
    @Override
    public void adopt(T value) {
        setBit(offsetOf(value));
    }

    @Override
    public boolean release(T value) {
        long raw = toLong.applyAsLong(value);
        if (!containsLong(raw)) {
            return false;
        }
        long offset = raw - first;
        String key = chunkKey(offset / CHUNK_BITS);
        int bit = (int) (offset % CHUNK_BITS);
        while (true) {
            Optional<VersionedValue> record = store.get(key);
            if (record.isEmpty()) {
                try {
                    // Confirms the chunk does not exist (it may, unseen yet); creates it all clear if so.
                    store.put(key, new byte[(bitsIn(offset / CHUNK_BITS) + 7) / 8], StateStore.ABSENT);
                    return false;
                } catch (VersionConflictException e) {
                    continue;
                }
            }
            if (!isSet(bitmapOf(key, record, bitsIn(offset / CHUNK_BITS)), bit)) {
                if (isCurrent(key, record.get())) {
                    return false;
                }
                continue;
            }
            byte[] bitmap = bitmapOf(key, record, bitsIn(offset / CHUNK_BITS));
            bitmap[bit >>> 3] &= (byte) ~(1 << (bit & 7));
            try {
                store.put(key, bitmap, record.get().version());
                return true;
            } catch (VersionConflictException e) {
                // Changed since read; read again.
            }
        }
    }

    @Override
    public boolean contains(T value) {
        return containsLong(toLong.applyAsLong(value));
    }

    /** @return true: the pool's bitmap is in ZooKeeper, shared by every node */
    @Override
    public boolean isShared() {
        return true;
    }

    @Override
    public boolean isAllocated(T value) {
        long raw = toLong.applyAsLong(value);
        if (!containsLong(raw)) {
            return false;
        }
        long offset = raw - first;
        return store.get(chunkKey(offset / CHUNK_BITS))
                .map(record -> isSet(record.value(), (int) (offset % CHUNK_BITS)))
                .orElse(false);
    }

    @Override
    public long capacity() {
        return capacity;
    }

    /** @return the free values, counted over every chunk record */
    @Override
    public long available() {
        long allocated = 0;
        for (VersionedValue chunk : store.list(keyPrefix).values()) {
            for (byte b : chunk.value()) {
                allocated += Integer.bitCount(b & 0xff);
            }
        }
        return capacity - allocated;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return {@link #name()} */
    @Override
    public String toString() {
        return name;
    }

    // ------------------------------------------------------------------------------------------- internals

    private boolean containsLong(long raw) {
        long offset = raw - first;
        return offset >= 0 && offset < capacity;
    }

    private long offsetOf(T value) {
        long raw = toLong.applyAsLong(Objects.requireNonNull(value, "value"));
        if (!containsLong(raw)) {
            throw new IllegalArgumentException(format.apply(raw) + " is outside " + name);
        }
        return raw - first;
    }

    /**
     * Sets the bit of one value by compare-and-set.
     *
     * @return true when this call set it, false when it was set already
     */
    private boolean setBit(long offset) {
        long chunk = offset / CHUNK_BITS;
        int bit = (int) (offset % CHUNK_BITS);
        String key = chunkKey(chunk);
        while (true) {
            Optional<VersionedValue> record = store.get(key);
            byte[] bitmap = bitmapOf(key, record, bitsIn(chunk));
            if (isSet(bitmap, bit)) {
                if (isCurrent(key, record.get())) {
                    return false;
                }
                continue;
            }
            bitmap[bit >>> 3] |= (byte) (1 << (bit & 7));
            try {
                store.put(key, bitmap, record.map(VersionedValue::version).orElse(StateStore.ABSENT));
                return true;
            } catch (VersionConflictException e) {
                // Changed since read; read again.
            }
        }
    }

    /**
     * Confirms that a chunk as read is the chunk as stored, before a "no" is answered from it: a store may serve
     * reads from a local replica that is a notification behind another node's change (a value just released
     * elsewhere would look taken). Writing the same bitmap back with the version read succeeds only if nothing
     * changed; a conflict means the store has re-read the chunk, and the caller reads it again.
     */
    private boolean isCurrent(String key, VersionedValue record) {
        try {
            store.put(key, record.value(), record.version());
            return true;
        } catch (VersionConflictException e) {
            return false;
        }
    }

    /** The chunk's bitmap, all clear when the record does not exist; a record of the wrong size is refused. */
    private byte[] bitmapOf(String key, Optional<VersionedValue> record, int bits) {
        int size = (bits + 7) / 8;
        if (record.isEmpty()) {
            return new byte[size];
        }
        byte[] bitmap = record.get().value();
        if (bitmap.length != size) {
            throw new dev.iov.api.store.StoreException(name + ": chunk record '" + key + "' holds " + bitmap.length
                    + " bytes, not the " + size + " of its bitmap; is another pool using the key prefix '"
                    + keyPrefix + "' with a different range?");
        }
        return bitmap;
    }

    private int bitsIn(long chunk) {
        return (int) Math.min(CHUNK_BITS, capacity - chunk * CHUNK_BITS);
    }

    private String chunkKey(long chunk) {
        return keyPrefix + chunk;
    }

    private static boolean isSet(byte[] bitmap, int bit) {
        return (bitmap[bit >>> 3] & (1 << (bit & 7))) != 0;
    }

    private static int firstClearBit(byte[] bitmap, int bits) {
        for (int i = 0; i < bitmap.length; i++) {
            if (bitmap[i] != (byte) 0xff) {
                int bit = i * 8 + Integer.numberOfTrailingZeros(~bitmap[i] & 0xff);
                return bit < bits ? bit : -1;
            }
        }
        return -1;
    }
}
