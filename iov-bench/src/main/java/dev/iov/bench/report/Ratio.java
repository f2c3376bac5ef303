package dev.iov.bench.report;

/**
 * How many times better iov is than a peer on the same benchmark: the peer's time over iov's for time per
 * operation, iov's rate over the peer's for rates. Above 1 means iov is faster.
 */
public final class Ratio {
    private Ratio() {
    }

    /**
     * @param iov iov's figure
     * @param peer the peer's figure
     * @return the speed-up of iov over the peer; NaN when either is not a positive number
     * @throws ReportException when the units differ
     */
    public static double speedup(Metric iov, Metric peer) {
        if (!iov.unit().equals(peer.unit())) {
            throw new ReportException("cannot compare " + iov.unit() + " with " + peer.unit());
        }
        if (!(iov.score() > 0) || !(peer.score() > 0)) {
            return Double.NaN;
        }
        return iov.lowerIsBetter() ? peer.score() / iov.score() : iov.score() / peer.score();
    }

    /**
     * How much a cost grew from a small size to a large one.
     *
     * @param small the cost at the small size
     * @param large the cost at the large size
     * @return large / small; NaN when either is not a positive number
     */
    public static double growth(double small, double large) {
        return small > 0 && large > 0 ? large / small : Double.NaN;
    }
}
