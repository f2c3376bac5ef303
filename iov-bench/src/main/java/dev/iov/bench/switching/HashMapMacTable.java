package dev.iov.bench.switching;

import dev.iov.ethernet.switching.LearnResult;
import java.util.HashMap;

/** The JDK baseline: {@code HashMap<Long, PortAndTime>}, presized so it never resizes; each call boxes its key. */
final class HashMapMacTable implements MacTable {
    private final HashMap<Long, PortAndTime> map;

    HashMapMacTable(int entries) {
        map = new HashMap<>(entries * 2);
    }

    @Override
    public LearnResult learn(int vlan, long mac, int port, long now) {
        Long key = MacTable.key(vlan, mac);
        PortAndTime entry = map.get(key);
        if (entry == null) {
            map.put(key, new PortAndTime(port, now));
            return LearnResult.NEW;
        }
        return entry.learn(port, now);
    }

    @Override
    public int lookup(int vlan, long mac, long now) {
        PortAndTime entry = map.get(MacTable.key(vlan, mac));
        return entry == null ? -1 : entry.portAt(now);
    }
}
