package dev.iov.store.zookeeper;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link Ensemble} before a test class's tests and stops it after them: register it on a
 * {@code static} field with {@code @RegisterExtension}.
 *
 * <p>{@link #real()} needs the Debian {@code zookeeper} package. Without it the class is skipped with the reason,
 * or, when {@code IOV_REQUIRE_PRIVILEGED_TESTS=1} (CI), failed before any of its tests run, as {@code @Privileged}
 * tests are (see {@code dev.iov.testing.PrivilegedCondition}; that one also demands root, which real ZooKeeper
 * servers do not need).
 */
final class EnsembleExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    /** The environment variable that turns a missing requirement into a failure when {@code 1} or {@code true}. */
    static final String REQUIRE_ENV = "IOV_REQUIRE_PRIVILEGED_TESTS";

    private final String kind;
    private final Supplier<Optional<String>> unavailable;
    private final Function<Integer, Ensemble> starter;
    private final Function<String, String> env;
    private volatile Ensemble ensemble;

    EnsembleExtension(String kind, Supplier<Optional<String>> unavailable, Function<Integer, Ensemble> starter,
            Function<String, String> env) {
        this.kind = kind;
        this.unavailable = unavailable;
        this.starter = starter;
        this.env = env;
    }

    /** Three servers in this JVM (curator-test). */
    static EnsembleExtension inProcess() {
        return new EnsembleExtension("in-process", Optional::empty, size -> {
            try {
                return InProcessEnsemble.start(size);
            } catch (Exception e) {
                throw new IllegalStateException("in-process ensemble did not start", e);
            }
        }, System::getenv);
    }

    /** Three real server processes from the Debian {@code zookeeper} package. */
    static EnsembleExtension real() {
        return new EnsembleExtension("real", RealEnsemble::unavailable, size -> {
            try {
                return RealEnsemble.start(size);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, System::getenv);
    }

    /** The running ensemble. */
    Ensemble get() {
        return Objects.requireNonNull(ensemble, "the " + kind + " ensemble is not running");
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> missing = unavailable.get();
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled(kind + " ZooKeeper ensemble available");
        }
        if (required()) {
            return ConditionEvaluationResult.enabled("will fail: " + missing.get());
        }
        return ConditionEvaluationResult.disabled("needs a " + kind + " ZooKeeper ensemble: " + missing.get()
                + "; set " + REQUIRE_ENV + "=1 to make this a failure");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<String> missing = unavailable.get();
        if (missing.isPresent()) {
            // Only reached when required (otherwise the class is disabled).
            throw new AssertionError("test of a " + kind + " ZooKeeper ensemble required by " + REQUIRE_ENV
                    + "=1 but " + missing.get());
        }
        ensemble = starter.apply(3);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Ensemble running = ensemble;
        ensemble = null;
        if (running != null) {
            running.close();
        }
    }

    private boolean required() {
        String value = env.apply(REQUIRE_ENV);
        return value != null && (value.trim().equals("1") || value.trim().equalsIgnoreCase("true"));
    }
}
