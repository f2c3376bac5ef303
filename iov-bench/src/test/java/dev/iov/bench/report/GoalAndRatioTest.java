package dev.iov.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class GoalAndRatioTest {

    @Test
    void speedupOfATimeIsThePeersTimeOverIovs() {
        assertThat(Ratio.speedup(Metric.of(10, "ns/op"), Metric.of(139, "ns/op"))).isEqualTo(13.9);
        assertThat(Ratio.speedup(Metric.of(20, "ns/op"), Metric.of(10, "ns/op"))).isEqualTo(0.5);
    }

    @Test
    void speedupOfARateIsIovsRateOverThePeers() {
        assertThat(Ratio.speedup(Metric.of(9000, "Mbit/s"), Metric.of(6000, "Mbit/s"))).isEqualTo(1.5);
        assertThat(Ratio.speedup(Metric.of(3e6, "ops/s"), Metric.of(1e6, "ops/s"))).isEqualTo(3.0);
        assertThat(Ratio.speedup(Metric.of(80, "kpps"), Metric.of(40, "kpps"))).isEqualTo(2.0);
    }

    @Test
    void speedupBetweenDifferentUnitsIsRefused() {
        assertThatThrownBy(() -> Ratio.speedup(Metric.of(1, "ns/op"), Metric.of(1, "us/op")))
                .isInstanceOf(ReportException.class).hasMessage("cannot compare ns/op with us/op");
    }

    @Test
    void speedupWithoutAPositiveFigureIsNaN() {
        assertThat(Ratio.speedup(Metric.of(0, "ns/op"), Metric.of(1, "ns/op"))).isNaN();
        assertThat(Ratio.speedup(Metric.of(1, "ns/op"), Metric.of(Double.NaN, "ns/op"))).isNaN();
    }

    @Test
    void growthIsLargeOverSmall() {
        assertThat(Ratio.growth(40, 25)).isEqualTo(0.625);
        assertThat(Ratio.growth(0, 25)).isNaN();
    }

    @Test
    void atMostIsMetUpToAndIncludingTheBound() {
        Goal goal = Goal.atMost(4, "ns");

        assertThat(goal.text()).isEqualTo("≤ 4 ns");
        assertThat(goal.judge(3.9)).isEqualTo(Verdict.MET);
        assertThat(goal.judge(4.0)).isEqualTo(Verdict.MET);
        assertThat(goal.judge(4.01)).isEqualTo(Verdict.MISSED);
    }

    @Test
    void atLeastIsMetFromTheBoundUp() {
        Goal goal = Goal.atLeast(1.5, "×");

        assertThat(goal.text()).isEqualTo("≥ 1.5×");
        assertThat(goal.judge(1.5)).isEqualTo(Verdict.MET);
        assertThat(goal.judge(1.49)).isEqualTo(Verdict.MISSED);
    }

    @Test
    void aFigureThatWasNotMeasuredIsNeitherMetNorMissed() {
        assertThat(Goal.atMost(4, "ns").judge(Double.NaN)).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(Goal.atLeast(7, "×").judge(OptionalDouble.empty())).isEqualTo(Verdict.NOT_MEASURED);
    }

    @Test
    void aGoalNeedsAFiniteBound() {
        assertThatThrownBy(() -> Goal.atMost(Double.NaN, "ns")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bound must be finite, got NaN");
    }

    @Test
    void slopeOfLogTimeOverLogHostsIsOneForLinearAndTwoForQuadratic() {
        double[] hosts = {10, 100, 1000};

        assertThat(ControlPlaneArea.slope(hosts, new double[] {1, 10, 100})).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ControlPlaneArea.slope(hosts, new double[] {1, 100, 10_000})).isCloseTo(2.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ControlPlaneArea.slope(hosts, new double[] {1, Double.NaN, Double.NaN})).isNaN();
    }
}
