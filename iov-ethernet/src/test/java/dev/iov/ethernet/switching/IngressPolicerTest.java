package dev.iov.ethernet.switching;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngressPolicerTest {
    @Test
    void burstPassesThenRateLimits() {
        // 10 kbit burst = 1250 bytes: 12 frames of 100 bytes (9600 bits), the 13th exceeds.
        IngressPolicer p = new IngressPolicer(1000, 10);
        int passed = 0;
        for (int i = 0; i < 20; i++) {
            passed += p.admit(100, 0) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(12);
        // 1000 kbit/s = 1 bit/us: 400 bits are left, 800 us adds 800 bits -> 1200 bits, one 800-bit frame.
        assertThat(p.admit(100, 800_000)).isTrue();
        assertThat(p.admit(100, 800_000)).isFalse();
    }

    @Test
    void refillIsCappedAtTheBurstAndIgnoresABackwardClock() {
        IngressPolicer p = new IngressPolicer(1000, 10);
        assertThat(p.admit(1250, 0)).isTrue();
        assertThat(p.admit(1, -5_000_000)).isFalse();
        long hour = 3_600_000_000_000L;
        assertThat(p.admit(1250, hour)).isTrue();
        assertThat(p.admit(1, hour)).isFalse();
    }

    @Test
    void largeRateAndBurstDoNotOverflow() {
        IngressPolicer p = new IngressPolicer(Integer.MAX_VALUE, PortConfig.MAX_BURST_KBIT);
        assertThat(p.admit(1500, 0)).isTrue();
        assertThat(p.admit(1500, Long.MAX_VALUE / 2)).isTrue();
    }
}
