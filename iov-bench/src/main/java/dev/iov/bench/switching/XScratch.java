package dev.iov.bench.switching;

import dev.iov.ethernet.switching.LearnResult;

final class XScratch {
    static final class Null implements MacTable {
        @Override
        public LearnResult learn(int vlan, long mac, int port, long now) {
            return ((MacTable.key(vlan, mac) ^ now ^ port) & 1) == 0 ? LearnResult.REFRESHED : LearnResult.MOVED;
        }

        @Override
        public int lookup(int vlan, long mac, long now) {
            return (int) ((MacTable.key(vlan, mac) ^ now) & 7);
        }
    }

    static final class X implements MacTable {
        private final XTable table;

        X(int entries, int ports) {
            table = new XTable(ports, entries, 300);
            try {
                java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
                Object[] holder = {table.rawSlots()};
                long oop = u.getInt(holder, (long) u.arrayBaseOffset(Object[].class)) & 0xFFFFFFFFL;
                long address = oop << 3;
                System.err.println("ALIGN slots data base mod 64 = " + ((address + 16) % 64));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
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
}
