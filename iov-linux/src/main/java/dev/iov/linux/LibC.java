package dev.iov.linux;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions iov calls, bound with jnr-ffi, and the errno of the last failed one; the only native surface
 * of the project. Kept to what the handles in this package use (adding one is one line), and package-private so
 * that no other package grows its own native calls.
 *
 * <p>Memory arguments are {@link ByteBuffer}s. For a direct buffer jnr-ffi passes its address plus its position
 * without copying, which is what the hot paths rely on; callers pass only direct buffers, and {@code null} becomes
 * a NULL pointer. Every function returns -1 (or 0 for {@code if_nametoindex}) on failure and leaves errno in
 * jnr-ffi's per-thread slot, read with {@link #errno()} right after the failing call.
 *
 * <p>Variadic functions ({@code open}, {@code ioctl}) are declared with the fixed argument list iov uses, as
 * jnr-unixsocket does: on the LP64 Linux ABIs integer and pointer arguments travel the same way either way.
 */
final class LibC {

    /** libc, loaded once per class loader. */
    static final Functions C = LibraryLoader.create(Functions.class).load("c");

    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private LibC() {
    }

    /**
     * The errno jnr-ffi saved after the last native call on this thread. Call it right after the failing call and
     * before any other native call, which would overwrite it.
     *
     * @return the positive errno
     */
    static int errno() {
        return RUNTIME.getLastError();
    }

    /**
     * The bound functions, each the libc function of the same name with the same arguments (see its man page).
     * Public only because jnr-ffi implements it with a generated class in its own class loader, which the JVM lets
     * implement public interfaces only; the package-private enclosing class keeps it out of the API.
     */
    public interface Functions {

        int socket(int domain, int type, int protocol);

        int bind(int fd, ByteBuffer address, int addressLength);

        int getsockname(int fd, ByteBuffer address, ByteBuffer addressLength);

        int setsockopt(int fd, int level, int option, ByteBuffer value, int valueLength);

        @ssize_t long sendto(int fd, ByteBuffer buffer, @size_t long length, int flags, ByteBuffer address,
                int addressLength);

        @ssize_t long recvfrom(int fd, ByteBuffer buffer, @size_t long length, int flags, ByteBuffer address,
                ByteBuffer addressLength);

        int sendmmsg(int fd, ByteBuffer messages, int count, int flags);

        int recvmmsg(int fd, ByteBuffer messages, int count, int flags, ByteBuffer timeout);

        int poll(ByteBuffer pollFds, @size_t long count, int timeoutMillis);

        int open(String path, int flags);

        @ssize_t long read(int fd, ByteBuffer buffer, @size_t long length);

        @ssize_t long readv(int fd, ByteBuffer iovecs, int count);

        @ssize_t long write(int fd, ByteBuffer buffer, @size_t long length);

        @ssize_t long writev(int fd, ByteBuffer iovecs, int count);

        @ssize_t long sendmsg(int fd, ByteBuffer message, int flags);

        int eventfd(int initialValue, int flags);

        int ioctl(int fd, @size_t long request, ByteBuffer argument);

        /** The form of {@code ioctl} whose argument is a value, not a pointer ({@code TUNSETPERSIST}). */
        int ioctl(int fd, @size_t long request, @size_t long argument);

        int close(int fd);

        int if_nametoindex(String name);

        String strerror(int errno);

        int setns(int fd, int namespaceType);

        int kill(int pid, int signal);
    }
}
