package dev.iov.ethernet.ovs;

import dev.iov.api.IovException;

/**
 * The private Open vSwitch daemons could not be started, driven or stopped: a program is missing, exited early or
 * failed; the message names the command and quotes its output.
 */
public final class OvsDaemonException extends IovException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, with the command and its output
     * @param cause the underlying failure, or null
     */
    public OvsDaemonException(String message, Throwable cause) {
        super("Open vSwitch daemons", message, cause);
    }
}
