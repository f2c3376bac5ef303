package dev.iov.linux.netlink;

/**
 * The network namespace a link moves to (or a veth peer is created in): named by an open file descriptor of the
 * namespace ({@code IFLA_NET_NS_FD}, e.g. {@link dev.iov.linux.NetworkNamespace#fd()}) or by the id of a process
 * that lives in it ({@code IFLA_NET_NS_PID}). The descriptor is resolved by the kernel in the sending process, so
 * it must be open in this JVM.
 */
public final class TargetNamespace {

    private final boolean byFd;
    private final int value;

    private TargetNamespace(boolean byFd, int value) {
        this.byFd = byFd;
        this.value = value;
    }

    /**
     * Names the namespace by an open file descriptor of it.
     *
     * @param fd the descriptor, not negative
     * @return the target
     * @throws IllegalArgumentException when the descriptor is negative
     */
    public static TargetNamespace ofFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("namespace file descriptor must not be negative: '" + fd + "'");
        }
        return new TargetNamespace(true, fd);
    }

    /**
     * Names the namespace by a process that lives in it.
     *
     * @param pid the process id, positive
     * @return the target
     * @throws IllegalArgumentException when the pid is not positive or above 2<sup>31</sup>-1
     */
    public static TargetNamespace ofPid(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("process id must be positive: '" + pid + "'");
        }
        return new TargetNamespace(false, (int) pid);
    }

    /** @return true when named by a file descriptor, false when by a process id */
    public boolean isFd() {
        return byFd;
    }

    /** @return the file descriptor or the process id */
    public int value() {
        return value;
    }

    /** Writes {@code IFLA_NET_NS_FD} or {@code IFLA_NET_NS_PID}. */
    void writeTo(NetlinkMessageWriter writer) {
        writer.putU32(byFd ? NetlinkConstants.IFLA_NET_NS_FD : NetlinkConstants.IFLA_NET_NS_PID, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetNamespace other && byFd == other.byFd && value == other.value;
    }

    @Override
    public int hashCode() {
        return byFd ? value : ~value;
    }

    @Override
    public String toString() {
        return (byFd ? "netns fd " : "netns of pid ") + value;
    }
}
