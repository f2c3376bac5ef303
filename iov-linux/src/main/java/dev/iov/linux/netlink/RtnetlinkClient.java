package dev.iov.linux.netlink;

import static dev.iov.linux.netlink.NetlinkConstants.NLMSG_DONE;
import static dev.iov.linux.netlink.NetlinkConstants.NLMSG_ERROR;
import static dev.iov.linux.netlink.NetlinkConstants.NLMSG_NOOP;
import static dev.iov.linux.netlink.NetlinkConstants.NLMSG_OVERRUN;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_DUMP;
import static dev.iov.linux.netlink.NetlinkConstants.NLM_F_DUMP_INTR;

import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.RawNetlinkSocket;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/response over an rtnetlink socket: numbers each request, waits for the replies that carry its number, and
 * turns the kernel's verdict into a return or a typed {@link LinuxException}.
 *
 * <ul>
 *   <li>A request with {@code NLM_F_ACK} completes at the {@code NLMSG_ERROR} with its sequence number: error 0 is
 *       success, a negative error becomes {@link LinuxException#of(int, String, String, String)} with the
 *       operation and object the caller names and the kernel's extended-ACK text as detail. Data replies before
 *       the ack (a GET of one link) go to the {@link ResponseHandler}.</li>
 *   <li>A request with {@code NLM_F_DUMP} completes at {@code NLMSG_DONE}; every message before it goes to the
 *       handler. If any reply is flagged {@code NLM_F_DUMP_INTR} (links changed during the dump) the handler is told
 *       to {@linkplain ResponseHandler#onRestart() restart} and the dump is repeated, up to
 *       {@value #MAX_DUMP_ATTEMPTS} times.</li>
 *   <li>Replies with another sequence number (late answers to a request that timed out) are skipped.</li>
 *   <li>No reply within the {@linkplain #timeout(Duration) timeout} (default 5 s) is a {@link LinuxException}
 *       with errno {@code ETIMEDOUT} naming the operation, object and wait.</li>
 * </ul>
 *
 * <p>One direct send buffer and one direct receive buffer (64 KiB) are reused for every request; each grows
 * (doubling) when a request does not fit or a reply datagram is larger, which happens with a link that has hundreds
 * of VFs. Requests are serialised: the public methods are {@code synchronized}, so one client may be shared, but
 * a busy service is better off with one client per thread.
 */
public final class RtnetlinkClient implements AutoCloseable {

    /** The timeout a new client uses. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** How many times an interrupted dump is tried before giving up. */
    public static final int MAX_DUMP_ATTEMPTS = 8;

    static final int INITIAL_SEND_BUFFER = 8 * 1024;
    static final int INITIAL_RECEIVE_BUFFER = 64 * 1024;
    static final int MAX_BUFFER = 16 * 1024 * 1024;

    /** {@code EPROTO} (asm-generic/errno.h), for replies that break the protocol; {@link Errno} does not name it. */
    private static final int EPROTO = 71;

    private static final Logger LOG = LoggerFactory.getLogger(RtnetlinkClient.class);

    private final NetlinkTransport transport;
    private final NetlinkMessageWriter writer = new NetlinkMessageWriter();
    private final MessageReader reader = new MessageReader();
    private final ErrorReply errorReply = new ErrorReply();
    private ByteBuffer sendBuffer = ByteBuffer.allocateDirect(INITIAL_SEND_BUFFER);
    private ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(INITIAL_RECEIVE_BUFFER);
    private int sequence;
    private int timeoutMillis = (int) DEFAULT_TIMEOUT.toMillis();

    RtnetlinkClient(NetlinkTransport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Opens a client on a new {@code NETLINK_ROUTE} socket in the caller's network namespace.
     *
     * @return the client; close it to close the socket
     * @throws LinuxException when the socket cannot be opened
     */
    public static RtnetlinkClient open() {
        return new RtnetlinkClient(new SocketTransport(RawNetlinkSocket.open(NetlinkConstants.NETLINK_ROUTE)));
    }

    /**
     * Opens a client whose socket lives in {@code namespace}: every request acts there.
     *
     * @param namespace an open namespace
     * @return the client; close it to close the socket
     * @throws LinuxException when the socket cannot be opened
     */
    public static RtnetlinkClient open(NetworkNamespace namespace) {
        return new RtnetlinkClient(new SocketTransport(
                RawNetlinkSocket.open(NetlinkConstants.NETLINK_ROUTE, namespace)));
    }

    /**
     * Sets how long to wait for the kernel's reply to each request (for dumps, for each datagram).
     *
     * @param timeout positive, at most {@link Integer#MAX_VALUE} milliseconds
     * @return this client
     */
    public synchronized RtnetlinkClient timeout(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis <= 0 || millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("netlink timeout must be 1 ms to " + Integer.MAX_VALUE
                    + " ms: '" + timeout + "'");
        }
        this.timeoutMillis = (int) millis;
        return this;
    }

    /** @return the reply timeout */
    public synchronized Duration timeout() {
        return Duration.ofMillis(timeoutMillis);
    }

    /**
     * Sends a request that changes something and waits for its acknowledgement.
     *
     * @param request writes the message; it must set {@code NLM_F_ACK}
     * @param operation names the change in errors, e.g. {@code "set MTU"}
     * @param object names what it acts on in errors, e.g. the interface name; may be null
     * @throws LinuxException the kernel's error (typed by errno), or {@code ETIMEDOUT} without a reply
     * @throws NetlinkDecodeException when the reply is malformed
     */
    public synchronized void execute(NetlinkRequest request, String operation, String object) {
        exchange(request, null, operation, object);
    }

    /**
     * Sends a request whose replies carry data (a GET with {@code NLM_F_ACK}, or a dump with {@code NLM_F_DUMP})
     * and hands every data reply to {@code handler}, returning when the request is complete.
     *
     * @param request writes the message; it must set {@code NLM_F_ACK} or {@code NLM_F_DUMP}
     * @param handler receives the data replies
     * @param operation names the request in errors, e.g. {@code "list links"}
     * @param object names what it acts on in errors; may be null
     * @throws LinuxException the kernel's error (typed by errno), {@code ETIMEDOUT} without a reply, or
     *     {@code EINTR} when a dump was interrupted {@value #MAX_DUMP_ATTEMPTS} times in a row
     * @throws NetlinkDecodeException when a reply is malformed
     */
    public synchronized void execute(NetlinkRequest request, ResponseHandler handler, String operation,
            String object) {
        exchange(request, Objects.requireNonNull(handler, "handler"), operation, object);
    }

    /** @return the port id of the socket */
    public int portId() {
        return transport.portId();
    }

    /** Closes the socket. */
    @Override
    public synchronized void close() {
        transport.close();
    }

    private void exchange(NetlinkRequest request, ResponseHandler handler, String operation, String object) {
        Objects.requireNonNull(operation, "operation");
        for (int attempt = 1; ; attempt++) {
            int flags = encode(request);
            boolean dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
            if (!dump && (flags & NLM_F_ACK) == 0) {
                throw new IllegalArgumentException("netlink request for '" + operation
                        + "' sets neither NLM_F_ACK nor NLM_F_DUMP, so its end could not be recognised");
            }
            int seq = writer.header().sequence();
            transport.send(sendBuffer);
            if (!awaitCompletion(seq, dump, handler, operation, object)) {
                return;
            }
            if (attempt == MAX_DUMP_ATTEMPTS) {
                throw LinuxException.of(Errno.EINTR.number(), operation, object, "the dump was interrupted by "
                        + "concurrent changes " + MAX_DUMP_ATTEMPTS + " times in a row (NLM_F_DUMP_INTR)");
            }
            LOG.debug("{} dump interrupted (NLM_F_DUMP_INTR), attempt {}; repeating", operation, attempt);
            if (handler != null) {
                handler.onRestart();
            }
        }
    }

    /** Encodes the request into the send buffer, growing it as needed; returns the message flags. */
    private int encode(NetlinkRequest request) {
        while (true) {
            sendBuffer.clear();
            try {
                request.encode(writer, sendBuffer);
                break;
            } catch (BufferOverflowException tooSmall) {
                if (sendBuffer.capacity() >= MAX_BUFFER) {
                    throw new IllegalArgumentException("netlink request exceeds " + MAX_BUFFER + " bytes");
                }
                sendBuffer = ByteBuffer.allocateDirect(sendBuffer.capacity() * 2);
            }
        }
        int seq = ++sequence;
        writer.header().sequence(seq).portId(transport.portId());
        return writer.header().flags();
    }

    /**
     * Reads replies until the request with sequence {@code seq} completes.
     *
     * @return true when a dump must be repeated because it was interrupted
     */
    private boolean awaitCompletion(int seq, boolean dump, ResponseHandler handler, String operation,
            String object) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        boolean interrupted = false;
        while (true) {
            int received = receive(deadline, seq, operation, object);
            reader.wrap(receiveBuffer, 0, received);
            while (reader.next()) {
                if (reader.sequence() != seq) {
                    LOG.debug("skipping netlink reply type {} with sequence {} while waiting for {}",
                            reader.type(), reader.sequence(), seq);
                    continue;
                }
                // The kernel is answering: a long dump gets the full timeout for each of its datagrams.
                deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
                interrupted |= (reader.flags() & NLM_F_DUMP_INTR) != 0;
                switch (reader.type()) {
                    case NLMSG_NOOP:
                        break;
                    case NLMSG_ERROR:
                        errorReply.readError(reader);
                        throwIfError(operation, object);
                        if (errorReply.message() != null) {
                            LOG.debug("{} on {} succeeded with a kernel warning: {}", operation, object,
                                    errorReply.message());
                        }
                        return dump && interrupted;
                    case NLMSG_DONE:
                        errorReply.readDone(reader);
                        throwIfError(operation, object);
                        return dump && interrupted;
                    case NLMSG_OVERRUN:
                        throw LinuxException.of(Errno.ENOBUFS.number(), operation, object,
                                "the kernel reported lost netlink data (NLMSG_OVERRUN)");
                    default:
                        if (handler != null) {
                            handler.onMessage(reader);
                        }
                }
            }
        }
    }

    private void throwIfError(String operation, String object) {
        int error = errorReply.error();
        if (error < 0 && error != Integer.MIN_VALUE) {
            throw LinuxException.of(error, operation, object, errorReply.detail());
        }
        if (error != 0) {
            throw LinuxException.of(EPROTO, operation, object,
                    "the kernel replied with the invalid error code " + error);
        }
    }

    /** Receives one datagram into the receive buffer, growing it if the datagram does not fit. */
    private int receive(long deadline, int seq, String operation, String object) {
        while (true) {
            long leftNanos = deadline - System.nanoTime();
            int leftMillis = (int) Math.max(0, (leftNanos + 999_999) / 1_000_000);
            if (leftMillis == 0) {
                throw timedOut(seq, operation, object);
            }
            receiveBuffer.clear();
            int received;
            try {
                received = transport.receive(receiveBuffer, leftMillis);
            } catch (LinuxException e) {
                if (!Errno.EMSGSIZE.is(e.errno()) || receiveBuffer.capacity() >= MAX_BUFFER) {
                    throw e;
                }
                // The datagram stays queued: take it with a buffer twice the size.
                receiveBuffer = ByteBuffer.allocateDirect(receiveBuffer.capacity() * 2);
                LOG.debug("netlink receive buffer grown to {} bytes", receiveBuffer.capacity());
                continue;
            }
            if (received == 0) {
                throw timedOut(seq, operation, object);
            }
            return received;
        }
    }

    private LinuxException timedOut(int seq, String operation, String object) {
        return LinuxException.of(Errno.ETIMEDOUT.number(), operation, object,
                "no netlink reply within " + timeoutMillis + " ms (sequence " + Integer.toUnsignedString(seq) + ")");
    }

    @Override
    public String toString() {
        return "RtnetlinkClient[" + transport + "]";
    }
}
