package dev.iov.ethernet.ovs;

/**
 * The private Open vSwitch daemons could not be started, driven or stopped: a program is missing, exited early or
 * failed; the message names the command and quotes its output.
 */
public final class OvsDaemonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the command and its output
     * @param cause the underlying failure, or null
     */
    public OvsDaemonException(String message, Throwable cause) {
        super(message, cause);
    }
}
