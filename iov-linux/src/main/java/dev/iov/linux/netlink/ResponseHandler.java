package dev.iov.linux.netlink;

/**
 * Receives the data messages of a reply, one at a time, while {@link RtnetlinkClient} still owns the receive
 * buffer: read what you need during the call, do not keep the reader.
 */
@FunctionalInterface
public interface ResponseHandler {

    /**
     * Handles one data message (anything but {@code NLMSG_ERROR}, {@code NLMSG_DONE} and {@code NLMSG_NOOP}).
     *
     * @param message positioned on the message; {@link MessageReader#buffer()} holds its bytes
     * @throws NetlinkDecodeException when the message is malformed
     */
    void onMessage(MessageReader message);

    /**
     * Called before a dump is repeated because the kernel flagged it {@code NLM_F_DUMP_INTR} (the set of objects
     * changed while it was being dumped): discard everything collected so far.
     */
    default void onRestart() {
    }
}
