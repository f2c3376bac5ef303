package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.AF_NETLINK;
import static dev.iov.linux.LinuxAbi.MSG_DONTWAIT;
import static dev.iov.linux.LinuxAbi.MSG_PEEK;
import static dev.iov.linux.LinuxAbi.MSG_TRUNC;
import static dev.iov.linux.LinuxAbi.NETLINK_EXT_ACK;
import static dev.iov.linux.LinuxAbi.POLLIN;
import static dev.iov.linux.LinuxAbi.SOCKADDR_NL_PID;
import static dev.iov.linux.LinuxAbi.SOCKADDR_NL_SIZE;
import static dev.iov.linux.LinuxAbi.SOCK_CLOEXEC;
import static dev.iov.linux.LinuxAbi.SOCK_RAW;
import static dev.iov.linux.LinuxAbi.SOL_NETLINK;
import static dev.iov.linux.LinuxAbi.SO_RCVBUF;
import static dev.iov.linux.LinuxAbi.SO_RCVBUFFORCE;
import static dev.iov.linux.LinuxAbi.SO_SNDBUF;
import static dev.iov.linux.LinuxAbi.SO_SNDBUFFORCE;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A netlink socket that moves whole datagrams between the caller's buffers and the kernel, and nothing else: no
 * message parsing, no sequence numbers (the {@code dev.iov.linux.netlink} codec and operations sit on top).
 *
 * <p>{@link #open(int)} creates {@code socket(AF_NETLINK, SOCK_RAW, protocol)}, binds it with {@code nl_pid = 0}
 * so the kernel assigns the port id, sizes both socket buffers to 1 MiB (so a dump of hundreds of links does not
 * overrun with {@code ENOBUFS}) and turns on {@code NETLINK_EXT_ACK}, so error replies carry the kernel's text. A
 * socket keeps the network namespace it was created in for its whole life; {@link #open(int, NetworkNamespace)}
 * therefore creates it on a thread inside that namespace, and every request sent on it acts there.
 *
 * <p>{@link #receive} peeks at the size of the next datagram before taking it, so a datagram larger than the
 * space left in the buffer is reported ({@code EMSGSIZE}, naming both sizes) and stays queued for a retry with a
 * larger buffer instead of being cut. Buffers of 32 KiB or more hold every dump datagram except a single huge
 * message (a link with many VFs), which the kernel sends whole. Datagrams from anyone but the kernel (port 0) are
 * dropped, as iproute2 does, so another process cannot inject replies.
 *
 * <p>Direct buffers are passed to the kernel without a copy; heap buffers work too, through a staging buffer the
 * socket keeps. Errors are {@link LinuxException}s with operation {@code "netlink send"} or {@code "netlink receive"}.
 *
 * <p>Not thread-safe: use it from one thread at a time (the netlink layer above serialises requests anyway, since
 * replies are matched to requests in order).
 */
public final class RawNetlinkSocket implements AutoCloseable {

    /** The rtnetlink protocol: links, addresses, routes. */
    public static final int NETLINK_ROUTE = 0;

    private static final int SOCKET_BUFFER_BYTES = 1 << 20;
    private static final String SEND = "netlink send";
    private static final String RECEIVE = "netlink receive";

    private final FdHandle handle;
    private final int portId;
    /** {@code sockaddr_nl} of the kernel (pid 0), the destination of every send. */
    private final ByteBuffer kernel = NativeMemory.allocate(SOCKADDR_NL_SIZE);
    /** Filled by {@code recvfrom} with the sender of the datagram being received. */
    private final ByteBuffer sender = NativeMemory.allocate(SOCKADDR_NL_SIZE);
    private final ByteBuffer senderLength = NativeMemory.allocate(4);
    /** Grows to the largest heap buffer seen; direct buffers never touch it. */
    private ByteBuffer staging = NativeMemory.allocate(0);

    private RawNetlinkSocket(int fd, String object, int portId) {
        this.handle = new FdHandle(fd, object);
        this.portId = portId;
        kernel.putShort(0, (short) AF_NETLINK);
    }

    /**
     * Opens a netlink socket in the caller's network namespace.
     *
     * @param protocol the netlink protocol, e.g. {@link #NETLINK_ROUTE}
     * @return the open, bound socket
     * @throws LinuxException if the socket cannot be created, configured or bound
     */
    public static RawNetlinkSocket open(int protocol) {
        return open(protocol, (String) null);
    }

    /**
     * Opens a netlink socket that belongs to {@code namespace}: it is created on a short-lived thread that has
     * entered the namespace, and keeps acting there after that thread ends.
     *
     * @param protocol the netlink protocol, e.g. {@link #NETLINK_ROUTE}
     * @param namespace an open namespace
     * @return the open, bound socket
     * @throws LinuxException if the namespace cannot be entered or the socket cannot be set up
     * @throws IllegalStateException if the namespace is closed
     */
    public static RawNetlinkSocket open(int protocol, NetworkNamespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return namespace.call(() -> open(protocol, namespace.name()));
    }

    private static RawNetlinkSocket open(int protocol, String namespace) {
        String object = "netlink protocol " + protocol + (namespace == null ? "" : " in " + namespace);
        int fd = LibC.C.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw LinuxException.of(LibC.errno(), "netlink open", object);
        }
        try {
            SocketOptions.setBufferSize(fd, SO_SNDBUFFORCE, SO_SNDBUF, SOCKET_BUFFER_BYTES, "netlink open", object);
            SocketOptions.setBufferSize(fd, SO_RCVBUFFORCE, SO_RCVBUF, SOCKET_BUFFER_BYTES, "netlink open", object);
            // Extended acks only add text to error replies; a kernel without them still works, so ENOPROTOOPT is
            // not worth failing for.
            SocketOptions.setInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1, "netlink open", object,
                    Errno.ENOPROTOOPT);
            ByteBuffer address = NativeMemory.allocate(SOCKADDR_NL_SIZE);
            address.putShort(0, (short) AF_NETLINK);
            if (LibC.C.bind(fd, address, SOCKADDR_NL_SIZE) < 0) {
                throw LinuxException.of(LibC.errno(), "netlink bind", object);
            }
            ByteBuffer length = NativeMemory.allocate(4).putInt(0, SOCKADDR_NL_SIZE);
            if (LibC.C.getsockname(fd, address, length) < 0) {
                throw LinuxException.of(LibC.errno(), "netlink getsockname", object);
            }
            int portId = address.getInt(SOCKADDR_NL_PID);
            return new RawNetlinkSocket(fd, object + " port " + Integer.toUnsignedString(portId), portId);
        } catch (RuntimeException e) {
            FdHandle.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * The port id the kernel assigned ({@code nl_pid} of the bound address). Requests carry it in
     * {@code nlmsg_pid} by convention; replies come back addressed to it. It is an unsigned 32-bit value: compare
     * it as an {@code int}, print it with {@link Integer#toUnsignedString(int)}.
     *
     * @return the port id
     */
    public int portId() {
        return portId;
    }

    /**
     * Sends the bytes between {@code message}'s position and limit to the kernel as one datagram and advances the
     * position to the limit. The kernel processes a request before this call returns; its reply waits in the
     * receive queue.
     *
     * @param message one or more complete netlink messages
     * @throws LinuxException with operation {@code "netlink send"} if the kernel refuses the datagram
     * @throws IllegalStateException if the socket is closed
     */
    public void send(ByteBuffer message) {
        int fd = handle.fd();
        int length = message.remaining();
        ByteBuffer source = message.isDirect() ? message : stage(message);
        while (true) {
            long sent = LibC.C.sendto(fd, source, length, 0, kernel, SOCKADDR_NL_SIZE);
            if (sent >= 0) {
                break;
            }
            int errno = LibC.errno();
            if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, SEND, handle.object());
            }
        }
        message.position(message.limit());
    }

    /**
     * Receives one datagram from the kernel into {@code into}, starting at its position, and advances the
     * position past it.
     *
     * @param into where the datagram goes; its remaining space must hold the whole datagram
     * @param timeoutMillis how long to wait for one: 0 does not wait, negative waits without limit
     * @return the number of bytes received, or 0 if none arrived in time
     * @throws LinuxException with operation {@code "netlink receive"}: {@code EMSGSIZE} if the next datagram does
     *         not fit (it stays queued), {@code ENOBUFS} if the kernel had to drop messages because the receive
     *         queue overflowed
     * @throws IllegalStateException if the socket is closed
     */
    public int receive(ByteBuffer into, int timeoutMillis) {
        int fd = handle.fd();
        int room = into.remaining();
        long deadline = FdHandle.deadline(timeoutMillis);
        while (true) {
            senderLength.putInt(0, SOCKADDR_NL_SIZE);
            // A zero-length peek with MSG_TRUNC returns the datagram's full size and who sent it, consuming nothing.
            long size = LibC.C.recvfrom(fd, null, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT, sender, senderLength);
            if (size < 0) {
                int errno = LibC.errno();
                if (errno == Errno.EAGAIN.number()) {
                    if (!handle.await(POLLIN, FdHandle.millisLeft(deadline, timeoutMillis), RECEIVE)) {
                        return 0;
                    }
                } else if (errno != Errno.EINTR.number()) {
                    throw LinuxException.of(errno, RECEIVE, handle.object());
                }
                continue;
            }
            if (sender.getInt(SOCKADDR_NL_PID) != 0) {
                LibC.C.recvfrom(fd, null, 0, MSG_DONTWAIT, null, null);
                continue;
            }
            if (size > room) {
                throw LinuxException.of(Errno.EMSGSIZE.number(), RECEIVE, handle.object(),
                        "the next datagram holds " + size + " bytes but the buffer has " + room
                                + " bytes left; it stays queued, receive again with a larger buffer");
            }
            ByteBuffer target = into.isDirect() ? into : staging(room);
            long received = LibC.C.recvfrom(fd, target, room, MSG_DONTWAIT, null, null);
            if (received < 0) {
                int errno = LibC.errno();
                if (errno == Errno.EINTR.number() || errno == Errno.EAGAIN.number()) {
                    continue;
                }
                throw LinuxException.of(errno, RECEIVE, handle.object());
            }
            if (target != into) {
                into.put(target.limit((int) received));
            } else {
                into.position(into.position() + (int) received);
            }
            return (int) received;
        }
    }

    /** Copies a heap message into the staging buffer, which is what the kernel then reads. */
    private ByteBuffer stage(ByteBuffer message) {
        ByteBuffer target = staging(message.remaining());
        target.put(message.duplicate()).flip();
        return target;
    }

    /** The staging buffer, cleared and grown to at least {@code size} bytes. */
    private ByteBuffer staging(int size) {
        if (staging.capacity() < size) {
            staging = NativeMemory.allocate(size);
        }
        staging.clear();
        return staging;
    }

    /** @return whether {@link #close()} has not been called yet */
    public boolean isOpen() {
        return handle.isOpen();
    }

    /** Closes the socket; later calls do nothing. Other methods throw {@link IllegalStateException} afterwards. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "RawNetlinkSocket[" + handle + "]";
    }
}
