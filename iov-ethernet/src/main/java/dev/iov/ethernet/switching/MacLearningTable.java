package dev.iov.ethernet.switching;

/**
 * The MAC learning table (forwarding database) of one switch: which port each (VLAN, MAC) was last seen on, with the
 * aging, size limit and fair eviction users know from Open vSwitch.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>An entry last seen at {@code t} is live while {@code now - t < agingNanos} and expired from
 *       {@code t + agingNanos} on (as OVS: expired once {@code now >= expires}). {@link #lookup} never returns an
 *       expired entry and {@link #learn} treats one as unknown ({@link LearnResult#NEW}, not a move). Expired entries
 *       keep their slot, and count in {@link #size()} and {@link #entries(int)}, until {@link #age} or
 *       {@link #ageSome} reclaims them. Times are any {@code long} nanosecond clock ({@link System#nanoTime()} in the
 *       switch) and are only ever subtracted, so the clock's origin and its overflow do not matter.
 *   <li>At most {@link #limit()} entries. Learning a new address in a full table first evicts one entry of the port
 *       holding the most entries, the lowest-numbered such port on a tie, so a port flooding random source MACs
 *       evicts its own entries rather than its neighbours'. Within that port the victim is its least recently learned
 *       entry that was not refreshed since it was queued, with a second chance for refreshed ones (CLOCK): an entry that
 *       is refreshed goes to the back of its port's queue instead of being evicted, so a busy VM's address survives a
 *       flood from its own port. Each second chance is paid for by a refresh, so eviction is O(1) amortised.
 *   <li>Per-port counts are exact; the heaviest port is tracked by {@code PortLoad} in O(log ports) per count change.
 * </ul>
 *
 * <h2>Key packing</h2>
 * A (VLAN, MAC) is one {@code long}: bits 59..48 the 12-bit VLAN ID, bits 47..0 the MAC as
 * {@link dev.iov.api.net.MacAddress#toLong()}; bits 63..60 are zero. An empty slot holds {@code -1}, which no key can
 * equal, so the same word tells "empty" and "match" apart in one compare.
 *
 * <h2>Why it is built this way</h2>
 * The switch learns the source of, and looks up the destination of, every frame, so both must cost a few nanoseconds
 * and allocate nothing. The table is open addressing with linear probing over primitive arrays: an entry is a few
 * machine words with no object header, no pointer to chase and no boxing. A key and its last-seen time sit side by
 * side in one {@code long[]} (16 bytes a slot, four slots to a 64-byte cache line), so the probe that finds the key has
 * already brought in the time that the aging test reads and the refresh writes: a hit costs one cache line of the big
 * array, and a collision usually continues in the same line. The port is a 16-bit {@code char} column, an eighth of
 * that array's size, which stays in a near cache at the default size. (Three parallel arrays for key, time and port
 * touch three lines per hit and measured slower in {@code MacTableBench}.) The capacity is a power of two at least
 * twice the limit, so the load factor stays at or below one half and probe sequences stay short; the home slot is the
 * top bits of the key times the 64-bit golden ratio (Fibonacci hashing), one multiply that spreads sequential MACs,
 * common among VMs, across the table. Deletion shifts the following entries of the cluster back instead of leaving
 * tombstones, so aging and flushing never lengthen later probes and no rehash is ever needed. The per-port queues and
 * counts that fair eviction needs live in separate arrays that only new entries, moves and removals touch, out of the
 * cache lines the per-frame paths use. Aging runs as a clock hand over the slots ({@link #ageSome}) with a
 * caller-chosen budget, so no single call in the forwarding loop scans the whole table.
 *
 * <h2>Threading</h2>
 * Single writer and no locks: every method, reads included, must be called from the one thread that owns the switch
 * instance (its forwarding thread). Management operations such as flushes or listings are handed to that thread, not
 * called from another one. Nothing is allocated after construction.
 */
public final class MacLearningTable {
    /** Entries a table holds unless configured otherwise (OVS {@code mac-table-size} default). */
    public static final int DEFAULT_LIMIT = 8192;
    /** The largest configurable limit; at 34 bytes a slot and two slots an entry, about 70 MB. */
    public static final int MAX_LIMIT = 1 << 20;
    /** The largest configurable number of ports (a port index is stored in 16 bits). */
    public static final int MAX_PORTS = 1 << 16;
    /** Aging time unless configured otherwise (OVS {@code mac-aging-time} default). */
    public static final int DEFAULT_AGING_SECONDS = 300;
    /** Shortest configurable aging time, as in OVS. */
    public static final int MIN_AGING_SECONDS = 15;
    /** Longest configurable aging time, as in OVS. */
    public static final int MAX_AGING_SECONDS = 3600;
    /** What {@link #lookup} returns for an unknown or expired address. */
    public static final int NO_PORT = -1;

    private static final long EMPTY = -1L;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;
    private static final int VLAN_SHIFT = 48;
    private static final long MAC_MASK = (1L << VLAN_SHIFT) - 1;
    private static final int NIL = PortQueues.NIL;

    private final int portCount;
    private final int limit;
    private final long agingNanos;
    /** 64 minus log2(capacity): the home slot is the top bits of the hashed key. */
    private final int shift;
    private final int mask;

    /** Two words per slot: the packed key at {@code 2 * slot}, its last-seen time at {@code 2 * slot + 1}. */
    private final long[] slots;
    /** The port of each slot, 16 bits, so the whole column is small enough to stay in a near cache. */
    private final char[] ports;
    /** The last-seen time when the entry was last queued on its port; a later last-seen time means "refreshed". */
    private final long[] queuedAt;

    private final PortLoad load;
    private final PortQueues queues;

    private int size;
    private int hand;
    private long moves;
    private long evictions;

    /**
     * Creates a table with the default limit ({@value #DEFAULT_LIMIT}) and aging time ({@value #DEFAULT_AGING_SECONDS}
     * s).
     *
     * @param portCount the number of ports; ports are numbered 0 to {@code portCount - 1}
     * @throws IllegalArgumentException when {@code portCount} is outside 1 to {@value #MAX_PORTS}
     */
    public MacLearningTable(int portCount) {
        this(portCount, DEFAULT_LIMIT, DEFAULT_AGING_SECONDS);
    }

    /**
     * Creates a table; all of its memory is allocated here.
     *
     * @param portCount the number of ports; ports are numbered 0 to {@code portCount - 1}
     * @param limit the most entries the table holds, 1 to {@value #MAX_LIMIT}
     * @param agingSeconds how long an entry lives without being seen, {@value #MIN_AGING_SECONDS} to
     *     {@value #MAX_AGING_SECONDS}
     * @throws IllegalArgumentException naming the value, when any argument is out of its range
     */
    public MacLearningTable(int portCount, int limit, int agingSeconds) {
        if (portCount < 1 || portCount > MAX_PORTS) {
            throw new IllegalArgumentException("port count " + portCount + " is out of range 1-" + MAX_PORTS);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("MAC table limit " + limit + " is out of range 1-" + MAX_LIMIT);
        }
        if (agingSeconds < MIN_AGING_SECONDS || agingSeconds > MAX_AGING_SECONDS) {
            throw new IllegalArgumentException("MAC aging time " + agingSeconds + " s is out of range "
                    + MIN_AGING_SECONDS + "-" + MAX_AGING_SECONDS + " s");
        }
        this.portCount = portCount;
        this.limit = limit;
        this.agingNanos = agingSeconds * 1_000_000_000L;
        int capacity = Integer.highestOneBit(2 * limit - 1) << 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
        this.mask = capacity - 1;
        this.slots = new long[2 * capacity];
        this.ports = new char[capacity];
        this.queuedAt = new long[capacity];
        this.load = new PortLoad(portCount);
        this.queues = new PortQueues(portCount, capacity);
        clearKeys();
    }

    /**
     * Learns that a source address was seen on a port: the per-frame write of the switch.
     *
     * @param vlan the 12-bit VLAN ID, 0 to 4095
     * @param mac the 48-bit source MAC
     * @param port the ingress port, 0 to {@code portCount - 1}
     * @param now the current time in nanoseconds, usually one reading per batch of frames
     * @return {@link LearnResult#REFRESHED} in the common case; {@link LearnResult#NEW} or {@link LearnResult#MOVED}
     *     when forwarding changes; {@link LearnResult#REJECTED} only if the table were full with nothing to evict
     * @throws IllegalArgumentException when the VLAN, MAC or port is out of range
     */
    public LearnResult learn(int vlan, long mac, int port, long now) {
        long key = pack(vlan, mac);
        if (Integer.compareUnsigned(port, portCount) >= 0) {
            throw badPort(port);
        }
        long[] slots = this.slots;
        int slot = home(key);
        long k;
        while ((k = slots[slot << 1]) != key) {
            if (k == EMPTY) {
                return insert(key, port, now);
            }
            slot = (slot + 1) & mask;
        }
        int time = (slot << 1) + 1;
        long last = slots[time];
        slots[time] = now;
        int oldPort = ports[slot];
        if (oldPort == port && now - last < agingNanos) {
            return LearnResult.REFRESHED;
        }
        return relearn(slot, oldPort, port, now - last >= agingNanos, now);
    }

    /**
     * Looks up the port of a destination address: the per-frame read of the switch.
     *
     * @param vlan the 12-bit VLAN ID, 0 to 4095
     * @param mac the 48-bit destination MAC
     * @param now the current time in nanoseconds
     * @return the port, or {@link #NO_PORT} when the address is unknown or its entry has expired
     * @throws IllegalArgumentException when the VLAN or MAC is out of range
     */
    public int lookup(int vlan, long mac, long now) {
        long key = pack(vlan, mac);
        long[] slots = this.slots;
        int slot = home(key);
        long k;
        while ((k = slots[slot << 1]) != key) {
            if (k == EMPTY) {
                return NO_PORT;
            }
            slot = (slot + 1) & mask;
        }
        return now - slots[(slot << 1) + 1] < agingNanos ? ports[slot] : NO_PORT;
    }

    /**
     * Advances the aging clock hand over at most {@code budget} slots, removing the expired entries it meets: the
     * incremental aging a switch calls once per batch. A slot whose entry is removed is looked at again (the next entry
     * of its cluster may have shifted into it), which also counts against the budget. Sweeping the capacity's worth of
     * slots with one {@code now} reclaims every entry expired at that {@code now}.
     *
     * @param now the current time in nanoseconds
     * @param budget the most slots to look at, 0 or more
     * @return the number of entries removed
     * @throws IllegalArgumentException when the budget is negative
     */
    public int ageSome(long now, int budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("aging budget " + budget + " is negative");
        }
        int slot = hand;
        int removed = 0;
        for (int step = 0; step < budget; step++) {
            if (isExpired(slot, now)) {
                remove(slot);
                removed++;
            } else {
                slot = (slot + 1) & mask;
            }
        }
        hand = slot;
        return removed;
    }

    /**
     * Removes every expired entry in one pass over all slots; for management and tests, not the forwarding loop.
     *
     * @param now the current time in nanoseconds
     * @return the number of entries removed
     */
    public int age(long now) {
        int removed = 0;
        // A removal pulls later entries of the cluster into the slot, so it is examined again before moving on.
        for (int slot = 0; slot <= mask; ) {
            if (isExpired(slot, now)) {
                remove(slot);
                removed++;
            } else {
                slot++;
            }
        }
        return removed;
    }

    /**
     * Forgets every entry learned on a port, as when the port is deleted or goes down. Costs O(entries of the port).
     *
     * @param port the port, 0 to {@code portCount - 1}
     * @return the number of entries removed
     * @throws IllegalArgumentException when the port is out of range
     */
    public int flushPort(int port) {
        if (Integer.compareUnsigned(port, portCount) >= 0) {
            throw badPort(port);
        }
        int removed = 0;
        int slot;
        while ((slot = queues.first(port)) != NIL) {
            remove(slot);
            removed++;
        }
        return removed;
    }

    /**
     * Forgets every entry of a VLAN, as when the VLAN is removed from the switch. Costs one pass over all slots.
     *
     * @param vlan the 12-bit VLAN ID, 0 to 4095
     * @return the number of entries removed
     * @throws IllegalArgumentException when the VLAN is out of range
     */
    public int flushVlan(int vlan) {
        long tag = pack(vlan, 0) >>> VLAN_SHIFT;
        int removed = 0;
        for (int slot = 0; slot <= mask; ) {
            long k = slots[slot << 1];
            if (k != EMPTY && k >>> VLAN_SHIFT == tag) {
                remove(slot);
                removed++;
            } else {
                slot++;
            }
        }
        return removed;
    }

    /** Forgets every entry ({@code ovs-appctl fdb/flush}). The move and eviction totals are kept. */
    public void flush() {
        clearKeys();
        load.clear();
        queues.clear();
        size = 0;
        hand = 0;
    }

    /**
     * Calls the visitor once per stored entry, in slot order, expired but not yet reclaimed entries included.
     *
     * @param visitor receives each entry; it must not change this table
     */
    public void forEach(MacEntryVisitor visitor) {
        for (int slot = 0; slot <= mask; slot++) {
            long k = slots[slot << 1];
            if (k != EMPTY) {
                visitor.visit((int) (k >>> VLAN_SHIFT), k & MAC_MASK, ports[slot], slots[(slot << 1) + 1]);
            }
        }
    }

    /** @return the number of stored entries, expired but not yet reclaimed ones included; never above the limit */
    public int size() {
        return size;
    }

    /**
     * @param port the port, 0 to {@code portCount - 1}
     * @return the number of stored entries learned on the port, expired but not yet reclaimed ones included
     * @throws IllegalArgumentException when the port is out of range
     */
    public int entries(int port) {
        if (Integer.compareUnsigned(port, portCount) >= 0) {
            throw badPort(port);
        }
        return load.count(port);
    }

    /** @return the most entries the table holds */
    public int limit() {
        return limit;
    }

    /** @return the number of ports, numbered from 0 */
    public int portCount() {
        return portCount;
    }

    /** @return the aging time in nanoseconds */
    public long agingNanos() {
        return agingNanos;
    }

    /**
     * @return the number of slots, a power of two at least twice the limit; each takes 34 bytes (key, time, port,
     *     eviction queue links and queue time), so the default table takes about 560 KB
     */
    public int capacity() {
        return mask + 1;
    }

    /** @return how many times a live address was learned on a port other than its own, since construction */
    public long moves() {
        return moves;
    }

    /** @return how many entries fair eviction removed to make room, since construction */
    public long evictions() {
        return evictions;
    }

    /** @return the home slot of a packed key: the top bits of its product with the golden ratio */
    int home(long key) {
        return (int) ((key * GOLDEN) >>> shift);
    }

    /** @return the packed key; see the class comment for the layout */
    static long pack(int vlan, long mac) {
        if (((vlan >>> 12) | (mac >>> VLAN_SHIFT)) != 0) {
            throw badKey(vlan, mac);
        }
        return (long) vlan << VLAN_SHIFT | mac;
    }

    /** The uncommon half of {@link #learn}: a known key that expired, moved, or both. */
    private LearnResult relearn(int slot, int oldPort, int port, boolean expired, long now) {
        queues.remove(oldPort, slot);
        if (oldPort != port) {
            load.decrement(oldPort);
            load.increment(port);
            ports[slot] = (char) port;
        }
        // Either way the entry is as good as newly learned, so it goes to the back of its port's queue.
        queuedAt[slot] = now;
        queues.addLast(port, slot);
        if (expired) {
            return LearnResult.NEW;
        }
        moves++;
        return LearnResult.MOVED;
    }

    private LearnResult insert(long key, int port, long now) {
        if (size >= limit && !evictOne(now)) {
            return LearnResult.REJECTED;
        }
        // Probe again: an eviction may have shifted entries back into the cluster the first probe ended in.
        int slot = home(key);
        while (slots[slot << 1] != EMPTY) {
            slot = (slot + 1) & mask;
        }
        slots[slot << 1] = key;
        slots[(slot << 1) + 1] = now;
        ports[slot] = (char) port;
        queuedAt[slot] = now;
        queues.addLast(port, slot);
        load.increment(port);
        size++;
        return LearnResult.NEW;
    }

    /** Removes one entry of the heaviest port, giving refreshed ones a second chance; false if there is none. */
    private boolean evictOne(long now) {
        int port = load.heaviest();
        if (load.count(port) == 0) {
            return false;
        }
        for (;;) {
            int slot = queues.first(port);
            long last = slots[(slot << 1) + 1];
            if (last == queuedAt[slot] || now - last >= agingNanos) {
                remove(slot);
                evictions++;
                return true;
            }
            queues.remove(port, slot);
            queuedAt[slot] = last;
            queues.addLast(port, slot);
        }
    }

    /** Removes the entry in a slot and closes the gap by shifting later entries of its cluster back. */
    private void remove(int slot) {
        int port = ports[slot];
        queues.remove(port, slot);
        load.decrement(port);
        size--;
        int hole = slot;
        int next = slot;
        for (;;) {
            next = (next + 1) & mask;
            long k = slots[next << 1];
            if (k == EMPTY) {
                break;
            }
            // The entry may fill the hole only if the hole lies cyclically between its home slot and where it is:
            // moved in front of its home, it would sit where no probe for it ever looks.
            if (((next - home(k)) & mask) >= ((next - hole) & mask)) {
                int p = ports[next];
                slots[hole << 1] = k;
                slots[(hole << 1) + 1] = slots[(next << 1) + 1];
                ports[hole] = (char) p;
                queuedAt[hole] = queuedAt[next];
                queues.relocate(p, next, hole);
                hole = next;
            }
        }
        slots[hole << 1] = EMPTY;
    }

    private boolean isExpired(int slot, long now) {
        return slots[slot << 1] != EMPTY && now - slots[(slot << 1) + 1] >= agingNanos;
    }

    private void clearKeys() {
        for (int slot = 0; slot <= mask; slot++) {
            slots[slot << 1] = EMPTY;
        }
    }

    private IllegalArgumentException badPort(int port) {
        return new IllegalArgumentException("port " + port + " is out of range 0-" + (portCount - 1));
    }

    private static IllegalArgumentException badKey(int vlan, long mac) {
        if ((vlan >>> 12) != 0) {
            return new IllegalArgumentException("VLAN " + vlan + " is out of range 0-4095");
        }
        return new IllegalArgumentException("MAC 0x" + Long.toHexString(mac) + " has more than 48 bits");
    }
}
