package dev.iov.ethernet.rss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetaTest {

    @Test
    void aNewTableIsFilledRoundRobin() {
        Reta reta = Reta.of(128, 3);

        assertThat(reta.size()).isEqualTo(128);
        assertThat(reta.queues()).isEqualTo(3);
        assertThat(reta.entry(0)).isZero();
        assertThat(reta.entry(1)).isEqualTo(1);
        assertThat(reta.entry(2)).isEqualTo(2);
        assertThat(reta.entry(3)).isZero();
        assertThat(reta.entry(127)).isEqualTo(127 % 3);
    }

    @Test
    void theDefaultSizeIs128() {
        assertThat(Reta.of(4).size()).isEqualTo(Reta.DEFAULT_SIZE).isEqualTo(128);
    }

    @Test
    void theQueueComesFromTheLowBitsOfTheHash() {
        Reta reta = Reta.of(128, 4);
        // 0x51ccc178 & 127 = 0x78 = 120; 120 % 4 = 0.
        assertThat(reta.index(0x51ccc178)).isEqualTo(120);
        assertThat(reta.queue(0x51ccc178)).isZero();
        // 0xc626b0ea & 127 = 0x6a = 106; 106 % 4 = 2. With 512 entries: 0xea = 234; 234 % 4 = 2.
        assertThat(reta.queue(0xc626b0ea)).isEqualTo(2);
        assertThat(Reta.of(512, 7).queue(0xc626b0ea)).isEqualTo(234 % 7);
        assertThat(reta.queue(-1)).isEqualTo(127 % 4);
    }

    @Test
    void entriesCanBeRepointed() {
        Reta reta = Reta.of(128, 4);
        reta.set(120, 3);

        assertThat(reta.queue(0x51ccc178)).isEqualTo(3);
        assertThat(reta.queue(0x51ccc178 + 128)).isEqualTo(3);
        assertThat(reta.entry(121)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -128, 100, 129, 131072})
    void theSizeMustBeAPowerOfTwoUpTo65536(int size) {
        assertThatThrownBy(() -> Reta.of(size, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(size));
    }

    @Test
    void theQueueCountMustBeFrom1ToTheSize() {
        assertThatThrownBy(() -> Reta.of(128, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> Reta.of(128, 129)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("129");
        assertThat(Reta.of(128, 128).entry(127)).isEqualTo(127);
    }

    @Test
    void setChecksTheIndexAndTheQueue() {
        Reta reta = Reta.of(128, 4);

        assertThatThrownBy(() -> reta.set(128, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("128");
        assertThatThrownBy(() -> reta.set(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> reta.set(0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4");
        assertThatThrownBy(() -> reta.set(0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
