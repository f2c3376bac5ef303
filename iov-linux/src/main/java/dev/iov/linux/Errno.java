package dev.iov.linux;

import java.util.Optional;

/**
 * The Linux errno values iov turns into typed failures, with their symbolic names and the text glibc's
 * {@code strerror} gives for them in the C locale. The numbers are the x86-64 and arm64 (asm-generic) values,
 * identical on every architecture iov supports.
 *
 * <p>The texts live here, not in a native call, so that building an exception message never touches libc (an
 * exception may be built on a machine or thread where native code is not loaded) and so that messages do not
 * change with the process locale.
 */
public enum Errno {
    /** Operation not permitted (missing CAP_NET_ADMIN, usually). */
    EPERM(1, "Operation not permitted"),
    /** No such file or directory. */
    ENOENT(2, "No such file or directory"),
    /** No such process. */
    ESRCH(3, "No such process"),
    /** Interrupted system call. */
    EINTR(4, "Interrupted system call"),
    /** Input/output error. */
    EIO(5, "Input/output error"),
    /** No such device or address. */
    ENXIO(6, "No such device or address"),
    /** Bad file descriptor. */
    EBADF(9, "Bad file descriptor"),
    /** Resource temporarily unavailable (would block). */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** Cannot allocate memory. */
    ENOMEM(12, "Cannot allocate memory"),
    /** Permission denied. */
    EACCES(13, "Permission denied"),
    /** Bad address (a pointer passed to the kernel was invalid). */
    EFAULT(14, "Bad address"),
    /** Device or resource busy. */
    EBUSY(16, "Device or resource busy"),
    /** File exists. */
    EEXIST(17, "File exists"),
    /** No such device. */
    ENODEV(19, "No such device"),
    /** Not a directory. */
    ENOTDIR(20, "Not a directory"),
    /** Invalid argument. */
    EINVAL(22, "Invalid argument"),
    /** Too many open files in the system. */
    ENFILE(23, "Too many open files in system"),
    /** Too many open files in this process. */
    EMFILE(24, "Too many open files"),
    /** Inappropriate ioctl for device. */
    ENOTTY(25, "Inappropriate ioctl for device"),
    /** No space left on device. */
    ENOSPC(28, "No space left on device"),
    /** Read-only file system. */
    EROFS(30, "Read-only file system"),
    /** Numerical result out of range. */
    ERANGE(34, "Numerical result out of range"),
    /** Function not implemented. */
    ENOSYS(38, "Function not implemented"),
    /** Socket operation on non-socket. */
    ENOTSOCK(88, "Socket operation on non-socket"),
    /** Message too long. */
    EMSGSIZE(90, "Message too long"),
    /** Protocol not available (unknown socket option). */
    ENOPROTOOPT(92, "Protocol not available"),
    /** Protocol not supported. */
    EPROTONOSUPPORT(93, "Protocol not supported"),
    /** Operation not supported. */
    EOPNOTSUPP(95, "Operation not supported"),
    /** Address family not supported by protocol. */
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    /** Address already in use. */
    EADDRINUSE(98, "Address already in use"),
    /** Cannot assign requested address. */
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    /** Network is down. */
    ENETDOWN(100, "Network is down"),
    /** Network is unreachable. */
    ENETUNREACH(101, "Network is unreachable"),
    /** No buffer space available (for netlink: the socket's receive queue overflowed). */
    ENOBUFS(105, "No buffer space available"),
    /** Connection timed out. */
    ETIMEDOUT(110, "Connection timed out"),
    /** Connection refused. */
    ECONNREFUSED(111, "Connection refused");

    private static final Errno[] BY_NUMBER = new Errno[128];

    static {
        for (Errno errno : values()) {
            BY_NUMBER[errno.number] = errno;
        }
    }

    private final int number;
    private final String message;

    Errno(int number, String message) {
        this.number = number;
        this.message = message;
    }

    /** @return the positive errno number */
    public int number() {
        return number;
    }

    /**
     * @param errno an errno as an {@link dev.iov.api.IovException} carries it
     * @return true when it is this errno
     */
    public boolean is(java.util.OptionalInt errno) {
        return errno.isPresent() && errno.getAsInt() == number;
    }

    /** @return the text glibc's {@code strerror} gives for this errno in the C locale, e.g. {@code No such device} */
    public String message() {
        return message;
    }

    /**
     * Looks an errno number up. Netlink reports errors as negative numbers; both signs are accepted.
     *
     * @param number an errno, positive or negated
     * @return the named errno, or empty for numbers this enum does not name
     */
    public static Optional<Errno> of(int number) {
        int positive = Math.abs(number);
        // Math.abs(Integer.MIN_VALUE) stays negative, hence the lower bound.
        return Optional.ofNullable(positive >= 0 && positive < BY_NUMBER.length ? BY_NUMBER[positive] : null);
    }

    /**
     * Describes an errno number the way error messages in iov show it: {@code EBUSY (16)}, or {@code errno 200} for
     * numbers this enum does not name. Netlink reports errors as negative numbers; both signs are accepted.
     *
     * @param number an errno, positive or negated
     * @return the symbolic description
     */
    public static String describe(int number) {
        int positive = Math.abs(number);
        return of(positive).map(known -> known.name() + " (" + positive + ")").orElse("errno " + positive);
    }
}
