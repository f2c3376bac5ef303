package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.EFD_CLOEXEC;
import static dev.iov.linux.LinuxAbi.EFD_NONBLOCK;
import static dev.iov.linux.LinuxAbi.POLLERR;
import static dev.iov.linux.LinuxAbi.POLLFD_EVENTS;
import static dev.iov.linux.LinuxAbi.POLLFD_REVENTS;
import static dev.iov.linux.LinuxAbi.POLLFD_SIZE;
import static dev.iov.linux.LinuxAbi.POLLHUP;
import static dev.iov.linux.LinuxAbi.POLLIN;
import static dev.iov.linux.LinuxAbi.POLLNVAL;

import java.nio.ByteBuffer;

/**
 * Waits for any of many TAP devices and packet sockets to have a frame, with one {@code poll} call, and can be woken
 * from another thread: the event loop of a data-plane thread that owns several ports. A data plane registers its
 * ports in slots, {@link #poll}s, reads every {@link #isReady ready} slot until it is drained, and repeats; another
 * thread that queued work for it calls {@link #wakeup()} so the work does not wait for traffic.
 *
 * <p>The wake-up is an {@code eventfd} in an internal slot: {@link #wakeup()} adds 1 to it, and {@link #poll}
 * drains it and does not count it as ready. Polling allocates nothing; the {@code pollfd} array is native memory
 * allocated once.
 *
 * <p>A registered handle must be {@link #unregister unregistered} before it is closed: the kernel reuses descriptor
 * numbers. {@link #register}, {@link #unregister}, {@link #poll} and {@link #isReady} belong to one thread (the
 * owner); {@link #wakeup()} may be called from any thread, {@link #close()} once the owner has stopped polling.
 */
public final class Poller implements AutoCloseable {

    /** The most handles one poller watches. */
    public static final int MAX_SLOTS = 1024;

    private static final String WAKE = "poller wake-up (eventfd)";
    private static final short READY_EVENTS = POLLIN | POLLERR | POLLHUP | POLLNVAL;

    private final int slots;
    /** {@code struct pollfd[slots + 1]}: the eventfd at index 0, slot {@code s} at index {@code s + 1}. */
    private final ByteBuffer pollFds;
    private final ByteBuffer counter = NativeMemory.allocate(Long.BYTES);
    private final ByteBuffer wakeValue = NativeMemory.allocate(Long.BYTES).putLong(0, 1L);
    /** Guarded by {@code this}: written by close, read by wakeup, so a wake-up never hits a reused descriptor. */
    private int eventFd;
    private int used;

    private Poller(int slots, int eventFd) {
        this.slots = slots;
        this.eventFd = eventFd;
        this.pollFds = NativeMemory.allocate((slots + 1) * POLLFD_SIZE);
        for (int i = 0; i <= slots; i++) {
            pollFds.putInt(i * POLLFD_SIZE, -1);
        }
        pollFds.putInt(0, eventFd);
        pollFds.putShort(POLLFD_EVENTS, POLLIN);
    }

    /**
     * Creates a poller with its wake-up {@code eventfd}.
     *
     * @param slots how many handles it can watch, 1–{@value #MAX_SLOTS}
     * @return the poller
     * @throws IllegalArgumentException if {@code slots} is out of range
     * @throws LinuxException if the eventfd cannot be created
     */
    public static Poller open(int slots) {
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new IllegalArgumentException("slots must be 1-" + MAX_SLOTS + ": " + slots);
        }
        int fd = LibC.C.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) {
            throw LinuxException.of(LibC.errno(), "create", WAKE);
        }
        return new Poller(slots, fd);
    }

    /** @return how many handles it can watch */
    public int slots() {
        return slots;
    }

    /**
     * Watches a TAP device for received frames in a free slot.
     *
     * @param tap an open device
     * @return the slot, 0 to {@link #slots()} - 1
     * @throws IllegalStateException if every slot is taken, or the device or poller is closed
     */
    public int register(TapDevice tap) {
        return register(tap.descriptor());
    }

    /**
     * Watches a packet socket for received frames in a free slot.
     *
     * @param socket an open socket
     * @return the slot, 0 to {@link #slots()} - 1
     * @throws IllegalStateException if every slot is taken, or the socket or poller is closed
     */
    public int register(PacketSocket socket) {
        return register(socket.descriptor());
    }

    private int register(int fd) {
        requireOpen();
        for (int slot = 0; slot < slots; slot++) {
            int at = (slot + 1) * POLLFD_SIZE;
            if (pollFds.getInt(at) < 0) {
                pollFds.putInt(at, fd);
                pollFds.putShort(at + POLLFD_EVENTS, POLLIN);
                pollFds.putShort(at + POLLFD_REVENTS, (short) 0);
                used = Math.max(used, slot + 1);
                return slot;
            }
        }
        throw new IllegalStateException("all " + slots + " poller slots are taken");
    }

    /**
     * Stops watching a slot; unregistering a free slot does nothing.
     *
     * @param slot a slot from {@code register}
     * @throws IllegalArgumentException if out of range
     */
    public void unregister(int slot) {
        checkSlot(slot);
        int at = (slot + 1) * POLLFD_SIZE;
        pollFds.putInt(at, -1);
        pollFds.putShort(at + POLLFD_REVENTS, (short) 0);
        while (used > 0 && pollFds.getInt(used * POLLFD_SIZE) < 0) {
            used--;
        }
    }

    /**
     * Waits until a watched handle has a frame (or an error to report), a {@link #wakeup()} arrives, or the timeout
     * passes; wake-ups are consumed. Interrupted by a signal, it returns 0 (the caller loops anyway).
     *
     * @param timeoutMillis 0 returns at once, negative waits without limit
     * @return how many slots are ready (see {@link #isReady}); 0 after a wake-up, a signal or the timeout
     * @throws LinuxException for a failure of {@code poll} itself
     */
    public int poll(int timeoutMillis) {
        int ready = LibC.C.poll(pollFds, used + 1, timeoutMillis);
        if (ready < 0) {
            int errno = LibC.errno();
            if (errno == Errno.EINTR.number()) {
                return 0;
            }
            throw LinuxException.of(errno, "poll", WAKE);
        }
        if (ready > 0 && (pollFds.getShort(POLLFD_REVENTS) & READY_EVENTS) != 0) {
            ready--;
            LibC.C.read(pollFds.getInt(0), counter, Long.BYTES);
        }
        return ready;
    }

    /**
     * @param slot a slot
     * @return whether the last {@link #poll} found it readable or with an error or hang-up pending (the next read on
     *         the handle reports the error)
     */
    public boolean isReady(int slot) {
        return (pollFds.getShort((slot + 1) * POLLFD_SIZE + POLLFD_REVENTS) & READY_EVENTS) != 0;
    }

    /**
     * Makes a {@link #poll} in progress, or the next one, return at once. Any thread; does nothing once closed.
     */
    public synchronized void wakeup() {
        if (eventFd >= 0) {
            // Only fails with EAGAIN when the counter is near 2^64, and then a wake-up is pending anyway.
            LibC.C.write(eventFd, wakeValue, Long.BYTES);
        }
    }

    /** Closes the wake-up descriptor (the watched handles are not closed); later calls do nothing. */
    @Override
    public synchronized void close() {
        if (eventFd >= 0) {
            FdHandle.closeQuietly(eventFd);
            eventFd = -1;
        }
    }

    private synchronized void requireOpen() {
        if (eventFd < 0) {
            throw new IllegalStateException("poller is closed");
        }
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= slots) {
            throw new IllegalArgumentException("slot " + slot + " is out of range 0-" + (slots - 1));
        }
    }

    @Override
    public String toString() {
        return "Poller[" + used + "/" + slots + " slots]";
    }
}
