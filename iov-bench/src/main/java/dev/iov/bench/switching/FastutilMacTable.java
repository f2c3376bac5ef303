package dev.iov.bench.switching;

import dev.iov.ethernet.switching.LearnResult;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * fastutil's {@code Long2IntOpenHashMap} at iov's load factor of one half, from key to an index into dense parallel
 * port and time arrays. Of the two natural shapes this was the faster in a trial run (a {@code Long2ObjectOpenHashMap}
 * to a mutable entry object adds a dependent load per call), so it is the peer. Holds at most {@code entries} keys;
 * it has no limit or eviction because the benchmark never learns more.
 */
final class FastutilMacTable implements MacTable {
    private final Long2IntOpenHashMap index;
    private final int[] ports;
    private final long[] seen;
    private int used;

    FastutilMacTable(int entries) {
        index = new Long2IntOpenHashMap(entries, 0.5f);
        index.defaultReturnValue(-1);
        ports = new int[entries];
        seen = new long[entries];
    }

    @Override
    public LearnResult learn(int vlan, long mac, int port, long now) {
        long key = MacTable.key(vlan, mac);
        int i = index.get(key);
        if (i < 0) {
            i = used++;
            index.put(key, i);
            ports[i] = port;
            seen[i] = now;
            return LearnResult.NEW;
        }
        long last = seen[i];
        seen[i] = now;
        if (now - last >= AGING_NANOS) {
            ports[i] = port;
            return LearnResult.NEW;
        }
        if (ports[i] == port) {
            return LearnResult.REFRESHED;
        }
        ports[i] = port;
        return LearnResult.MOVED;
    }

    @Override
    public int lookup(int vlan, long mac, long now) {
        int i = index.get(MacTable.key(vlan, mac));
        return i >= 0 && now - seen[i] < AGING_NANOS ? ports[i] : -1;
    }
}
