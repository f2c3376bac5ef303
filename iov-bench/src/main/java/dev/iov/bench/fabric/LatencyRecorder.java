package dev.iov.bench.fabric;

import java.util.Arrays;

/**
 * One latency per operation, kept exactly (not bucketed): operation {@code i} writes slot {@code i}, so concurrent
 * clients never share a slot and need no lock. The recorder is sized before the run, so recording allocates nothing.
 */
public final class LatencyRecorder {
    private final long[] nanos;

    /** @param operations how many operations will be recorded */
    LatencyRecorder(int operations) {
        this.nanos = new long[operations];
    }

    /**
     * @param operation the operation's index, 0 to operations-1
     * @param elapsedNanos how long it took
     */
    void record(int operation, long elapsedNanos) {
        nanos[operation] = elapsedNanos;
    }

    /** @return how many operations the recorder holds */
    int size() {
        return nanos.length;
    }

    /**
     * @param from the first operation, inclusive
     * @param to the last operation, exclusive
     * @return the latencies of operations {@code from} to {@code to - 1}, sorted
     */
    long[] sortedRange(int from, int to) {
        long[] copy = Arrays.copyOfRange(nanos, from, to);
        Arrays.sort(copy);
        return copy;
    }

    /** @return the latencies sorted, for {@link #percentile} */
    long[] sorted() {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return copy;
    }

    /**
     * The nearest-rank percentile of sorted latencies.
     *
     * @param sorted latencies in ascending order, at least one
     * @param percent 0 to 100
     * @return the smallest latency that at least {@code percent} % of the operations did not exceed
     */
    public static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no latencies recorded");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile must be 0-100, got " + percent);
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** @return the mean latency in nanoseconds */
    static double mean(long[] values) {
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
