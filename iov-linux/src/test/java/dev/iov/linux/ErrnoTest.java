package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void describesKnownNumbersOfEitherSign() {
        assertThat(Errno.describe(95)).isEqualTo("EOPNOTSUPP (95)");
        assertThat(Errno.describe(-16)).isEqualTo("EBUSY (16)");
    }

    @Test
    void describesUnknownNumbersByValue() {
        assertThat(Errno.describe(200)).isEqualTo("errno 200");
        assertThat(Errno.describe(126)).isEqualTo("errno 126");
    }

    @Test
    void numbersMatchTheKernelHeaders() {
        // asm-generic/errno-base.h and errno.h
        assertThat(Errno.EPERM.number()).isEqualTo(1);
        assertThat(Errno.ENODEV.number()).isEqualTo(19);
        assertThat(Errno.EEXIST.number()).isEqualTo(17);
        assertThat(Errno.EINVAL.number()).isEqualTo(22);
    }
}
