package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.IOVEC_BASE;
import static dev.iov.linux.LinuxAbi.IOVEC_LEN;
import static dev.iov.linux.LinuxAbi.IOVEC_SIZE;
import static dev.iov.linux.LinuxAbi.MMSGHDR_LEN;
import static dev.iov.linux.LinuxAbi.MMSGHDR_SIZE;
import static dev.iov.linux.LinuxAbi.MSGHDR_FLAGS;
import static dev.iov.linux.LinuxAbi.MSGHDR_IOV;
import static dev.iov.linux.LinuxAbi.MSGHDR_IOVLEN;
import static dev.iov.linux.LinuxAbi.MSG_TRUNC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable batch of frames for {@link PacketSocket#receiveBatch} and {@link PacketSocket#sendBatch}: a fixed
 * number of preallocated direct frame buffers plus the {@code mmsghdr} and {@code iovec} arrays that
 * {@code recvmmsg}/{@code sendmmsg} read, all in native memory allocated once. Moving a batch allocates nothing.
 *
 * <p>Frame {@code i} is the buffer {@link #frame(int)}, a view of {@link #frameSize()} bytes of native memory.
 * <ul>
 *   <li>After a receive, frames {@code 0 .. count()-1} hold the received frames: position 0, limit the frame
 *       length. A frame longer than {@code frameSize} is cut to it and flagged {@link #isTruncated(int)}.</li>
 *   <li>To send, fill frames {@code 0 .. n-1} (each from its position to its limit, e.g. with {@link #add()}:
 *       clear, put, flip) and set the count to {@code n}. Sending does not move the buffers' positions, so the same
 *       batch can be sent again.</li>
 * </ul>
 *
 * <p>Buffers are in network byte order (big-endian, as Ethernet headers are). Not thread-safe. Memory is released
 * when the batch is garbage-collected.
 */
public final class FrameBatch {

    /** The most messages one {@code recvmmsg}/{@code sendmmsg} call takes ({@code UIO_MAXIOV}). */
    public static final int MAX_CAPACITY = 1024;
    /** The largest frame slot a batch offers, 64 KiB (more than any MTU, jumbo frames included). */
    public static final int MAX_FRAME_SIZE = 65536;

    private static final int ALIGNMENT = 64;

    private final int capacity;
    private final int frameSize;
    private final int stride;
    private final long dataAddress;
    private final ByteBuffer[] frames;
    private final boolean[] truncated;
    /** {@code struct mmsghdr[capacity]}; its position selects the first message a send call starts at. */
    private final ByteBuffer headers;
    private final ByteBuffer iovecs;
    private int count;

    private FrameBatch(int capacity, int frameSize) {
        this.capacity = capacity;
        this.frameSize = frameSize;
        // Cache-line aligned slots: the kernel copies whole frames and a slot never shares a line with the next.
        this.stride = (frameSize + ALIGNMENT - 1) & -ALIGNMENT;
        ByteBuffer data = ByteBuffer.allocateDirect(capacity * stride + ALIGNMENT).alignedSlice(ALIGNMENT);
        this.dataAddress = NativeMemory.address(data);
        this.frames = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            frames[i] = data.slice(i * stride, frameSize).order(ByteOrder.BIG_ENDIAN);
        }
        this.truncated = new boolean[capacity];
        this.headers = NativeMemory.allocate(capacity * MMSGHDR_SIZE);
        this.iovecs = NativeMemory.allocate(capacity * IOVEC_SIZE);
        long iovecsAddress = NativeMemory.address(iovecs);
        for (int i = 0; i < capacity; i++) {
            headers.putLong(i * MMSGHDR_SIZE + MSGHDR_IOV, iovecsAddress + (long) i * IOVEC_SIZE);
            headers.putLong(i * MMSGHDR_SIZE + MSGHDR_IOVLEN, 1);
        }
    }

    /**
     * Allocates a batch.
     *
     * @param capacity how many frames one call moves at most, 1–{@value #MAX_CAPACITY}
     * @param frameSize the bytes per frame slot, 1–{@value #MAX_FRAME_SIZE}; at least MTU + 14 (+ 4 per VLAN tag)
     *                  to receive without truncation
     * @return the batch, with count 0
     * @throws IllegalArgumentException if either is out of range
     */
    public static FrameBatch allocate(int capacity, int frameSize) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1-" + MAX_CAPACITY + ": " + capacity);
        }
        if (frameSize < 1 || frameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("frameSize must be 1-" + MAX_FRAME_SIZE + ": " + frameSize);
        }
        return new FrameBatch(capacity, frameSize);
    }

    /** @return the number of frame slots */
    public int capacity() {
        return capacity;
    }

    /** @return the bytes per frame slot */
    public int frameSize() {
        return frameSize;
    }

    /** @return the number of frames in the batch: received by the last receive, or to be sent */
    public int count() {
        return count;
    }

    /**
     * Sets how many frames, from frame 0, the next send moves.
     *
     * @param count 0–{@link #capacity()}
     * @throws IllegalArgumentException if out of range
     */
    public void count(int count) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count must be 0-" + capacity + ": " + count);
        }
        this.count = count;
    }

    /**
     * The buffer of frame slot {@code index}; the same object every time.
     *
     * @param index 0–{@code capacity()-1}
     * @return the slot's buffer (big-endian, capacity {@link #frameSize()})
     */
    public ByteBuffer frame(int index) {
        return frames[index];
    }

    /**
     * Appends a frame to send: returns the next slot's buffer, cleared, and increments the count. Fill it and
     * flip it.
     *
     * @return the slot's buffer, position 0, limit {@link #frameSize()}
     * @throws IllegalStateException if the batch is full
     */
    public ByteBuffer add() {
        if (count == capacity) {
            throw new IllegalStateException("batch is full (" + capacity + " frames)");
        }
        return frames[count++].clear();
    }

    /** Empties the batch (count 0); the slots' contents stay until overwritten. */
    public void clear() {
        count = 0;
    }

    /**
     * Whether received frame {@code index} was longer than {@link #frameSize()} and cut to it.
     *
     * @param index 0–{@code count()-1}
     * @return {@code true} if truncated
     */
    public boolean isTruncated(int index) {
        return truncated[index];
    }

    /** Points every message at its whole slot and returns the header array for {@code recvmmsg}. */
    ByteBuffer prepareReceive() {
        for (int i = 0; i < capacity; i++) {
            iovecs.putLong(i * IOVEC_SIZE + IOVEC_BASE, dataAddress + (long) i * stride);
            iovecs.putLong(i * IOVEC_SIZE + IOVEC_LEN, frameSize);
        }
        count = 0;
        return headers.position(0);
    }

    /**
     * Records what {@code recvmmsg} delivered: each frame's length into its buffer's limit, truncation flags.
     *
     * @param received how many messages the call returned
     */
    void completeReceive(int received) {
        for (int i = 0; i < received; i++) {
            int length = headers.getInt(i * MMSGHDR_SIZE + MMSGHDR_LEN);
            int flags = headers.getInt(i * MMSGHDR_SIZE + MSGHDR_FLAGS);
            truncated[i] = length > frameSize || (flags & MSG_TRUNC) != 0;
            frames[i].limit(Math.min(length, frameSize)).position(0);
        }
        count = received;
    }

    /** Points message {@code i} at frame {@code i}'s position..limit, for {@code i < count}. */
    void prepareSend() {
        for (int i = 0; i < count; i++) {
            ByteBuffer frame = frames[i];
            iovecs.putLong(i * IOVEC_SIZE + IOVEC_BASE, dataAddress + (long) i * stride + frame.position());
            iovecs.putLong(i * IOVEC_SIZE + IOVEC_LEN, frame.remaining());
        }
    }

    /**
     * The header array positioned at message {@code first}, so a send call can resume after a partial send.
     *
     * @param first the first message to send
     * @return the header buffer, position at that message
     */
    ByteBuffer headersFrom(int first) {
        return headers.position(first * MMSGHDR_SIZE);
    }

    @Override
    public String toString() {
        return "FrameBatch[" + count + "/" + capacity + " frames of " + frameSize + " bytes]";
    }
}
