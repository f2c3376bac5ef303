package dev.iov.api.fabric;

import java.util.List;
import java.util.Objects;

/**
 * What a fabric found in its state store when it was built (and when hosts were added since): how many recorded
 * ports their backends re-adopted, which they could not find, and what became of operations a previous run of this
 * management node left half done.
 *
 * @param adopted how many recorded attachments their backends found on their hosts and took back
 * @param missing recorded attachments not on their host ({@link Drift.Kind#MISSING}); {@link Fabric#repair}
 *     re-creates them, or release the vNIC
 * @param resolved interrupted operations finished or undone, in words
 * @param unresolved interrupted operations still waiting (their host is not in the fabric, or it failed again), in
 *     words; their vNICs are busy until {@link Fabric#repair} resolves them
 */
public record RecoveryReport(int adopted, List<Drift> missing, List<String> resolved, List<String> unresolved) {

    /** The report of a fabric that found nothing to recover. */
    public static final RecoveryReport EMPTY = new RecoveryReport(0, List.of(), List.of(), List.of());

    /**
     * @param adopted adopted attachments
     * @param missing missing attachments
     * @param resolved resolved operations
     * @param unresolved waiting operations
     */
    public RecoveryReport {
        if (adopted < 0) {
            throw new IllegalArgumentException("adopted " + adopted);
        }
        missing = List.copyOf(Objects.requireNonNull(missing, "missing"));
        resolved = List.copyOf(Objects.requireNonNull(resolved, "resolved"));
        unresolved = List.copyOf(Objects.requireNonNull(unresolved, "unresolved"));
    }

    /** @return true when every recorded port was found and nothing was left half done */
    public boolean isClean() {
        return missing.isEmpty() && unresolved.isEmpty();
    }

    RecoveryReport plus(RecoveryReport other) {
        return new RecoveryReport(adopted + other.adopted, concat(missing, other.missing),
                concat(resolved, other.resolved), other.unresolved);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
