package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.net.Bandwidth;

/**
 * One uplink's share of the oversubscription report.
 *
 * @param host the host
 * @param uplink the uplink's name
 * @param speed its link speed
 * @param vnics how many vNICs use it
 * @param guaranteed the sum of their min-rates
 * @param limit the sum of their max-rates, a vNIC without a limit counting as the full link speed
 * @param status how that compares with the speed and the policy
 */
public record UplinkLoad(
        HostId host, String uplink, Bandwidth speed, int vnics, Bandwidth guaranteed, Bandwidth limit,
        Status status) {

    /** How loaded an uplink is. */
    public enum Status {
        /** Both sums within the link speed. */
        OK,
        /** The limit sum exceeds the link speed, within what the policy allows. */
        OVERSUBSCRIBED,
        /** A sum exceeds what the policy allows (admitted under a warning policy, or the policy was tightened). */
        OVER_POLICY
    }

    /** @return the guaranteed sum as a fraction of the link speed */
    public double guaranteedRatio() {
        return (double) guaranteed.bitsPerSecond() / speed.bitsPerSecond();
    }

    /** @return the limit sum as a fraction of the link speed (the oversubscription ratio) */
    public double limitRatio() {
        return (double) limit.bitsPerSecond() / speed.bitsPerSecond();
    }
}
