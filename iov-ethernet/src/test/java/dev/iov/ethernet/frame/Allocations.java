package dev.iov.ethernet.frame;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/**
 * Measures the bytes the current thread allocates, through HotSpot's per-thread allocation counter (exact, not
 * sampled). A cheap stand-in for JMH's {@code -prof gc} in unit tests: run the hot loop after warm-up and check
 * that the count does not grow with the number of frames.
 */
public final class Allocations {

    /** A loop body that may throw a checked exception (a pcap write). */
    @FunctionalInterface
    public interface Body {
        /** Runs the loop being measured. */
        void run() throws Exception;
    }

    private Allocations() {
    }

    /**
     * Runs {@code body} once to warm up, then again while counting.
     *
     * @return the bytes the current thread allocated during the second run
     */
    public static long measure(Body body) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counter unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        long id = Thread.currentThread().getId();
        body.run();
        threads.getThreadAllocatedBytes(id);
        long before = threads.getThreadAllocatedBytes(id);
        body.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
