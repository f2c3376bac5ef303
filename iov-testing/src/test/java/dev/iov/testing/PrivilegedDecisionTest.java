package dev.iov.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.testing.PrivilegedDecision.Outcome;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrivilegedDecisionTest {

    private static final OptionalLong ROOT = OptionalLong.of(0);
    private static final OptionalLong USER = OptionalLong.of(1000);

    @Test
    void rootWithEverythingPresentRuns() {
        PrivilegedDecision d = PrivilegedDecision.decide(ROOT, null, List.of(), List.of());
        assertThat(d.outcome()).isEqualTo(Outcome.RUN);
    }

    @Test
    void rootWithEverythingPresentRunsEvenWhenFailuresAreRequired() {
        assertThat(PrivilegedDecision.decide(ROOT, "1", List.of(), List.of()).outcome()).isEqualTo(Outcome.RUN);
    }

    @Test
    void nonRootSkipsWithTheUidAndTheHint() {
        PrivilegedDecision d = PrivilegedDecision.decide(USER, null, List.of(), List.of());
        assertThat(d.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(d.reason())
                .isEqualTo("needs root (uid 1000); set IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a failure");
    }

    @Test
    void nonRootFailsWhenRequired() {
        PrivilegedDecision d = PrivilegedDecision.decide(USER, "1", List.of(), List.of());
        assertThat(d.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(d.reason())
                .isEqualTo("privileged test required by IOV_REQUIRE_PRIVILEGED_TESTS=1 but not root (uid 1000)");
    }

    @Test
    void missingToolSkipsNamingTheTool() {
        PrivilegedDecision d = PrivilegedDecision.decide(ROOT, null, List.of("ovsdb-server"), List.of());
        assertThat(d.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(d.reason()).isEqualTo(
                "needs tool 'ovsdb-server' on PATH; set IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a failure");
    }

    @Test
    void missingDeviceFailsNamingTheDevice() {
        PrivilegedDecision d = PrivilegedDecision.decide(ROOT, "1", List.of(), List.of("/dev/net/tun"));
        assertThat(d.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(d.reason()).isEqualTo(
                "privileged test required by IOV_REQUIRE_PRIVILEGED_TESTS=1 but device /dev/net/tun missing");
    }

    @Test
    void everythingMissingIsListedInOrder() {
        PrivilegedDecision skip =
                PrivilegedDecision.decide(USER, null, List.of("ip", "tshark"), List.of("/dev/net/tun"));
        assertThat(skip.reason()).isEqualTo("needs root (uid 1000), tool 'ip' on PATH, tool 'tshark' on PATH, "
                + "device /dev/net/tun; set IOV_REQUIRE_PRIVILEGED_TESTS=1 to make this a failure");
        PrivilegedDecision fail =
                PrivilegedDecision.decide(USER, "1", List.of("ip", "tshark"), List.of("/dev/net/tun"));
        assertThat(fail.reason()).isEqualTo("privileged test required by IOV_REQUIRE_PRIVILEGED_TESTS=1 but "
                + "not root (uid 1000), tool 'ip' not on PATH, tool 'tshark' not on PATH, device /dev/net/tun missing");
    }

    @Test
    void unknownUidCountsAsNotRoot() {
        PrivilegedDecision d = PrivilegedDecision.decide(OptionalLong.empty(), null, List.of(), List.of());
        assertThat(d.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(d.reason()).startsWith("needs root (uid unknown);");
    }

    @ParameterizedTest(name = "IOV_REQUIRE_PRIVILEGED_TESTS=''{0}'' -> {1}")
    @CsvSource(value = {"NULL, SKIP", "'', SKIP", "0, SKIP", "no, SKIP", "false, SKIP", "1, FAIL", "' 1 ', FAIL",
        "true, FAIL", "TRUE, FAIL"}, nullValues = "NULL")
    void onlyOneOrTrueTurnsSkipsIntoFailures(String env, Outcome expected) {
        assertThat(PrivilegedDecision.decide(USER, env, List.of(), List.of()).outcome()).isEqualTo(expected);
    }
}
