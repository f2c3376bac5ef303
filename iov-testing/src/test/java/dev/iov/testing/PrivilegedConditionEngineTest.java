package dev.iov.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs small test classes through the real Jupiter engine with {@link EngineTestKit} and checks that
 * {@code @Privileged} makes them run, skip or fail. The host is simulated through {@link HostFacts}, so the
 * outcome does not depend on who runs the build.
 *
 * <p>The scenario classes below are static nested classes: Surefire does not pick them up on its own (it
 * excludes {@code *$*}), and if an IDE does, they just run against the real host and pass or skip.
 */
class PrivilegedConditionEngineTest {

    /** What the scenario classes' fixtures and bodies did, in order. */
    static final List<String> RAN = new CopyOnWriteArrayList<>();

    private static final String SKIP_NOT_ROOT =
            "needs root (uid 1000); set IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a failure";
    private static final String FAIL_NOT_ROOT =
            "privileged test required by IOV_REQUIRE_PRIVILEGED_TESTS=1 but not root (uid 1000)";

    private HostFacts previous;

    @BeforeEach
    void reset() {
        RAN.clear();
    }

    @AfterEach
    void restoreHost() {
        if (previous != null) {
            PrivilegedCondition.useHostFacts(previous);
        }
    }

    // ---- method-level use ----

    @Test
    void methodLevelRunsAsRootWithToolsAndDevices() {
        simulate(0, null, Set.of("ip"), Set.of("/dev/net/tun"));
        EngineExecutionResults results = run(MethodLevel.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2).skipped(0).failed(0));
        assertThat(RAN).contains("body:privileged", "body:unprivileged");
    }

    @Test
    void methodLevelSkipsWhenNotRoot() {
        simulate(1000, null, Set.of("ip"), Set.of("/dev/net/tun"));
        EngineExecutionResults results = run(MethodLevel.class);
        results.testEvents().assertStatistics(stats -> stats.skipped(1).succeeded(1).failed(0));
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("privileged"), skippedWithReason(SKIP_NOT_ROOT)));
        assertThat(RAN).containsExactly("beforeEach:unprivileged", "body:unprivileged");
    }

    @Test
    void methodLevelFailsWhenNotRootAndFailuresAreRequired() {
        simulate(1000, "1", Set.of("ip"), Set.of("/dev/net/tun"));
        EngineExecutionResults results = run(MethodLevel.class);
        results.testEvents().assertStatistics(stats -> stats.skipped(0).succeeded(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("privileged"),
                finishedWithFailure(instanceOf(AssertionError.class), message(FAIL_NOT_ROOT))));
        assertThat(RAN).as("the failure comes before @BeforeEach and the body")
                .containsExactly("beforeEach:unprivileged", "body:unprivileged");
    }

    @Test
    void methodLevelSkipNamesTheMissingToolAndDevice() {
        simulate(0, null, Set.of(), Set.of());
        EngineExecutionResults results = run(MethodLevel.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(test("privileged"), skippedWithReason(
                "needs tool 'ip' on PATH, device /dev/net/tun; set IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a "
                        + "failure")));
    }

    @Test
    void composedAnnotationWorksLikePrivileged() {
        simulate(0, "1", Set.of(), Set.of());
        EngineExecutionResults results = run(Composed.class);
        results.testEvents().assertThatEvents().haveExactly(1, event(test("needsIp"), finishedWithFailure(
                message("privileged test required by IOV_REQUIRE_PRIVILEGED_TESTS=1 but tool 'ip' not on PATH"))));
    }

    // ---- class-level use ----

    @Test
    void classLevelRunsEveryTestAsRoot() {
        simulate(0, "1", Set.of("ovsdb-server"), Set.of());
        EngineExecutionResults results = run(ClassLevel.class);
        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0).skipped(0));
        assertThat(RAN).containsExactlyInAnyOrder("beforeAll", "body:one", "body:two");
    }

    @Test
    void classLevelSkipsTheWholeClassWithoutRunningBeforeAll() {
        simulate(1000, null, Set.of("ovsdb-server"), Set.of());
        EngineExecutionResults results = run(ClassLevel.class);
        results.containerEvents().assertThatEvents()
                .haveExactly(1, event(container(ClassLevel.class), skippedWithReason(SKIP_NOT_ROOT)));
        results.testEvents().assertStatistics(stats -> stats.started(0).skipped(0));
        assertThat(RAN).isEmpty();
    }

    @Test
    void classLevelFailsTheWholeClassBeforeBeforeAllWhenRequired() {
        simulate(1000, "1", Set.of("ovsdb-server"), Set.of());
        EngineExecutionResults results = run(ClassLevel.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(ClassLevel.class),
                finishedWithFailure(instanceOf(AssertionError.class), message(FAIL_NOT_ROOT))));
        results.testEvents().assertStatistics(stats -> stats.started(0).succeeded(0));
        assertThat(RAN).isEmpty();
    }

    @Test
    void classLevelMissingToolFailsNamingIt() {
        simulate(0, "1", Set.of(), Set.of());
        EngineExecutionResults results = run(ClassLevel.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(ClassLevel.class),
                finishedWithFailure(message("privileged test required by IOV_REQUIRE_PRIVILEGED_TESTS=1 but tool "
                        + "'ovsdb-server' not on PATH"))));
    }

    @Test
    void subclassesInheritTheClassLevelRequirements() {
        simulate(1000, null, Set.of("ovsdb-server"), Set.of());
        EngineExecutionResults results = run(InheritsClassLevel.class);
        results.containerEvents().assertThatEvents()
                .haveExactly(1, event(container(InheritsClassLevel.class), skippedWithReason(SKIP_NOT_ROOT)));
        assertThat(RAN).isEmpty();
    }

    @Test
    void methodRequirementsAddToClassRequirements() {
        simulate(0, null, Set.of(), Set.of());
        EngineExecutionResults results = run(Combined.class);
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).skipped(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("needsTshark"), skippedWithReason(
                "needs tool 'tshark' on PATH; set IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a failure")));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("plain"), finishedSuccessfully()));
    }

    @Test
    void methodRequirementsFailWithinAClassThatRuns() {
        simulate(0, "1", Set.of(), Set.of());
        EngineExecutionResults results = run(Combined.class);
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("needsTshark"),
                finishedWithFailure(message("privileged test required by IOV_REQUIRE_PRIVILEGED_TESTS=1 but tool "
                        + "'tshark' not on PATH"))));
    }

    // ---- the annotation used for real, on this host ----

    @Test
    @Privileged
    void realHostRunsThisOnlyAsRoot() {
        assertThat(HostFacts.SYSTEM.effectiveUid()).hasValue(0);
    }

    // ---- helpers ----

    private void simulate(long uid, String requireEnv, Set<String> tools, Set<String> devices) {
        HostFacts replaced = PrivilegedCondition.useHostFacts(new FakeHost(uid, requireEnv, tools, devices));
        if (previous == null) {
            previous = replaced;
        }
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    /** A host with the given uid, {@code IOV_REQUIRE_PRIVILEGED_TESTS} value, tools and devices. */
    private record FakeHost(long uid, String requireEnv, Set<String> tools, Set<String> devices)
            implements HostFacts {

        @Override
        public OptionalLong effectiveUid() {
            return OptionalLong.of(uid);
        }

        @Override
        public String env(String name) {
            return PrivilegedCondition.REQUIRE_ENV.equals(name) ? requireEnv : null;
        }

        @Override
        public boolean onPath(String tool) {
            return tools.contains(tool);
        }

        @Override
        public boolean exists(String path) {
            return devices.contains(path);
        }
    }

    // ---- scenario classes (run only through EngineTestKit) ----

    static class MethodLevel {
        @BeforeEach
        void beforeEach(TestInfo info) {
            RAN.add("beforeEach:" + info.getTestMethod().orElseThrow().getName());
        }

        @Test
        @Privileged(tools = "ip", devices = "/dev/net/tun")
        void privileged() {
            RAN.add("body:privileged");
        }

        @Test
        void unprivileged() {
            RAN.add("body:unprivileged");
        }
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Privileged(tools = "ip")
    @interface NeedsIp {
    }

    static class Composed {
        @Test
        @NeedsIp
        void needsIp() {
            RAN.add("body:needsIp");
        }
    }

    @Privileged(tools = "ovsdb-server")
    static class ClassLevel {
        @BeforeAll
        static void beforeAll() {
            RAN.add("beforeAll");
        }

        @Test
        void one() {
            RAN.add("body:one");
        }

        @Test
        void two() {
            RAN.add("body:two");
        }
    }

    static class InheritsClassLevel extends ClassLevel {
    }

    @Privileged
    static class Combined {
        @Test
        void plain() {
            RAN.add("body:plain");
        }

        @Test
        @Privileged(tools = "tshark")
        void needsTshark() {
            RAN.add("body:needsTshark");
        }
    }
}
