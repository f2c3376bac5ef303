package dev.iov.linux.netlink;

import java.nio.ByteBuffer;

/**
 * The datagram pipe under {@link RtnetlinkClient}: the real one is a {@link dev.iov.linux.RawNetlinkSocket}, tests
 * use canned replies. Kept this small so that the client's protocol logic (sequence matching, acks, dumps,
 * timeouts, buffer growth) can be tested without root.
 *
 * <p>The contract is {@code RawNetlinkSocket}'s: {@link #receive} takes one whole datagram or none; a datagram
 * larger than the space offered stays queued and the call throws a {@link dev.iov.linux.LinuxException} with errno
 * {@code EMSGSIZE}.
 */
interface NetlinkTransport extends AutoCloseable {

    /** @return the port id the kernel assigned to this socket */
    int portId();

    /**
     * Sends the bytes from {@code message}'s position to its limit as one datagram.
     *
     * @param message one complete request
     */
    void send(ByteBuffer message);

    /**
     * Receives one datagram into {@code into} at its position.
     *
     * @param into where the datagram goes
     * @param timeoutMillis how long to wait
     * @return bytes received, or 0 when nothing arrived in time
     */
    int receive(ByteBuffer into, int timeoutMillis);

    /** Closes the pipe. */
    @Override
    void close();
}
