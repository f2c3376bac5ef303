package dev.iov.bench.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void percentilesAreNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }

        assertThat(LatencyRecorder.percentile(sorted, 50)).isEqualTo(50);
        assertThat(LatencyRecorder.percentile(sorted, 99)).isEqualTo(99);
        assertThat(LatencyRecorder.percentile(sorted, 99.9)).isEqualTo(100);
        assertThat(LatencyRecorder.percentile(sorted, 0)).isEqualTo(1);
        assertThat(LatencyRecorder.percentile(sorted, 100)).isEqualTo(100);
        assertThat(LatencyRecorder.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void recordsByOperationAndSortsCopies() {
        LatencyRecorder recorder = new LatencyRecorder(4);
        recorder.record(0, 40);
        recorder.record(1, 10);
        recorder.record(2, 30);
        recorder.record(3, 20);

        assertThat(recorder.sorted()).containsExactly(10, 20, 30, 40);
        assertThat(recorder.sortedRange(2, 4)).containsExactly(20, 30);
        assertThat(LatencyRecorder.mean(recorder.sorted())).isEqualTo(25.0);
    }

    @Test
    void badPercentilesAreRefused() {
        assertThatThrownBy(() -> LatencyRecorder.percentile(new long[0], 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no latencies recorded");
        assertThatThrownBy(() -> LatencyRecorder.percentile(new long[] {1}, 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("percentile must be 0-100, got 101.0");
    }
}
