package dev.iov.ethernet.switching;

/**
 * A token bucket with OVS {@code ingress_policing_rate} (kbit/s) and {@code ingress_policing_burst} (kbit) semantics:
 * the bucket holds at most the burst, fills at the rate, and a frame passes when the bucket holds its size in bits,
 * which it then takes out; otherwise the frame is dropped and takes nothing.
 *
 * <p>Tokens are kept in fixed point, bits times 10<sup>6</sup>, so refilling from a nanosecond clock is one exact
 * multiply ({@code elapsedNanos * rateKbps}: kbit/s is bits per 10<sup>6</sup> ns) with no division, no rounding
 * drift and no allocation. The elapsed time is capped at the time to fill the bucket, which keeps the product within
 * a {@code long}. Single-threaded, like the switch that owns it.
 */
final class IngressPolicer {
    private static final long SCALE = 1_000_000L;

    private final long rateKbps;
    private final long capacity;
    private final long fillNanos;
    private long tokens;
    private long last;
    private boolean started;

    IngressPolicer(int rateKbps, int burstKbit) {
        if (rateKbps <= 0 || burstKbit <= 0) {
            throw new IllegalArgumentException("policing needs a positive rate and burst");
        }
        this.rateKbps = rateKbps;
        this.capacity = burstKbit * 1000L * SCALE;
        this.fillNanos = capacity / rateKbps + 1;
    }

    /**
     * @param lengthBytes the frame's length
     * @param now the switch clock, nanoseconds
     * @return true when the frame conforms (and its bits were taken out of the bucket)
     */
    boolean admit(int lengthBytes, long now) {
        long t;
        if (!started) {
            started = true;
            t = capacity;
            last = now;
        } else {
            long elapsed = now - last;
            t = tokens;
            // A clock that stands still or steps back adds nothing and does not move the reference point.
            if (elapsed > 0) {
                t = elapsed >= fillNanos ? capacity : Math.min(capacity, t + elapsed * rateKbps);
                last = now;
            }
        }
        long cost = lengthBytes * 8L * SCALE;
        if (t >= cost) {
            tokens = t - cost;
            return true;
        }
        tokens = t;
        return false;
    }
}
