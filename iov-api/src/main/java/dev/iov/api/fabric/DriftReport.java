package dev.iov.api.fabric;

import java.time.Instant;
import java.util.List;

/**
 * What the hosts have that the declared model does not say, and the reverse.
 *
 * @param time when the hosts were inspected
 * @param hostsChecked how many hosts were inspected
 * @param drifts the differences, by host
 */
public record DriftReport(Instant time, int hostsChecked, List<Drift> drifts) {

    /**
     * @param time when the hosts were inspected
     * @param hostsChecked how many hosts were inspected
     * @param drifts the differences
     */
    public DriftReport {
        drifts = List.copyOf(drifts);
    }

    /** @return true when every host matches the model */
    public boolean isClean() {
        return drifts.isEmpty();
    }

    /** @return the report as lines a person can read */
    public String toText() {
        if (drifts.isEmpty()) {
            return "no drift on " + hostsChecked + " host(s)\n";
        }
        StringBuilder out = new StringBuilder(drifts.size() + " difference(s) on " + hostsChecked + " host(s):\n");
        drifts.forEach(d -> out.append("  ").append(d.toText()).append('\n'));
        return out.toString();
    }
}
