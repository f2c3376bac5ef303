package dev.iov.api.fabric;

/**
 * How far admission control lets the vNICs of one uplink exceed its speed.
 *
 * <p>Two sums are checked per uplink. The <em>guaranteed</em> sum (vNIC min-rates) may never exceed the link speed
 * under an enforcing policy, since a guarantee the link cannot carry is no guarantee. The <em>limit</em> sum (vNIC
 * max-rates, where a vNIC without a limit counts as the full link speed) may exceed it by {@link #maxRatio()}: that
 * is deliberate oversubscription, and the ratio makes it a decision rather than an accident.
 *
 * @param maxRatio how many times the link speed the limit sum may reach, 1.0 or more
 * @param enforce true to refuse vNICs over the ratio; false to admit them and report a warning
 */
public record OversubscriptionPolicy(double maxRatio, boolean enforce) {

    /**
     * @param maxRatio how many times the link speed the limit sum may reach
     * @param enforce whether to refuse vNICs over it
     * @throws IllegalArgumentException when the ratio is below 1 or not finite
     */
    public OversubscriptionPolicy {
        if (!(maxRatio >= 1.0) || Double.isInfinite(maxRatio)) {
            throw new IllegalArgumentException("oversubscription ratio must be a finite number >= 1.0, got "
                    + maxRatio);
        }
    }

    /** @return a policy that refuses any vNIC that would take an uplink past its speed */
    public static OversubscriptionPolicy reject() {
        return new OversubscriptionPolicy(1.0, true);
    }

    /**
     * @param ratio how many times the link speed the limit sum may reach ({@code 4.0} for 4:1)
     * @return a policy that refuses vNICs beyond that ratio
     */
    public static OversubscriptionPolicy allowUpTo(double ratio) {
        return new OversubscriptionPolicy(ratio, true);
    }

    /** @return a policy that admits everything and reports uplinks past their speed as warnings */
    public static OversubscriptionPolicy warn() {
        return new OversubscriptionPolicy(1.0, false);
    }
}
