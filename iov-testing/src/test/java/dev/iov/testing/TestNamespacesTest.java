package dev.iov.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestNamespacesTest {

    @Test
    void namesHaveThePrefixEightHexDigitsAndDiffer() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String name = TestNamespaces.uniqueName();
            assertThat(name).matches("iov-t-[0-9a-f]{8}");
            names.add(name);
        }
        assertThat(names).hasSizeGreaterThan(990);
    }
}
