package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Failures any user can provoke, no privileges needed. */
class RawNetlinkSocketTest {

    @Test
    void unknownProtocolIsATypedFailure() {
        assertThatThrownBy(() -> RawNetlinkSocket.open(99))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EPROTONOSUPPORT");
                    assertThat(e.operation()).isEqualTo("netlink open");
                    assertThat(e.object()).isEqualTo("netlink protocol 99");
                });
    }
}
