package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.IFF_MULTI_QUEUE;
import static dev.iov.linux.LinuxAbi.IFF_NO_PI;
import static dev.iov.linux.LinuxAbi.IFF_PERSIST;
import static dev.iov.linux.LinuxAbi.IFF_TAP;
import static dev.iov.linux.LinuxAbi.IFF_TUN_EXCL;
import static dev.iov.linux.LinuxAbi.IFNAMSIZ;
import static dev.iov.linux.LinuxAbi.IFREQ_FLAGS;
import static dev.iov.linux.LinuxAbi.IFREQ_SIZE;
import static dev.iov.linux.LinuxAbi.IOVEC_BASE;
import static dev.iov.linux.LinuxAbi.IOVEC_LEN;
import static dev.iov.linux.LinuxAbi.IOVEC_SIZE;
import static dev.iov.linux.LinuxAbi.O_CLOEXEC;
import static dev.iov.linux.LinuxAbi.O_NONBLOCK;
import static dev.iov.linux.LinuxAbi.O_RDWR;
import static dev.iov.linux.LinuxAbi.POLLIN;
import static dev.iov.linux.LinuxAbi.POLLOUT;
import static dev.iov.linux.LinuxAbi.TUNGETIFF;
import static dev.iov.linux.LinuxAbi.TUNSETIFF;
import static dev.iov.linux.LinuxAbi.TUNSETPERSIST;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A TAP device: a virtual Ethernet interface whose frames this process reads and writes. What the kernel transmits
 * on the interface is {@link #read} here; what is written here with {@link #write}, the kernel receives on the
 * interface.
 *
 * <p>{@link #create} opens {@code /dev/net/tun} and attaches it with {@code TUNSETIFF} as
 * {@code IFF_TAP | IFF_NO_PI} (no packet-info header: the buffer holds exactly the Ethernet frame), adding
 * {@code IFF_MULTI_QUEUE} on request; with multi-queue, each further {@code create} of the same name attaches one
 * more queue. The device is not persistent: it disappears when its last queue is closed, unless
 * {@link #setPersistent} keeps it (then it stays, without carrier, until it is deleted or made non-persistent, and a
 * later process can {@link #attach} to it again). It is created down; bringing it up is a netlink operation. The
 * device lives in the network namespace of the thread that opened it; the overloads taking a
 * {@link NetworkNamespace} open it inside that namespace.
 *
 * <p>{@code TUNSETIFF} creates a device when none has the name and attaches to it otherwise, so the two intents are
 * separate methods here: {@link #createNew} never attaches to an existing device ({@code IFF_TUN_EXCL}), and
 * {@link #attach} never leaves a new device behind.
 *
 * <p>The descriptor is non-blocking, and {@link #read} tries the read first and only calls {@code poll} when no
 * frame is queued. Under load that is one system call per frame instead of two (poll, then read); the timeout still
 * applies when the queue is empty. Every read and write moves exactly one whole frame, directly between the
 * kernel and the caller's direct buffer, with no allocation.
 *
 * <p>A tun read returns at most the buffer's size and silently drops the rest of a longer frame. So {@link #read}
 * uses {@code readv} with a second, spill-over segment behind the caller's buffer: a frame that reaches into it
 * was too long, and is reported with its real length instead of being delivered cut.
 *
 * <p>Errors are {@link LinuxException}s naming the device. Not thread-safe: one thread at a time (a data-plane
 * port usually has one reader thread; writes from another thread need a multi-queue device with a queue each).
 */
public final class TapDevice implements AutoCloseable {

    private static final String CLONE_DEVICE = "/dev/net/tun";
    private static final int WRITE_RETRY_MILLIS = 1000;
    /** Longer than any tun frame (MTU at most 65535, plus Ethernet and VLAN headers). */
    private static final int SPILL_BYTES = 65536 + 256;

    private final FdHandle handle;
    private final String name;
    private final boolean multiQueue;
    /** Two {@code iovec}s for {@code readv}: the caller's buffer, then {@link #spill}. */
    private final ByteBuffer readVector = NativeMemory.allocate(2 * IOVEC_SIZE);
    /** One {@code iovec} for {@code writev} of a frame at an offset in a caller's buffer. */
    private final ByteBuffer writeVector = NativeMemory.allocate(IOVEC_SIZE);
    /** Receives the part of a frame that did not fit the caller's buffer; its content is never used. */
    private final ByteBuffer spill = NativeMemory.allocate(SPILL_BYTES);
    /** The last buffer read into and its address: data planes reuse their buffers, so this saves a JNI call. */
    private ByteBuffer lastBuffer;
    private long lastBufferAddress;

    private TapDevice(int fd, String name, boolean multiQueue) {
        this.handle = new FdHandle(fd, name);
        this.name = name;
        this.multiQueue = multiQueue;
        readVector.putLong(IOVEC_SIZE + IOVEC_BASE, NativeMemory.address(spill));
        readVector.putLong(IOVEC_SIZE + IOVEC_LEN, SPILL_BYTES);
    }

    /**
     * Creates (or, for multi-queue, attaches one more queue to) a TAP device in the caller's network namespace.
     *
     * @param name the interface name, 1–15 bytes; a {@code %d} in it lets the kernel pick a free number (see
     *             {@link #name()}); characters the kernel refuses ({@code /}, {@code :}, whitespace) give
     *             {@link InvalidArgumentException}
     * @param multiQueue whether to set {@code IFF_MULTI_QUEUE}
     * @return the open device
     * @throws IllegalArgumentException if the name is empty or longer than 15 bytes
     * @throws InvalidArgumentException if the kernel refuses the name, or a non-TAP device has it
     * @throws DeviceBusyException if a single-queue TAP of that name is already attached
     * @throws PermissionDeniedException without {@code CAP_NET_ADMIN}
     * @throws LinuxException for other failures, naming the device
     */
    public static TapDevice create(String name, boolean multiQueue) {
        return open(name, multiQueue, (short) 0, "create TAP (TUNSETIFF)");
    }

    /**
     * Creates a new TAP device in the caller's network namespace, refusing to attach to a device that has the name
     * already ({@code IFF_TUN_EXCL}): the device returned is one this call made.
     *
     * @param name the interface name, 1–15 bytes; a {@code %d} in it lets the kernel pick a free number
     * @param multiQueue whether to set {@code IFF_MULTI_QUEUE}
     * @return the open device
     * @throws IllegalArgumentException if the name is empty or longer than 15 bytes
     * @throws AlreadyExistsException naming the device if a network device of that name exists (of any kind)
     * @throws PermissionDeniedException without {@code CAP_NET_ADMIN}
     * @throws LinuxException for other failures, naming the device
     */
    public static TapDevice createNew(String name, boolean multiQueue) {
        try {
            return open(name, multiQueue, IFF_TUN_EXCL, "create new TAP (TUNSETIFF, IFF_TUN_EXCL)");
        } catch (DeviceBusyException exists) {
            // With IFF_TUN_EXCL the kernel answers EBUSY for "the name is taken" before it looks any further.
            throw LinuxException.of(Errno.EEXIST.number(), "create new TAP (TUNSETIFF, IFF_TUN_EXCL)", name,
                    "a network device of that name exists");
        }
    }

    /**
     * Like {@link #createNew(String, boolean)}, inside {@code namespace}.
     *
     * @param name the interface name
     * @param multiQueue whether to set {@code IFF_MULTI_QUEUE}
     * @param namespace an open namespace
     * @return the open device
     * @throws LinuxException as for {@link #createNew(String, boolean)}, or if the namespace cannot be entered
     */
    public static TapDevice createNew(String name, boolean multiQueue, NetworkNamespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return namespace.call(() -> createNew(name, multiQueue));
    }

    /**
     * Opens one more descriptor (queue) on an existing persistent TAP device in the caller's network namespace, for
     * example one a previous process made with {@link #setPersistent} before it stopped. Never leaves a device
     * behind that was not there: {@code TUNSETIFF} would create one when the name is free (a race with whoever
     * deleted it), so the device is checked with {@code TUNGETIFF} and a device that is not persistent is let go at
     * once (closing the only descriptor of a device this call created removes it).
     *
     * @param name the device's name
     * @param multiQueue whether the device is multi-queue (the kernel refuses a mismatch with {@code EINVAL})
     * @return the open device
     * @throws IllegalArgumentException if the name is empty or longer than 15 bytes
     * @throws NoSuchDeviceException naming the device if there is no persistent TAP of that name
     * @throws DeviceBusyException if a single-queue TAP of that name has a descriptor open already
     * @throws InvalidArgumentException if a network device of that name is not a TAP of this kind
     * @throws LinuxException for other failures, naming the device
     */
    public static TapDevice attach(String name, boolean multiQueue) {
        TapDevice tap = open(name, multiQueue, (short) 0, "attach to TAP (TUNSETIFF)");
        boolean persistent;
        try {
            persistent = tap.isPersistent();
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
        if (!persistent) {
            tap.close();
            throw LinuxException.of(Errno.ENODEV.number(), "attach to TAP (TUNSETIFF)", name,
                    "no persistent TAP of that name");
        }
        return tap;
    }

    /**
     * Like {@link #attach(String, boolean)}, inside {@code namespace}.
     *
     * @param name the device's name
     * @param multiQueue whether the device is multi-queue
     * @param namespace an open namespace
     * @return the open device
     * @throws LinuxException as for {@link #attach(String, boolean)}, or if the namespace cannot be entered
     */
    public static TapDevice attach(String name, boolean multiQueue, NetworkNamespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return namespace.call(() -> attach(name, multiQueue));
    }

    private static TapDevice open(String name, boolean multiQueue, short extraFlags, String operation) {
        byte[] nameBytes = requireName(name);
        int fd = LibC.C.open(CLONE_DEVICE, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            throw LinuxException.of(LibC.errno(), "open " + CLONE_DEVICE + " for TAP", name);
        }
        try {
            ByteBuffer request = NativeMemory.allocate(IFREQ_SIZE);
            request.put(0, nameBytes);
            short flags = (short) (IFF_TAP | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0) | extraFlags);
            request.putShort(IFREQ_FLAGS, flags);
            if (LibC.C.ioctl(fd, TUNSETIFF, request) < 0) {
                throw LinuxException.of(LibC.errno(), operation, name);
            }
            return new TapDevice(fd, readName(request), multiQueue);
        } catch (RuntimeException e) {
            FdHandle.closeQuietly(fd);
            throw e;
        }
    }

    /**
     * Creates a TAP device inside {@code namespace} (the descriptor is opened on a thread in the namespace; the
     * device lives there, the descriptor works from any thread).
     *
     * @param name the interface name, as for {@link #create(String, boolean)}
     * @param multiQueue whether to set {@code IFF_MULTI_QUEUE}
     * @param namespace an open namespace
     * @return the open device
     * @throws LinuxException as for {@link #create(String, boolean)}, or if the namespace cannot be entered
     */
    public static TapDevice create(String name, boolean multiQueue, NetworkNamespace namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return namespace.call(() -> create(name, multiQueue));
    }

    /**
     * Makes the device persistent ({@code TUNSETPERSIST} 1): it stays when its last descriptor is closed, so that it
     * survives this process, until it is deleted ({@code ip link del}) or made non-persistent again. With
     * {@code false}, the device disappears when its last descriptor is closed.
     *
     * @param persistent whether the device outlives its descriptors
     * @throws PermissionDeniedException without {@code CAP_NET_ADMIN}
     * @throws LinuxException for other failures, naming the device
     * @throws IllegalStateException if closed
     */
    public void setPersistent(boolean persistent) {
        if (LibC.C.ioctl(handle.fd(), TUNSETPERSIST, persistent ? 1L : 0L) < 0) {
            throw LinuxException.of(LibC.errno(),
                    "set TAP " + (persistent ? "" : "non-") + "persistent (TUNSETPERSIST)", name);
        }
    }

    /**
     * @return whether the device outlives its descriptors ({@code IFF_PERSIST} as {@code TUNGETIFF} reports it)
     * @throws LinuxException if the device cannot be asked, naming it
     * @throws IllegalStateException if closed
     */
    public boolean isPersistent() {
        ByteBuffer request = NativeMemory.allocate(IFREQ_SIZE);
        if (LibC.C.ioctl(handle.fd(), TUNGETIFF, request) < 0) {
            throw LinuxException.of(LibC.errno(), "read TAP flags (TUNGETIFF)", name);
        }
        return (request.getShort(IFREQ_FLAGS) & IFF_PERSIST) != 0;
    }

    /** @return the interface name the kernel gave the device (with any {@code %d} filled in) */
    public String name() {
        return name;
    }

    /** @return whether the device was created with {@code IFF_MULTI_QUEUE} */
    public boolean isMultiQueue() {
        return multiQueue;
    }

    /**
     * Reads one whole frame (what the kernel transmitted on the interface) into {@code into} at its position and
     * advances the position past it.
     *
     * @param into a direct buffer with room for the largest frame (MTU + 14, + 4 per VLAN tag)
     * @param timeoutMillis how long to wait when no frame is queued: 0 does not wait, negative waits without limit
     * @return the frame's length, or 0 if none arrived in time
     * @throws IllegalArgumentException if {@code into} is not direct
     * @throws LinuxException with operation {@code "TAP read"}: {@code EMSGSIZE} naming both sizes if the frame
     *         was larger than the space left (the frame is consumed: the kernel has no way to keep it)
     * @throws IllegalStateException if closed
     */
    public int read(ByteBuffer into, int timeoutMillis) {
        NativeMemory.requireDirect(into);
        int fd = handle.fd();
        int room = into.remaining();
        readVector.putLong(IOVEC_BASE, addressOf(into) + into.position());
        readVector.putLong(IOVEC_LEN, room);
        long deadline = FdHandle.deadline(timeoutMillis);
        while (true) {
            long length = LibC.C.readv(fd, readVector, 2);
            if (length >= 0) {
                if (length > room) {
                    throw LinuxException.of(Errno.EMSGSIZE.number(), "TAP read", name, "a frame of " + length
                            + " bytes arrived but the buffer had " + room + " bytes left; the frame was dropped");
                }
                into.position(into.position() + (int) length);
                return (int) length;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN.number()) {
                if (!handle.await(POLLIN, FdHandle.millisLeft(deadline, timeoutMillis), "TAP read")) {
                    return 0;
                }
            } else if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, "TAP read", name);
            }
        }
    }

    /**
     * Writes one whole frame (the kernel receives it on the interface) from {@code frame}'s position to its limit,
     * and advances the position to the limit.
     *
     * @param frame a direct buffer holding an Ethernet frame (destination MAC first, no FCS)
     * @throws IllegalArgumentException if {@code frame} is not direct
     * @throws LinuxException with operation {@code "TAP write"}, e.g. {@code EINVAL} for a frame shorter than an
     *         Ethernet header
     * @throws IllegalStateException if closed
     */
    public void write(ByteBuffer frame) {
        NativeMemory.requireDirect(frame);
        int fd = handle.fd();
        int length = frame.remaining();
        while (true) {
            long written = LibC.C.write(fd, frame, length);
            if (written >= 0) {
                frame.position(frame.limit());
                return;
            }
            int errno = LibC.errno();
            // A tun write only "would block" when the socket's send budget is exhausted, which takes a far slower
            // reader than the kernel; wait for room a bounded time rather than spin.
            if (errno == Errno.EAGAIN.number()) {
                if (!handle.await(POLLOUT, WRITE_RETRY_MILLIS, "TAP write")) {
                    throw LinuxException.of(errno, "TAP write", name, "no room for " + WRITE_RETRY_MILLIS + " ms");
                }
            } else if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, "TAP write", name);
            }
        }
    }

    /**
     * Reads one whole frame into {@code into[offset, offset + room)} if one is queued, without waiting and without
     * touching the buffer's position or limit: the data-plane read, for a caller that polls many devices (see
     * {@link Poller}) and reads into its own preallocated arena. Allocates nothing and throws nothing for a frame
     * that does not fit.
     *
     * @param into a direct buffer
     * @param offset where the frame's first byte goes
     * @param room the most bytes the frame may have
     * @return the frame's length; 0 when no frame is queued; -1 when a frame longer than {@code room} arrived (it is
     *         consumed and lost, the kernel has no way to keep it)
     * @throws IllegalArgumentException if {@code into} is not direct
     * @throws IndexOutOfBoundsException if the range is not within the buffer's capacity
     * @throws LinuxException with operation {@code "TAP read"} for other errors
     * @throws IllegalStateException if closed
     */
    public int tryRead(ByteBuffer into, int offset, int room) {
        NativeMemory.requireDirect(into);
        Objects.checkFromIndexSize(offset, room, into.capacity());
        int fd = handle.fd();
        readVector.putLong(IOVEC_BASE, NativeMemory.address(into) + offset);
        readVector.putLong(IOVEC_LEN, room);
        while (true) {
            long length = LibC.C.readv(fd, readVector, 2);
            if (length >= 0) {
                return length > room ? -1 : (int) length;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN.number()) {
                return 0;
            }
            if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, "TAP read", name);
            }
        }
    }

    /**
     * Writes one whole frame from {@code frame[offset, offset + length)} if the device can take it now, without
     * waiting and without touching the buffer's position or limit: the data-plane write, which counts a refusal
     * instead of stalling every other port. Allocates nothing.
     *
     * @param frame a direct buffer
     * @param offset the frame's first byte
     * @param length its length
     * @return {@code true} if the kernel took the frame; {@code false} if the write would block ({@code EAGAIN})
     * @throws IllegalArgumentException if {@code frame} is not direct
     * @throws IndexOutOfBoundsException if the range is not within the buffer's capacity
     * @throws LinuxException with operation {@code "TAP write"} for other errors (e.g. {@code EINVAL} for a frame
     *         shorter than an Ethernet header)
     * @throws IllegalStateException if closed
     */
    public boolean tryWrite(ByteBuffer frame, int offset, int length) {
        NativeMemory.requireDirect(frame);
        Objects.checkFromIndexSize(offset, length, frame.capacity());
        int fd = handle.fd();
        writeVector.putLong(IOVEC_BASE, NativeMemory.address(frame) + offset);
        writeVector.putLong(IOVEC_LEN, length);
        while (true) {
            if (LibC.C.writev(fd, writeVector, 1) >= 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN.number()) {
                return false;
            }
            if (errno != Errno.EINTR.number()) {
                throw LinuxException.of(errno, "TAP write", name);
            }
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

    /**
     * Detaches this queue; when it was the last one the device disappears. Later calls do nothing; other methods
     * throw {@link IllegalStateException} afterwards.
     */
    @Override
    public void close() {
        handle.close();
    }

    private long addressOf(ByteBuffer buffer) {
        if (buffer != lastBuffer) {
            lastBufferAddress = NativeMemory.address(buffer);
            lastBuffer = buffer;
        }
        return lastBufferAddress;
    }

    private static byte[] requireName(String name) {
        Objects.requireNonNull(name, "name");
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1-" + (IFNAMSIZ - 1) + " bytes: '" + name
                    + "'");
        }
        return bytes;
    }

    private static String readName(ByteBuffer request) {
        int length = 0;
        while (length < IFNAMSIZ && request.get(length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        request.get(0, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TapDevice[" + handle + (multiQueue ? ", multi-queue" : "") + "]";
    }
}
