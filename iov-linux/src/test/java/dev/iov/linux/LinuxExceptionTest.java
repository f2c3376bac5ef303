package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinuxExceptionTest {

    @ParameterizedTest
    @CsvSource({
        "1, PermissionDeniedException",
        "13, PermissionDeniedException",
        "19, NoSuchDeviceException",
        "2, NoSuchDeviceException",
        "6, NoSuchDeviceException",
        "17, AlreadyExistsException",
        "95, NotSupportedException",
        "16, DeviceBusyException",
        "22, InvalidArgumentException",
        "105, LinuxException",
        "90, LinuxException",
        "200, LinuxException",
    })
    void factoryPicksTheFamily(int errno, String expectedType) {
        LinuxException positive = LinuxException.of(errno, "op", "obj");
        LinuxException negated = LinuxException.of(-errno, "op", "obj");

        assertThat(positive.getClass().getSimpleName()).isEqualTo(expectedType);
        assertThat(negated.getClass()).isEqualTo(positive.getClass());
        assertThat(negated.errnoNumber()).isEqualTo(errno);
    }

    @Test
    void messageNamesOperationObjectAndErrno() {
        LinuxException e = LinuxException.of(95, "set MTU", "veth0");

        assertThat(e).hasMessage("set MTU on 'veth0' failed: EOPNOTSUPP (95) Operation not supported");
        assertThat(e.errnoNumber()).isEqualTo(95);
        assertThat(e.errnoName()).isEqualTo("EOPNOTSUPP");
        assertThat(e.operation()).isEqualTo("set MTU");
        assertThat(e.object()).isEqualTo("veth0");
    }

    @Test
    void netlinkStyleNegativeErrnoGivesTheSameMessage() {
        assertThat(LinuxException.of(-16, "set master", "veth1"))
                .isInstanceOf(DeviceBusyException.class)
                .hasMessage("set master on 'veth1' failed: EBUSY (16) Device or resource busy");
    }

    @Test
    void objectIsOptional() {
        LinuxException e = LinuxException.of(105, "netlink receive", null);

        assertThat(e).hasMessage("netlink receive failed: ENOBUFS (105) No buffer space available");
        assertThat(e.object()).isNull();
    }

    @Test
    void detailIsAppended() {
        LinuxException e = LinuxException.of(90, "netlink receive", "netlink protocol 0 port 7",
                "the next datagram holds 70000 bytes but the buffer has 32768 bytes left");

        assertThat(e).hasMessage("netlink receive on 'netlink protocol 0 port 7' failed: EMSGSIZE (90) Message too "
                + "long: the next datagram holds 70000 bytes but the buffer has 32768 bytes left");
    }

    @Test
    void unknownErrnoIsDescribedByNumber() {
        LinuxException e = LinuxException.of(-524, "set VF rate", "eth0");

        assertThat(e.getClass()).isEqualTo(LinuxException.class);
        assertThat(e.errnoName()).isEqualTo("errno 524");
        assertThat(e).hasMessage("set VF rate on 'eth0' failed: errno 524");
    }

    @Test
    void zeroIsNotAnError() {
        assertThatThrownBy(() -> LinuxException.of(0, "op", "obj"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an errno: 0");
        assertThatThrownBy(() -> LinuxException.of(Integer.MIN_VALUE, "op", "obj"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyFamilyIsALinuxException() {
        for (Errno errno : Errno.values()) {
            LinuxException e = LinuxException.of(errno.number(), "op", "obj");
            assertThat(e.errnoName()).isEqualTo(errno.name());
            assertThat(e.getMessage()).endsWith(errno.message());
        }
    }
}
