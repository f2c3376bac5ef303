package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.SOL_SOCKET;

import java.nio.ByteBuffer;

/** {@code setsockopt} with an {@code int} value, the only kind the sockets in this package set. */
final class SocketOptions {

    private SocketOptions() {
    }

    /**
     * Sets an integer socket option.
     *
     * @param fd the socket
     * @param level e.g. {@code SOL_SOCKET}
     * @param option the option number
     * @param value the value
     * @param operation names the operation in errors
     * @param object names the socket in errors
     * @param tolerated errnos that mean "not available here" and are ignored
     * @throws LinuxException for any other failure
     */
    static void setInt(int fd, int level, int option, int value, String operation, String object,
            Errno... tolerated) {
        ByteBuffer holder = NativeMemory.allocate(4).putInt(0, value);
        if (LibC.C.setsockopt(fd, level, option, holder, 4) < 0) {
            int errno = LibC.errno();
            for (Errno ok : tolerated) {
                if (ok.number() == errno) {
                    return;
                }
            }
            throw LinuxException.of(errno, operation, object);
        }
    }

    /**
     * Sets a socket buffer size. The {@code *FORCE} variant lets root go beyond {@code net.core.[rw]mem_max}; without
     * {@code CAP_NET_ADMIN} it fails with {@code EPERM} and the plain option (capped by the sysctl) is used instead.
     *
     * @param fd the socket
     * @param forceOption {@code SO_SNDBUFFORCE} or {@code SO_RCVBUFFORCE}
     * @param plainOption {@code SO_SNDBUF} or {@code SO_RCVBUF}
     * @param bytes the wanted size
     * @param operation names the operation in errors
     * @param object names the socket in errors
     */
    static void setBufferSize(int fd, int forceOption, int plainOption, int bytes, String operation,
            String object) {
        ByteBuffer holder = NativeMemory.allocate(4).putInt(0, bytes);
        if (LibC.C.setsockopt(fd, SOL_SOCKET, forceOption, holder, 4) == 0) {
            return;
        }
        int errno = LibC.errno();
        if (errno != Errno.EPERM.number()) {
            throw LinuxException.of(errno, operation, object);
        }
        setInt(fd, SOL_SOCKET, plainOption, bytes, operation, object);
    }
}
