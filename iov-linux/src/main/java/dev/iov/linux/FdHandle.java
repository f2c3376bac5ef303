package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.POLLFD_EVENTS;
import static dev.iov.linux.LinuxAbi.POLLFD_REVENTS;
import static dev.iov.linux.LinuxAbi.POLLFD_SIZE;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Owns one file descriptor for a public handle: hands it out while open, waits for it with {@code poll}, closes it
 * once. The public handles (netlink socket, TAP, packet socket) compose one of these rather than inherit, so each
 * keeps its own small API.
 *
 * <p>Not thread-safe, like the handles that own it: one thread at a time.
 */
final class FdHandle {

    private final String object;
    /** A {@code struct pollfd}, reused by every wait so waiting allocates nothing. */
    private final ByteBuffer pollFd = NativeMemory.allocate(POLLFD_SIZE);
    private int fd;

    /**
     * @param fd an open descriptor, now owned by this handle
     * @param object how errors name what the descriptor is, e.g. the interface name
     */
    FdHandle(int fd, String object) {
        this.fd = fd;
        this.object = object;
    }

    /** @return the descriptor; throws {@link IllegalStateException} once closed */
    int fd() {
        if (fd < 0) {
            throw new IllegalStateException(object + " is closed");
        }
        return fd;
    }

    /** @return the name errors use for the object behind the descriptor */
    String object() {
        return object;
    }

    /** @return whether {@link #close()} has not been called */
    boolean isOpen() {
        return fd >= 0;
    }

    /**
     * Builds the exception for the native call that just failed on this descriptor. Call it immediately after the
     * call, so errno is still the call's.
     *
     * @param operation what failed, e.g. {@code "TAP read"}
     * @return the typed exception to throw
     */
    LinuxException failure(String operation) {
        return LinuxException.of(LibC.errno(), operation, object);
    }

    /**
     * Waits with {@code poll} until the descriptor is ready for {@code events}, an error is pending on it, or the
     * timeout passes. Signals that interrupt the wait restart it with the time left.
     *
     * @param events {@code POLLIN} or {@code POLLOUT}
     * @param timeoutMillis how long to wait; 0 returns at once, negative waits without limit
     * @param operation names the operation in errors
     * @return {@code true} if ready (or an error is pending, which the next call on the descriptor reports),
     *         {@code false} on timeout
     */
    boolean await(short events, int timeoutMillis, String operation) {
        pollFd.putInt(0, fd());
        pollFd.putShort(POLLFD_EVENTS, events);
        long deadline = deadline(timeoutMillis);
        int wait = timeoutMillis;
        while (true) {
            pollFd.putShort(POLLFD_REVENTS, (short) 0);
            int ready = LibC.C.poll(pollFd, 1, wait);
            if (ready > 0) {
                return true;
            }
            if (ready == 0) {
                return false;
            }
            int errno = LibC.errno();
            if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, operation, object);
            }
            wait = millisLeft(deadline, timeoutMillis);
        }
    }

    /**
     * The moment a wait of {@code timeoutMillis} ends, for {@link #millisLeft}; meaningless for negative timeouts.
     *
     * @param timeoutMillis a timeout in {@code poll} convention
     * @return a {@link System#nanoTime()} value
     */
    static long deadline(int timeoutMillis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
    }

    /**
     * What is left of a timeout that ends at {@code deadline}, in {@code poll} convention, rounded up so a wait never
     * ends early.
     *
     * @param deadline from {@link #deadline(int)}
     * @param timeoutMillis the original timeout: negative means no limit and stays negative
     * @return milliseconds to pass to {@code poll}: negative for no limit, 0 when the time is up
     */
    static int millisLeft(long deadline, int timeoutMillis) {
        if (timeoutMillis <= 0) {
            return timeoutMillis;
        }
        long left = deadline - System.nanoTime();
        return left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
    }

    /** Closes the descriptor; later calls do nothing. Errors from {@code close} are ignored: Linux frees the
     *  descriptor even when it reports one, so there is nothing to retry. */
    void close() {
        if (fd >= 0) {
            int closing = fd;
            fd = -1;
            LibC.C.close(closing);
        }
    }

    /**
     * Closes a descriptor that never made it into a handle (construction failed half-way).
     *
     * @param fd the descriptor, or a negative number for none
     */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.C.close(fd);
        }
    }

    @Override
    public String toString() {
        return object + (fd >= 0 ? " (fd " + fd + ")" : " (closed)");
    }
}
