package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Guid;
import org.junit.jupiter.api.Test;

class GuidPoolTest {

    @Test
    void defaultPoolIsTheIoPrefix() {
        GuidPool pool = GuidPool.defaultPool();
        assertThat(pool.name()).isEqualTo("GUID pool 0269:6f00:0000:0000-0269:6fff:ffff:ffff");
        assertThat(pool.capacity()).isEqualTo(1L << 40);
        assertThat(pool.allocate()).isEqualTo(Guid.parse("0269:6f00:0000:0000"));
    }

    @Test
    void neverHandsOutTheZeroGuid() {
        GuidPool pool = GuidPool.ofRange(Guid.ZERO, Guid.of(3));
        assertThat(pool.name()).isEqualTo("GUID pool 0000:0000:0000:0001-0000:0000:0000:0003");
        assertThat(pool.capacity()).isEqualTo(3);
        assertThat(pool.contains(Guid.ZERO)).isFalse();
        assertThat(pool.allocate()).isEqualTo(Guid.of(1));
        assertThat(pool.allocate()).isEqualTo(Guid.of(2));
        assertThat(pool.allocate()).isEqualTo(Guid.of(3));
        assertThatThrownBy(pool::allocate).isExactlyInstanceOf(PoolExhaustedException.class);
        assertThatThrownBy(() -> pool.reserve(Guid.ZERO)).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("0000:0000:0000:0000 is outside GUID pool 0000:0000:0000:0001-0000:0000:0000:0003");
        assertThat(pool.release(Guid.ZERO)).isFalse();
    }

    @Test
    void refusesARangeOfOnlyZero() {
        assertThatThrownBy(() -> GuidPool.ofRange(Guid.ZERO, Guid.ZERO))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0000:0000:0000:0000-0000:0000:0000:0000'")
                .hasMessageContaining("only the zero GUID");
    }

    @Test
    void ordersRangesUnsigned() {
        GuidPool pool = GuidPool.ofRange(Guid.parse("7fff:ffff:ffff:ffff"), Guid.parse("8000:0000:0000:0001"));
        assertThat(pool.capacity()).isEqualTo(3);
        assertThat(pool.allocate()).isEqualTo(Guid.parse("7fff:ffff:ffff:ffff"));
        assertThat(pool.allocate()).isEqualTo(Guid.parse("8000:0000:0000:0000"));
        assertThat(pool.allocate()).isEqualTo(Guid.parse("8000:0000:0000:0001"));

        GuidPool top = GuidPool.ofRange(Guid.parse("ffff:ffff:ffff:fffe"), Guid.parse("ffff:ffff:ffff:ffff"));
        assertThat(top.allocate()).isEqualTo(Guid.of(-2));
        assertThat(top.allocate()).isEqualTo(Guid.of(-1));
        assertThatThrownBy(top::allocate).isExactlyInstanceOf(PoolExhaustedException.class);

        assertThatThrownBy(() -> GuidPool.ofRange(Guid.parse("8000:0000:0000:0000"), Guid.of(1)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("last is below first");
    }

    @Test
    void refusesMoreGuidsThanALongCanCount() {
        assertThatThrownBy(() -> GuidPool.ofRange(Guid.ZERO, Guid.of(-1)))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than");
        assertThatThrownBy(() -> GuidPool.ofRange(Guid.of(1), Guid.parse("8000:0000:0000:0000")))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than");
        // 0 to 2^63-1 without zero is exactly Long.MAX_VALUE GUIDs.
        assertThat(GuidPool.ofRange(Guid.ZERO, Guid.parse("7fff:ffff:ffff:ffff")).capacity()).isEqualTo(Long.MAX_VALUE);
    }
}
