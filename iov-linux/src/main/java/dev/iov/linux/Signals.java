package dev.iov.linux;

/**
 * Sends signals to processes with {@code kill(2)}, so that the library never forks {@code kill} to do it.
 *
 * <p>Only the signals iov sends are named here; the numbers are the same on every Linux architecture iov runs on
 * (x86-64, arm64).
 */
public final class Signals {

    /** {@code SIGHUP}: OpenSM re-reads its configuration on it. */
    public static final int SIGHUP = 1;

    /** {@code SIGKILL}: cannot be caught; for processes that must go. */
    public static final int SIGKILL = 9;

    /** {@code SIGTERM}: the polite request to exit. */
    public static final int SIGTERM = 15;

    private static final int ESRCH = 3;

    private Signals() {
    }

    /**
     * Sends {@code signal} to process {@code pid}.
     *
     * @param pid the process id, positive (0 and negative values address process groups and are refused here)
     * @param signal the signal number, e.g. {@link #SIGHUP}; 0 only checks that the process exists
     * @return {@code true} if the signal was delivered, {@code false} if there is no such process (it has exited)
     * @throws IllegalArgumentException if {@code pid} is not positive or {@code signal} is not 0..64
     * @throws LinuxException if the kernel refuses, e.g. {@link PermissionDeniedException} for another user's
     *     process when not root
     */
    public static boolean send(long pid, int signal) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("process id " + pid + " is not a single process (must be 1.."
                    + Integer.MAX_VALUE + ")");
        }
        if (signal < 0 || signal > 64) {
            throw new IllegalArgumentException("signal " + signal + " is not a Linux signal number (0..64)");
        }
        if (LibC.C.kill((int) pid, signal) == 0) {
            return true;
        }
        int errno = LibC.errno();
        if (errno == ESRCH) {
            return false;
        }
        throw LinuxException.of(errno, "send signal " + signal, "process " + pid);
    }
}
