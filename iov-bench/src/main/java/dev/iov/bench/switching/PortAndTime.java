package dev.iov.bench.switching;

import dev.iov.ethernet.switching.LearnResult;

/** The mutable value the {@code HashMap} peer keeps per key, so a refresh writes a field instead of allocating. */
final class PortAndTime {
    int port;
    long seen;

    PortAndTime(int port, long seen) {
        this.port = port;
        this.seen = seen;
    }

    /** Applies a learn to an existing entry, with the same outcomes as the iov table. */
    LearnResult learn(int port, long now) {
        long last = seen;
        seen = now;
        if (now - last >= MacTable.AGING_NANOS) {
            this.port = port;
            return LearnResult.NEW;
        }
        if (this.port == port) {
            return LearnResult.REFRESHED;
        }
        this.port = port;
        return LearnResult.MOVED;
    }

    /** @return the port while the entry is live, else -1 */
    int portAt(long now) {
        return now - seen < MacTable.AGING_NANOS ? port : -1;
    }
}
