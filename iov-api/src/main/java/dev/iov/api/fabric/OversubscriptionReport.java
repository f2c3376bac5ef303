package dev.iov.api.fabric;

import java.util.List;
import java.util.Locale;

/**
 * Per-uplink load: how much of each link's speed the vNICs on it are guaranteed and may use.
 *
 * @param policy the policy in force
 * @param uplinks one entry per uplink of every host, in host then uplink order
 */
public record OversubscriptionReport(OversubscriptionPolicy policy, List<UplinkLoad> uplinks) {

    /**
     * @param policy the policy in force
     * @param uplinks one entry per uplink
     */
    public OversubscriptionReport {
        uplinks = List.copyOf(uplinks);
    }

    /** @return the uplinks whose status is not {@link UplinkLoad.Status#OK} */
    public List<UplinkLoad> problems() {
        return uplinks.stream().filter(u -> u.status() != UplinkLoad.Status.OK).toList();
    }

    /** @return a table a person can read, one line per uplink */
    public String toText() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-12s %-12s %12s %5s %12s %7s %12s %7s  %s%n",
                "HOST", "UPLINK", "SPEED", "VNICS", "GUARANTEED", "RATIO", "LIMITS", "RATIO", "STATUS"));
        for (UplinkLoad u : uplinks) {
            out.append(String.format(Locale.ROOT, "%-12s %-12s %12s %5d %12s %6.2fx %12s %6.2fx  %s%n",
                    u.host(), u.uplink(), u.speed(), u.vnics(), u.guaranteed(), u.guaranteedRatio(), u.limit(),
                    u.limitRatio(), u.status()));
        }
        out.append(String.format(Locale.ROOT, "policy: %s up to %.2fx%n",
                policy.enforce() ? "refuse" : "warn", policy.maxRatio()));
        return out.toString();
    }
}
