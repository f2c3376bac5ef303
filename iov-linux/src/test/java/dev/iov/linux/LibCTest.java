package dev.iov.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The binding itself, with calls any user may make: loading, errno capture, buffer passing. */
class LibCTest {

    @Test
    void errnoTextsAreLibcStrerrorInTheCLocale() {
        assumeTrue("Operation not permitted".equals(LibC.C.strerror(1)),
                "libc messages are localized in this process; Errno's texts are the C locale's");
        for (Errno errno : Errno.values()) {
            assertThat(errno.message()).as(errno.name()).isEqualTo(LibC.C.strerror(errno.number()));
        }
    }

    @Test
    void errnoIsReadAfterAFailingCall() {
        assertThat(LibC.C.if_nametoindex("iov-no-such0")).isZero();
        assertThat(LibC.errno()).isEqualTo(Errno.ENODEV.number());

        assertThat(LibC.C.close(-1)).isEqualTo(-1);
        assertThat(LibC.errno()).isEqualTo(Errno.EBADF.number());
    }

    @Test
    void loopbackHasAnIndex() {
        assertThat(LibC.C.if_nametoindex("lo")).isPositive();
    }

    @Test
    void directBuffersArePassedAtTheirPosition() {
        int fd = LibC.C.open("/dev/zero", LinuxAbi.O_RDONLY | LinuxAbi.O_CLOEXEC);
        assertThat(fd).isNotNegative();
        try {
            ByteBuffer buffer = NativeMemory.allocate(16);
            for (int i = 0; i < 16; i++) {
                buffer.put(i, (byte) 0x55);
            }
            buffer.position(4);

            assertThat(LibC.C.read(fd, buffer, 8)).isEqualTo(8);

            for (int i = 0; i < 16; i++) {
                assertThat(buffer.get(i)).as("byte %d", i).isEqualTo(i >= 4 && i < 12 ? (byte) 0 : (byte) 0x55);
            }
        } finally {
            LibC.C.close(fd);
        }
    }

    @Test
    void addressIsTheFirstByteOfTheBuffer() {
        ByteBuffer whole = NativeMemory.allocate(64);
        ByteBuffer tail = whole.slice(16, 16);

        assertThat(NativeMemory.address(tail) - NativeMemory.address(whole)).isEqualTo(16);
    }
}
