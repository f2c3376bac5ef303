package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/** Real*IT classes skip with a reason without the Debian package, and fail instead when CI requires them. */
class EnsembleExtensionTest {

    private static final String MISSING = "Debian package 'zookeeper' not installed";

    private static EnsembleExtension extension(Optional<String> unavailable, Map<String, String> env) {
        return new EnsembleExtension("real", () -> unavailable, size -> {
            throw new AssertionError("must not start");
        }, env::get);
    }

    @Test
    void withoutThePackageTheClassIsSkippedWithTheReason() {
        ConditionEvaluationResult result = extension(Optional.of(MISSING), Map.of())
                .evaluateExecutionCondition(null);
        assertThat(result.isDisabled()).isTrue();
        assertThat(result.getReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains(MISSING).contains("IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a failure"));
    }

    @Test
    void withoutThePackageButRequiredTheClassFailsBeforeItsTests() {
        EnsembleExtension required = extension(Optional.of(MISSING),
                Map.of(EnsembleExtension.REQUIRE_ENV, "1"));
        assertThat(required.evaluateExecutionCondition(null).isDisabled()).isFalse();
        assertThatThrownBy(() -> required.beforeAll(null)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("required by IOV_REQUIRE_PRIVILEGED_TESTS=1").hasMessageContaining(MISSING);
    }

    @Test
    void withThePackageTheClassRuns() {
        assertThat(extension(Optional.empty(), Map.of()).evaluateExecutionCondition(null).isDisabled()).isFalse();
    }

    @Test
    void thePackageIsFoundHereOrTheReasonNamesIt() {
        // On this machine either state is fine; the reason, when there is one, names the jar it looked for.
        RealEnsemble.unavailable().ifPresent(reason -> assertThat(reason).contains(
                RealEnsemble.ZOOKEEPER_JAR.toString()));
    }
}
