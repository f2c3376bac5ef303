package dev.iov.linux;

/**
 * The Linux errno values iov turns into typed failures, with their symbolic names. The numbers are the x86-64 and
 * arm64 (asm-generic) values, identical on every architecture iov supports.
 */
public enum Errno {
    /** Operation not permitted (missing CAP_NET_ADMIN, usually). */
    EPERM(1),
    /** No such file or directory. */
    ENOENT(2),
    /** No such process. */
    ESRCH(3),
    /** Interrupted system call. */
    EINTR(4),
    /** Input/output error. */
    EIO(5),
    /** No such device or address. */
    ENXIO(6),
    /** Bad file descriptor. */
    EBADF(9),
    /** Resource temporarily unavailable (would block). */
    EAGAIN(11),
    /** Cannot allocate memory. */
    ENOMEM(12),
    /** Permission denied. */
    EACCES(13),
    /** Device or resource busy. */
    EBUSY(16),
    /** File exists. */
    EEXIST(17),
    /** No such device. */
    ENODEV(19),
    /** Invalid argument. */
    EINVAL(22),
    /** No space left on device. */
    ENOSPC(28),
    /** Numerical result out of range. */
    ERANGE(34),
    /** Message too long. */
    EMSGSIZE(90),
    /** Protocol not supported. */
    EPROTONOSUPPORT(93),
    /** Operation not supported. */
    EOPNOTSUPP(95),
    /** Address family not supported by protocol. */
    EAFNOSUPPORT(97),
    /** Network is down. */
    ENETDOWN(100),
    /** No buffer space available. */
    ENOBUFS(105),
    /** Connection timed out. */
    ETIMEDOUT(110);

    private static final Errno[] BY_NUMBER = new Errno[128];

    static {
        for (Errno errno : values()) {
            BY_NUMBER[errno.number] = errno;
        }
    }

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /** @return the positive errno number */
    public int number() {
        return number;
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
        Errno known = positive < BY_NUMBER.length ? BY_NUMBER[positive] : null;
        return known == null ? "errno " + positive : known.name() + " (" + positive + ")";
    }
}
