package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Frame slots with and without headroom, and the bounds; receiving into them is in {@link PollerIT}. */
class FrameBatchTest {

    @Test
    void slotsWithHeadroomStartAfterItAndHaveTheFullFrameSizeBehindIt() {
        FrameBatch batch = FrameBatch.allocate(4, 100, 16);

        assertThat(batch.headroom()).isEqualTo(16);
        assertThat(batch.frameSize()).isEqualTo(100);
        for (int i = 0; i < 4; i++) {
            ByteBuffer slot = batch.frame(i);
            assertThat(slot.position()).isEqualTo(16);
            assertThat(slot.capacity()).isEqualTo(116);
            assertThat(slot.isDirect()).isTrue();
        }
        ByteBuffer added = batch.add();
        assertThat(added.position()).isZero();
        assertThat(added.limit()).isEqualTo(116);
    }

    @Test
    void withoutHeadroomNothingChanges() {
        FrameBatch batch = FrameBatch.allocate(2, 64);
        assertThat(batch.headroom()).isZero();
        assertThat(batch.frame(1).position()).isZero();
        assertThat(batch.frame(1).capacity()).isEqualTo(64);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingThem() {
        assertThatThrownBy(() -> FrameBatch.allocate(4, 100, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("headroom must be 0-256: -1");
        assertThatThrownBy(() -> FrameBatch.allocate(4, 100, 257)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("headroom must be 0-256: 257");
        assertThatThrownBy(() -> FrameBatch.allocate(0, 100, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
        assertThatThrownBy(() -> FrameBatch.allocate(4, 0, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frameSize");
    }
}
