package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Name validation happens before anything touches the system, so it needs no privileges. */
class NetworkNamespaceTest {

    @ParameterizedTest
    @ValueSource(strings = {"foo", "iov-", "iov", "IOV-x", "iov-a/b", "iov-../x", "iov- x", "iov-x\n", "iov-.hidden",
        "iov-ä", "iov-0123456789012345678901234567890123456789012345678901234567890"})
    void createRejectsNamesIovDoesNotOwn(String name) {
        assertThatThrownBy(() -> NetworkNamespace.create(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an iov namespace name")
                .hasMessageContaining("'" + name + "'");
    }

    @Test
    void createRejectsNull() {
        assertThatThrownBy(() -> NetworkNamespace.create(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "i", "io", "foo-", "ip-netns", "iov-a/b", "iov-*", "x-iov-"})
    void deleteStaleRefusesPrefixesOutsideIovNamespaces(String prefix) {
        assertThatThrownBy(() -> NetworkNamespace.deleteStale(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an iov namespace prefix");
    }
}
