package dev.iov.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The outcome of checking a {@link Privileged} test against the host: run it, skip it, or fail it. Computed by
 * the pure function {@link #decide}, which is what the unit tests exercise; {@link PrivilegedCondition} only feeds
 * it facts read from the host.
 */
final class PrivilegedDecision {

    /** What to do with the test. */
    enum Outcome {
        /** Every requirement is met. */
        RUN,
        /** Something is missing and failures were not requested: report the test as skipped. */
        SKIP,
        /** Something is missing and {@code IOV_REQUIRE_PRIVILEGED_TESTS=1}: report the test as failed. */
        FAIL
    }

    private static final PrivilegedDecision RUN = new PrivilegedDecision(Outcome.RUN, "all privileged requirements met");

    private final Outcome outcome;
    private final String reason;

    private PrivilegedDecision(Outcome outcome, String reason) {
        this.outcome = outcome;
        this.reason = reason;
    }

    Outcome outcome() {
        return outcome;
    }

    /** A one-line, human-readable reason naming what is missing (or that nothing is). */
    String reason() {
        return reason;
    }

    /**
     * Decides what happens to a privileged test.
     *
     * @param effectiveUid the process's effective uid, empty when it could not be determined (treated as not root)
     * @param requireEnv the value of {@code IOV_REQUIRE_PRIVILEGED_TESTS}, or null when unset
     * @param missingTools required executables that are not on {@code PATH}, in declaration order
     * @param missingDevices required paths that do not exist, in declaration order
     * @return the decision; never null
     */
    static PrivilegedDecision decide(
            OptionalLong effectiveUid, String requireEnv, List<String> missingTools, List<String> missingDevices) {
        Objects.requireNonNull(effectiveUid, "effectiveUid");
        Objects.requireNonNull(missingTools, "missingTools");
        Objects.requireNonNull(missingDevices, "missingDevices");
        boolean root = effectiveUid.isPresent() && effectiveUid.getAsLong() == 0;
        if (root && missingTools.isEmpty() && missingDevices.isEmpty()) {
            return RUN;
        }
        // The same facts, phrased for a skip ("needs ...") and for a failure ("but not ...").
        List<String> needs = new ArrayList<>();
        List<String> lacks = new ArrayList<>();
        if (!root) {
            needs.add("root (" + describeUid(effectiveUid) + ")");
            lacks.add("not root (" + describeUid(effectiveUid) + ")");
        }
        for (String tool : missingTools) {
            needs.add("tool '" + tool + "' on PATH");
            lacks.add("tool '" + tool + "' not on PATH");
        }
        for (String device : missingDevices) {
            needs.add("device " + device);
            lacks.add("device " + device + " missing");
        }
        if (requiresPrivileged(requireEnv)) {
            return new PrivilegedDecision(Outcome.FAIL, "privileged test required by "
                    + PrivilegedCondition.REQUIRE_ENV + "=1 but " + String.join(", ", lacks));
        }
        return new PrivilegedDecision(Outcome.SKIP, "needs " + String.join(", ", needs) + "; set "
                + PrivilegedCondition.REQUIRE_ENV + "=1 to make this a failure");
    }

    /** True when the environment value asks for failures instead of skips: {@code 1} or {@code true}. */
    static boolean requiresPrivileged(String requireEnv) {
        if (requireEnv == null) {
            return false;
        }
        String value = requireEnv.trim();
        return value.equals("1") || value.equalsIgnoreCase("true");
    }

    private static String describeUid(OptionalLong uid) {
        return uid.isPresent() ? "uid " + uid.getAsLong() : "uid unknown";
    }

    @Override
    public String toString() {
        return outcome + ": " + reason;
    }
}
