package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.AF_PACKET;
import static dev.iov.linux.LinuxAbi.ETH_P_ALL;
import static dev.iov.linux.LinuxAbi.MSG_DONTWAIT;
import static dev.iov.linux.LinuxAbi.MSG_TRUNC;
import static dev.iov.linux.LinuxAbi.IOVEC_BASE;
import static dev.iov.linux.LinuxAbi.IOVEC_LEN;
import static dev.iov.linux.LinuxAbi.IOVEC_SIZE;
import static dev.iov.linux.LinuxAbi.MSGHDR_IOV;
import static dev.iov.linux.LinuxAbi.MSGHDR_IOVLEN;
import static dev.iov.linux.LinuxAbi.MSGHDR_SIZE;
import static dev.iov.linux.LinuxAbi.PACKET_AUXDATA;
import static dev.iov.linux.LinuxAbi.PACKET_IGNORE_OUTGOING;
import static dev.iov.linux.LinuxAbi.PACKET_VNET_HDR;
import static dev.iov.linux.LinuxAbi.POLLIN;
import static dev.iov.linux.LinuxAbi.SOCKADDR_LL_IFINDEX;
import static dev.iov.linux.LinuxAbi.SOCKADDR_LL_PROTOCOL;
import static dev.iov.linux.LinuxAbi.SOCKADDR_LL_SIZE;
import static dev.iov.linux.LinuxAbi.SOCK_CLOEXEC;
import static dev.iov.linux.LinuxAbi.SOCK_RAW;
import static dev.iov.linux.LinuxAbi.SOL_PACKET;
import static dev.iov.linux.LinuxAbi.SO_RCVBUF;
import static dev.iov.linux.LinuxAbi.SO_RCVBUFFORCE;
import static dev.iov.linux.LinuxAbi.SO_SNDBUF;
import static dev.iov.linux.LinuxAbi.SO_SNDBUFFORCE;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A raw {@code AF_PACKET} socket bound to one interface: it receives every frame the interface receives (all
 * EtherTypes, whatever the destination MAC) and sends whole Ethernet frames out of it. This is how the embedded
 * switch attaches to a veth or physical port.
 *
 * <p>The socket is created with protocol 0, which receives nothing, and only then bound to the interface's index
 * with {@code htons(ETH_P_ALL)}; created with {@code ETH_P_ALL} directly it would queue frames from every
 * interface in the namespace until the bind. {@code PACKET_IGNORE_OUTGOING} keeps the socket from seeing its own
 * sends (and every other frame the host transmits on the interface), which a switch port must not re-learn.
 *
 * <p>Batching uses {@code recvmmsg}/{@code sendmmsg} over a {@link FrameBatch}: one system call moves up to a
 * batch of frames through preallocated native buffers. That is the pick over a {@code PACKET_MMAP} ring for now,
 * because of what was measured (issue 4, 2 vCPUs, kernel 6.18): with batches of 32 the socket receives about
 * 0.7–1.1 M frames/s and sends about 0.6–0.7 M (single-frame calls: about 0.45–0.65 M), while a TAP device on the
 * same path, one frame per read or write, moves about 0.4–0.6 M frames/s; the packet socket is no longer the
 * bottleneck. A ring would add per-socket ring memory sized up front, block-retire timers that add
 * latency at low rates (TPACKET_V3), and frame ownership shared with the kernel, for a gain the port could not use.
 * It stays an option behind the same batch-style API if a profile ever shows this socket on top.
 *
 * <p>Opened with a virtio-net header ({@link #open(String, boolean)}, {@code PACKET_VNET_HDR}), the socket moves
 * offloaded frames as they are inside the kernel instead of as they would be on a wire: a received frame comes with
 * a {@link VirtioNetHeader} saying whether its checksum is still partial and whether it is a segmentation-offload
 * super-frame (up to 64 KiB, for example a TCP sender's TSO frame over a veth), and a sent frame carries one that
 * the kernel honours (the peer gets a super-frame with a partial checksum, segmented or checksummed only where a
 * real NIC or a checker needs it). One system call then moves up to 64 KiB instead of one MTU, and the senders may
 * keep their checksum offload on, which a socket without the header cannot serve: it would hand over frames whose
 * checksum nobody finishes. Batches for such a socket are made with
 * {@link FrameBatch#allocate(int, int, int, boolean)}; single-frame calls carry the header as the first
 * {@value VirtioNetHeader#LENGTH} bytes of their buffer.
 *
 * <p>Receives try the socket first and {@code poll} only when it is empty (one system call per frame or batch under
 * load). Sends block while the socket's send buffer is full, which is the back-pressure a data plane wants. A frame
 * the interface's queue drops ({@code ENOBUFS}) is reported by the return value, not by an exception, so an
 * overloaded port does not pay for stack traces. Errors are {@link LinuxException}s naming the interface.
 * Frame buffers must be direct. Not thread-safe: one thread at a time (a receive thread and a send thread need a
 * socket each).
 */
public final class PacketSocket implements AutoCloseable {

    private static final int SOCKET_BUFFER_BYTES = 4 << 20;
    private static final String OPEN = "open packet socket";
    private static final String SEND = "packet send";
    private static final String RECEIVE = "packet receive";

    private final FdHandle handle;
    private final String interfaceName;
    private final int interfaceIndex;
    private final boolean vnetHeader;
    /** A {@code msghdr} and its one {@code iovec}, for {@link #trySend}. */
    private final ByteBuffer sendMessage = NativeMemory.allocate(MSGHDR_SIZE + IOVEC_SIZE);
    /** A {@code msghdr} and two {@code iovec}s (virtio-net header, frame), for the header-taking {@code trySend}. */
    private final ByteBuffer sendWithHeader = NativeMemory.allocate(MSGHDR_SIZE + 2 * IOVEC_SIZE);

    private PacketSocket(int fd, String interfaceName, int interfaceIndex, boolean vnetHeader) {
        this.handle = new FdHandle(fd, interfaceName);
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.vnetHeader = vnetHeader;
        sendMessage.putLong(MSGHDR_IOV, NativeMemory.address(sendMessage) + MSGHDR_SIZE);
        sendMessage.putLong(MSGHDR_IOVLEN, 1);
        sendWithHeader.putLong(MSGHDR_IOV, NativeMemory.address(sendWithHeader) + MSGHDR_SIZE);
        sendWithHeader.putLong(MSGHDR_IOVLEN, 2);
        sendWithHeader.putLong(MSGHDR_SIZE + IOVEC_LEN, VirtioNetHeader.LENGTH);
    }

    /**
     * Opens a packet socket on an interface of the caller's network namespace.
     *
     * @param interfaceName the interface, e.g. {@code veth0}
     * @return the bound socket
     * @throws NoSuchDeviceException naming the interface if it does not exist
     * @throws PermissionDeniedException without {@code CAP_NET_RAW}
     * @throws LinuxException for other failures
     */
    public static PacketSocket open(String interfaceName) {
        return open(interfaceName, false);
    }

    /**
     * Opens a packet socket on an interface of the caller's network namespace, with or without virtio-net headers
     * (see the class comment).
     *
     * @param interfaceName the interface, e.g. {@code veth0}
     * @param vnetHeader whether every frame read or written is preceded by a {@link VirtioNetHeader}
     * @return the bound socket
     * @throws NoSuchDeviceException naming the interface if it does not exist
     * @throws PermissionDeniedException without {@code CAP_NET_RAW}
     * @throws LinuxException for other failures
     */
    public static PacketSocket open(String interfaceName, boolean vnetHeader) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.isEmpty()) {
            throw new IllegalArgumentException("empty interface name");
        }
        int index = LibC.C.if_nametoindex(interfaceName);
        if (index == 0) {
            int errno = LibC.errno();
            throw LinuxException.of(errno == 0 ? Errno.ENODEV.number() : errno, OPEN, interfaceName);
        }
        int fd = LibC.C.socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw LinuxException.of(LibC.errno(), OPEN, interfaceName);
        }
        try {
            SocketOptions.setInt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, OPEN, interfaceName);
            // The kernel strips a received frame's VLAN tag into packet metadata before packet sockets see it;
            // auxdata hands the tag back, so a batch with headroom can restore it (see FrameBatch).
            SocketOptions.setInt(fd, SOL_PACKET, PACKET_AUXDATA, 1, OPEN, interfaceName);
            if (vnetHeader) {
                SocketOptions.setInt(fd, SOL_PACKET, PACKET_VNET_HDR, 1, OPEN, interfaceName);
            }
            SocketOptions.setBufferSize(fd, SO_RCVBUFFORCE, SO_RCVBUF, SOCKET_BUFFER_BYTES, OPEN, interfaceName);
            SocketOptions.setBufferSize(fd, SO_SNDBUFFORCE, SO_SNDBUF, SOCKET_BUFFER_BYTES, OPEN, interfaceName);
            ByteBuffer address = NativeMemory.allocate(SOCKADDR_LL_SIZE);
            address.putShort(0, (short) AF_PACKET);
            // sll_protocol is in network byte order whatever the platform's order is.
            address.put(SOCKADDR_LL_PROTOCOL, (byte) (ETH_P_ALL >>> 8));
            address.put(SOCKADDR_LL_PROTOCOL + 1, (byte) ETH_P_ALL);
            address.putInt(SOCKADDR_LL_IFINDEX, index);
            if (LibC.C.bind(fd, address, SOCKADDR_LL_SIZE) < 0) {
                throw LinuxException.of(LibC.errno(), "bind packet socket", interfaceName);
            }
            return new PacketSocket(fd, interfaceName, index, vnetHeader);
        } catch (RuntimeException e) {
            FdHandle.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Opens a packet socket on an interface inside {@code namespace} (the interface is looked up, and the socket
     * created, on a thread in the namespace; the socket then works from any thread).
     *
     * @param interfaceName the interface in that namespace
     * @param namespace an open namespace
     * @return the bound socket
     * @throws NoSuchDeviceException naming the interface if the namespace has no such interface
     * @throws LinuxException for other failures
     */
    public static PacketSocket open(String interfaceName, NetworkNamespace namespace) {
        return open(interfaceName, false, namespace);
    }

    /**
     * Opens a packet socket, with or without virtio-net headers, on an interface inside {@code namespace}.
     *
     * @param interfaceName the interface in that namespace
     * @param vnetHeader whether every frame read or written is preceded by a {@link VirtioNetHeader}
     * @param namespace an open namespace
     * @return the bound socket
     * @throws NoSuchDeviceException naming the interface if the namespace has no such interface
     * @throws LinuxException for other failures
     */
    public static PacketSocket open(String interfaceName, boolean vnetHeader, NetworkNamespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return namespace.call(() -> open(interfaceName, vnetHeader));
    }

    /** @return whether frames carry a {@link VirtioNetHeader} ({@code PACKET_VNET_HDR}) */
    public boolean hasVnetHeader() {
        return vnetHeader;
    }

    /** @return the interface name the socket is bound to */
    public String interfaceName() {
        return interfaceName;
    }

    /** @return the interface index the socket is bound to (in its namespace) */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /**
     * Receives one frame into {@code into} at its position and advances the position past it.
     *
     * @param into a direct buffer with room for the largest frame (MTU + 14, + 4 per VLAN tag)
     * @param timeoutMillis how long to wait when no frame is queued: 0 does not wait, negative waits without limit
     * @return the frame's length, or 0 if none arrived in time
     * @throws LinuxException with operation {@code "packet receive"}: {@code EMSGSIZE} naming both sizes if the
     *         frame was larger than the space left (the frame is consumed); {@code ENETDOWN} once after the
     *         interface went down
     * @throws IllegalArgumentException if {@code into} is not direct
     * @throws IllegalStateException if closed
     */
    public int receive(ByteBuffer into, int timeoutMillis) {
        NativeMemory.requireDirect(into);
        int fd = handle.fd();
        int room = into.remaining();
        long deadline = FdHandle.deadline(timeoutMillis);
        while (true) {
            // MSG_TRUNC makes the call return the frame's real length, so a cut frame is detected.
            long length = LibC.C.recvfrom(fd, into, room, MSG_DONTWAIT | MSG_TRUNC, null, null);
            if (length >= 0) {
                if (length > room) {
                    throw LinuxException.of(Errno.EMSGSIZE.number(), RECEIVE, interfaceName, "a frame of " + length
                            + " bytes arrived but the buffer had " + room + " bytes left; the frame was dropped");
                }
                into.position(into.position() + (int) length);
                return (int) length;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN.number()) {
                if (!handle.await(POLLIN, FdHandle.millisLeft(deadline, timeoutMillis), RECEIVE)) {
                    return 0;
                }
            } else if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, RECEIVE, interfaceName);
            }
        }
    }

    /**
     * Sends one frame, from {@code frame}'s position to its limit, out of the interface, and advances the position
     * to the limit.
     *
     * @param frame a direct buffer holding a whole Ethernet frame (destination MAC first, no FCS)
     * @return {@code true} if the interface took the frame; {@code false} if its queue dropped it ({@code ENOBUFS});
     *         the position is then left unchanged
     * @throws LinuxException with operation {@code "packet send"}, e.g. {@code ENETDOWN} if the interface is
     *         down, {@code EMSGSIZE} if the frame exceeds the MTU
     * @throws IllegalArgumentException if {@code frame} is not direct
     * @throws IllegalStateException if closed
     */
    public boolean send(ByteBuffer frame) {
        NativeMemory.requireDirect(frame);
        int fd = handle.fd();
        while (true) {
            long sent = LibC.C.sendto(fd, frame, frame.remaining(), 0, null, 0);
            if (sent >= 0) {
                frame.position(frame.limit());
                return true;
            }
            int errno = LibC.errno();
            if (errno == Errno.ENOBUFS.number()) {
                return false;
            }
            if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, SEND, interfaceName);
            }
        }
    }

    /**
     * Receives up to {@code batch.capacity()} frames with one {@code recvmmsg} call: whatever is queued, without
     * waiting for the batch to fill. When nothing is queued, waits up to {@code timeoutMillis} for the first frame.
     * Frames longer than the batch's frame size are cut and flagged ({@link FrameBatch#isTruncated}).
     *
     * @param batch the batch to fill; its count becomes the number received
     * @param timeoutMillis how long to wait when no frame is queued: 0 does not wait, negative waits without limit
     * @return the number of frames received, or 0 if none arrived in time
     * @throws LinuxException with operation {@code "packet receive"}
     * @throws IllegalStateException if closed
     */
    public int receiveBatch(FrameBatch batch, int timeoutMillis) {
        requireMatching(batch);
        int fd = handle.fd();
        ByteBuffer headers = batch.prepareReceive();
        long deadline = FdHandle.deadline(timeoutMillis);
        while (true) {
            int received = LibC.C.recvmmsg(fd, headers, batch.capacity(), MSG_DONTWAIT | MSG_TRUNC, null);
            if (received >= 0) {
                batch.completeReceive(received);
                return received;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN.number()) {
                if (!handle.await(POLLIN, FdHandle.millisLeft(deadline, timeoutMillis), RECEIVE)) {
                    return 0;
                }
            } else if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, RECEIVE, interfaceName);
            }
        }
    }

    /**
     * Sends frames {@code 0 .. batch.count()-1} (each from its position to its limit) with as few {@code sendmmsg}
     * calls as the kernel allows. The frames' positions are not moved, so the batch can be sent again.
     *
     * @param batch the frames to send
     * @return how many frames the interface took; frames its queue dropped ({@code ENOBUFS}) are skipped and not
     *         counted
     * @throws LinuxException with operation {@code "packet send"} for any other error; its message says how many
     *         frames were sent before it
     * @throws IllegalStateException if closed
     */
    public int sendBatch(FrameBatch batch) {
        requireMatching(batch);
        int fd = handle.fd();
        int count = batch.count();
        batch.prepareSend();
        int done = 0;
        int accepted = 0;
        while (done < count) {
            int sent = LibC.C.sendmmsg(fd, batch.headersFrom(done), count - done, 0);
            if (sent > 0) {
                done += sent;
                accepted += sent;
                continue;
            }
            int errno = LibC.errno();
            if (errno == Errno.ENOBUFS.number()) {
                done++;
            } else if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, SEND, interfaceName,
                        "frame " + done + " of " + count + "; the frames before it were sent");
            }
        }
        return accepted;
    }

    /**
     * Sends one frame from {@code frame[offset, offset + length)} if the socket can take it now, without waiting and
     * without touching the buffer's position or limit: the data-plane send, which counts a refusal instead of
     * stalling every other port. Allocates nothing.
     *
     * @param frame a direct buffer
     * @param offset the frame's first byte
     * @param length its length
     * @return {@code true} if the interface took the frame; {@code false} if the send would block (send buffer
     *         full, {@code EAGAIN}) or the interface's queue dropped it ({@code ENOBUFS})
     * @throws IllegalArgumentException if {@code frame} is not direct
     * @throws IndexOutOfBoundsException if the range is not within the buffer's capacity
     * @throws LinuxException with operation {@code "packet send"} for other errors ({@code ENETDOWN},
     *         {@code EMSGSIZE})
     * @throws IllegalStateException if closed
     */
    public boolean trySend(ByteBuffer frame, int offset, int length) {
        NativeMemory.requireDirect(frame);
        Objects.checkFromIndexSize(offset, length, frame.capacity());
        int fd = handle.fd();
        sendMessage.putLong(MSGHDR_SIZE + IOVEC_BASE, NativeMemory.address(frame) + offset);
        sendMessage.putLong(MSGHDR_SIZE + IOVEC_LEN, length);
        while (true) {
            if (LibC.C.sendmsg(fd, sendMessage, MSG_DONTWAIT) >= 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN.number() || errno == Errno.ENOBUFS.number()) {
                return false;
            }
            if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, SEND, interfaceName);
            }
        }
    }

    /**
     * Sends one frame with its virtio-net header, like {@link #trySend(ByteBuffer, int, int)}: the header is the
     * {@value VirtioNetHeader#LENGTH} bytes at {@code header[headerOffset]}, the frame is
     * {@code frame[offset, offset + length)}, both sent in one message. Allocates nothing.
     *
     * @param header a direct buffer holding the header
     * @param headerOffset the header's first byte
     * @param frame a direct buffer
     * @param offset the frame's first byte
     * @param length its length
     * @return {@code true} if the interface took the frame; {@code false} if the send would block or its queue
     *         dropped it
     * @throws LinuxException with operation {@code "packet send"}, e.g. {@code EINVAL} when the kernel refuses the
     *         header (a checksum offset outside the frame, a GSO type it does not know)
     * @throws IllegalStateException if the socket was opened without virtio-net headers, or is closed
     * @throws IllegalArgumentException if a buffer is not direct
     * @throws IndexOutOfBoundsException if a range is not within its buffer's capacity
     */
    public boolean trySend(ByteBuffer header, int headerOffset, ByteBuffer frame, int offset, int length) {
        if (!vnetHeader) {
            throw new IllegalStateException("packet socket on " + interfaceName + " has no virtio-net headers");
        }
        NativeMemory.requireDirect(header);
        NativeMemory.requireDirect(frame);
        Objects.checkFromIndexSize(headerOffset, VirtioNetHeader.LENGTH, header.capacity());
        Objects.checkFromIndexSize(offset, length, frame.capacity());
        int fd = handle.fd();
        sendWithHeader.putLong(MSGHDR_SIZE + IOVEC_BASE, NativeMemory.address(header) + headerOffset);
        sendWithHeader.putLong(MSGHDR_SIZE + IOVEC_SIZE + IOVEC_BASE, NativeMemory.address(frame) + offset);
        sendWithHeader.putLong(MSGHDR_SIZE + IOVEC_SIZE + IOVEC_LEN, length);
        while (true) {
            if (LibC.C.sendmsg(fd, sendWithHeader, MSG_DONTWAIT) >= 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN.number() || errno == Errno.ENOBUFS.number()) {
                return false;
            }
            if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, SEND, interfaceName);
            }
        }
    }

    private void requireMatching(FrameBatch batch) {
        if (batch.hasVnetHeader() != vnetHeader) {
            throw new IllegalArgumentException("packet socket on " + interfaceName
                    + (vnetHeader ? " has" : " has no") + " virtio-net headers but the batch "
                    + (batch.hasVnetHeader() ? "has" : "has none"));
        }
    }

    /** @return the descriptor, for {@link Poller} */
    int descriptor() {
        return handle.fd();
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
        return "PacketSocket[" + handle + ", ifindex " + interfaceIndex + "]";
    }
}
