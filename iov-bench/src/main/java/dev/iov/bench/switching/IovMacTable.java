package dev.iov.bench.switching;

import dev.iov.ethernet.switching.LearnResult;
import dev.iov.ethernet.switching.MacLearningTable;

/** iov's table behind the benchmark interface; a pure delegation that the JIT inlines away. */
final class IovMacTable implements MacTable {
    private final MacLearningTable table;

    IovMacTable(int entries, int ports) {
        table = new MacLearningTable(ports, entries, (int) (AGING_NANOS / 1_000_000_000L));
    }

    @Override
    public LearnResult learn(int vlan, long mac, int port, long now) {
        return table.learn(vlan, mac, port, now);
    }

    @Override
    public int lookup(int vlan, long mac, long now) {
        return table.lookup(vlan, mac, now);
    }
}
