package dev.iov.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link Privileged}; you do not register it yourself, the annotation does.
 *
 * <p>As an {@link ExecutionCondition} it disables a privileged class or method whose requirements are not met,
 * with a reason naming what is missing. When {@value #REQUIRE_ENV}{@code =1} it leaves the test enabled instead
 * and fails it from {@link #beforeAll} (class-level annotation: the class is reported failed before any
 * {@code @BeforeAll} method runs) or {@link #beforeEach} (method-level annotation: that test is reported failed
 * before any {@code @BeforeEach} method runs), with an {@link AssertionError} whose message names what is
 * missing.
 *
 * <p>The effective uid is read from the {@code Uid:} line of {@code /proc/self/status}; tools are searched on
 * {@code PATH} as executable regular files; devices are checked with {@link java.nio.file.Files#exists}.
 */
public final class PrivilegedCondition implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {

    /** The environment variable that turns unmet requirements into failures when set to {@code 1}. */
    public static final String REQUIRE_ENV = "IOV_REQUIRE_PRIVILEGED_TESTS";

    private static volatile HostFacts hostFacts = HostFacts.SYSTEM;

    /** Created by JUnit through {@code @ExtendWith} on {@link Privileged}. */
    public PrivilegedCondition() {
    }

    /**
     * Test seam: replaces the facts about the host (uid, environment, tools, devices) for every instance.
     *
     * @return the facts in use before, to restore afterwards
     */
    static HostFacts useHostFacts(HostFacts facts) {
        HostFacts previous = hostFacts;
        hostFacts = Objects.requireNonNull(facts, "facts");
        return previous;
    }

    /**
     * Disables the class or method when its {@link Privileged} requirements are unmet and failures are not
     * required; enables it otherwise.
     *
     * @param context the class or method being evaluated
     * @return the evaluation result, with a reason naming what is missing
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<PrivilegedDecision> decision = context.getElement().flatMap(PrivilegedCondition::decide);
        if (decision.isEmpty()) {
            return ConditionEvaluationResult.enabled("no @Privileged requirements");
        }
        PrivilegedDecision d = decision.get();
        switch (d.outcome()) {
            case RUN:
                return ConditionEvaluationResult.enabled(d.reason());
            case SKIP:
                return ConditionEvaluationResult.disabled(d.reason());
            case FAIL:
                // Stay enabled: the callbacks below turn this into a reported failure.
                return ConditionEvaluationResult.enabled("will fail: " + d.reason());
            default:
                throw new AssertionError(d.outcome());
        }
    }

    /**
     * Fails a class annotated with {@link Privileged} whose requirements are unmet when
     * {@value #REQUIRE_ENV}{@code =1}.
     *
     * @param context the class's context
     * @throws AssertionError naming what is missing
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().flatMap(PrivilegedCondition::decide).ifPresent(PrivilegedCondition::failIfRequired);
    }

    /**
     * Fails a method annotated with {@link Privileged} whose requirements are unmet when
     * {@value #REQUIRE_ENV}{@code =1}. (Class-level requirements were already checked in {@link #beforeAll}.)
     *
     * @param context the test method's context
     * @throws AssertionError naming what is missing
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().flatMap(PrivilegedCondition::decide).ifPresent(PrivilegedCondition::failIfRequired);
    }

    private static void failIfRequired(PrivilegedDecision decision) {
        if (decision.outcome() == PrivilegedDecision.Outcome.FAIL) {
            throw new AssertionError(decision.reason());
        }
    }

    private static Optional<PrivilegedDecision> decide(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, Privileged.class).map(PrivilegedCondition::decide);
    }

    private static PrivilegedDecision decide(Privileged privileged) {
        HostFacts facts = hostFacts;
        List<String> missingTools = Arrays.stream(privileged.tools())
                .filter(tool -> !facts.onPath(tool))
                .collect(Collectors.toList());
        List<String> missingDevices = Arrays.stream(privileged.devices())
                .filter(device -> !facts.exists(device))
                .collect(Collectors.toList());
        return PrivilegedDecision.decide(facts.effectiveUid(), facts.env(REQUIRE_ENV), missingTools, missingDevices);
    }
}
