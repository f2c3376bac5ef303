package dev.iov.api.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class LongStackTest {

    @Test
    void popsInReverseOrderAcrossGrowth() {
        LongStack stack = new LongStack();
        for (long i = 0; i < 1000; i++) {
            stack.push(i * 3 - 500);
        }
        assertThat(stack.size()).isEqualTo(1000);
        for (long i = 999; i >= 0; i--) {
            assertThat(stack.pop()).isEqualTo(i * 3 - 500);
        }
        assertThat(stack.isEmpty()).isTrue();
        assertThatThrownBy(stack::pop).isInstanceOf(NoSuchElementException.class);
    }
}
