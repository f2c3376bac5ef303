package dev.iov.bomcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.store.StateStore;
import org.junit.jupiter.api.Test;

/**
 * Placeholder: compiles and runs against iov-api resolved through the BOM (no version in this POM). To be replaced
 * by the README's embedding example.
 */
class BomConsumerTest {

    @Test
    void iovApiIsUsableWithoutAVersion() {
        assertThat(StateStore.ABSENT).isZero();
        assertThat(StateStore.ANY_VERSION).isNegative();
    }
}
