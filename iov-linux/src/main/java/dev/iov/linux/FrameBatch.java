package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.AUXDATA_SIZE;
import static dev.iov.linux.LinuxAbi.AUXDATA_STATUS;
import static dev.iov.linux.LinuxAbi.AUXDATA_VLAN_TCI;
import static dev.iov.linux.LinuxAbi.AUXDATA_VLAN_TPID;
import static dev.iov.linux.LinuxAbi.CMSGHDR_SIZE;
import static dev.iov.linux.LinuxAbi.CMSG_LEVEL;
import static dev.iov.linux.LinuxAbi.CMSG_TYPE;
import static dev.iov.linux.LinuxAbi.IOVEC_BASE;
import static dev.iov.linux.LinuxAbi.IOVEC_LEN;
import static dev.iov.linux.LinuxAbi.IOVEC_SIZE;
import static dev.iov.linux.LinuxAbi.MMSGHDR_LEN;
import static dev.iov.linux.LinuxAbi.MMSGHDR_SIZE;
import static dev.iov.linux.LinuxAbi.MSGHDR_CONTROL;
import static dev.iov.linux.LinuxAbi.MSGHDR_CONTROLLEN;
import static dev.iov.linux.LinuxAbi.MSGHDR_FLAGS;
import static dev.iov.linux.LinuxAbi.MSGHDR_IOV;
import static dev.iov.linux.LinuxAbi.MSGHDR_IOVLEN;
import static dev.iov.linux.LinuxAbi.MSG_TRUNC;
import static dev.iov.linux.LinuxAbi.PACKET_AUXDATA;
import static dev.iov.linux.LinuxAbi.SOL_PACKET;
import static dev.iov.linux.LinuxAbi.TP_STATUS_VLAN_TPID_VALID;
import static dev.iov.linux.LinuxAbi.TP_STATUS_VLAN_VALID;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable batch of frames for {@link PacketSocket#receiveBatch} and {@link PacketSocket#sendBatch}: a fixed
 * number of preallocated direct frame buffers plus the {@code mmsghdr} and {@code iovec} arrays that
 * {@code recvmmsg}/{@code sendmmsg} read, all in native memory allocated once. Moving a batch allocates nothing.
 *
 * <p>Frame {@code i} is the buffer {@link #frame(int)}, a view of {@link #headroom()} + {@link #frameSize()} bytes
 * of native memory.
 * <ul>
 *   <li>After a receive, frames {@code 0 .. count()-1} hold the received frames from position to limit: position
 *       {@link #headroom()} (4 less when a VLAN tag was restored; 0 without headroom), limit the frame's end. A frame longer than {@code frameSize} is cut to it and flagged {@link #isTruncated(int)}.</li>
 *   <li>To send, fill frames {@code 0 .. n-1} (each from its position to its limit, e.g. with {@link #add()}:
 *       clear, put, flip) and set the count to {@code n}. Sending does not move the buffers' positions, so the same
 *       batch can be sent again.</li>
 * </ul>
 *
 * <p>A batch may reserve {@link #headroom()} bytes before each frame, for a data plane that pushes a VLAN tag in
 * place. With at least {@value #VLAN_TAG_LENGTH} bytes of headroom a receive also gives back the VLAN tag that the
 * kernel strips from received frames before packet sockets see them (it is passed as {@code PACKET_AUXDATA}): the
 * tag is put back in front of the EtherType, using 4 bytes of the headroom, so the frame reads as it was on the
 * wire. Without headroom the tag stays lost, as before.
 *
 * <p>A batch made with a virtio-net header ({@link #allocate(int, int, int, boolean)}) is for a packet socket opened
 * with one ({@link PacketSocket#open(String, boolean)}): each frame then has its {@link VirtioNetHeader} beside it,
 * in {@link #vnetHeaders()} at {@link #vnetHeaderAt(int)}, never inside the frame slot, so the frame still starts
 * at its position and a restored VLAN tag still fits in the headroom. A receive fills the headers (shifted when a
 * VLAN tag is put back, so {@code csum_start} counts from the frame as the batch presents it); a send sends each
 * frame's header in front of it, in the same message.
 *
 * <p>Buffers are in network byte order (big-endian, as Ethernet headers are). Not thread-safe. Memory is released
 * when the batch is garbage-collected.
 */
public final class FrameBatch {

    /** The most messages one {@code recvmmsg}/{@code sendmmsg} call takes ({@code UIO_MAXIOV}). */
    public static final int MAX_CAPACITY = 1024;
    /**
     * The largest frame slot a batch offers: 64 KiB plus 256 bytes, so that a segmentation-offload super-frame
     * (an IP packet of up to 65535 bytes, its Ethernet header and tags) fits whole.
     */
    public static final int MAX_FRAME_SIZE = 65536 + 256;

    /** The bytes of one 802.1Q or 802.1ad tag. */
    public static final int VLAN_TAG_LENGTH = 4;

    private static final int ALIGNMENT = 64;
    /** A control buffer per message: cmsghdr plus tpacket_auxdata, rounded to 8. */
    private static final int CONTROL_SIZE = (CMSGHDR_SIZE + AUXDATA_SIZE + 7) & -8;
    private static final int ETHER_ADDRESSES = 12;

    private final int capacity;
    private final int frameSize;
    private final int headroom;
    private final int stride;
    private final long dataAddress;
    private final ByteBuffer[] frames;
    private final boolean[] truncated;
    /** {@code struct mmsghdr[capacity]}; its position selects the first message a send call starts at. */
    private final ByteBuffer headers;
    private final ByteBuffer iovecs;
    /** {@code iovec}s per message: the frame, or its virtio-net header and the frame. */
    private final int iovecsPerMessage;
    /** Per-message virtio-net headers; null without. */
    private final ByteBuffer vnetHeaders;
    /** Per-message control buffers for the VLAN auxdata; null without enough headroom. */
    private final ByteBuffer controls;
    private int count;

    private FrameBatch(int capacity, int frameSize, int headroom, boolean vnetHeader) {
        this.capacity = capacity;
        this.frameSize = frameSize;
        this.headroom = headroom;
        // Cache-line aligned slots: the kernel copies whole frames and a slot never shares a line with the next.
        this.stride = (headroom + frameSize + ALIGNMENT - 1) & -ALIGNMENT;
        ByteBuffer data = ByteBuffer.allocateDirect(capacity * stride + ALIGNMENT).alignedSlice(ALIGNMENT);
        this.dataAddress = NativeMemory.address(data);
        this.frames = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            frames[i] = data.slice(i * stride, headroom + frameSize).order(ByteOrder.BIG_ENDIAN).position(headroom);
        }
        this.controls = headroom >= VLAN_TAG_LENGTH ? NativeMemory.allocate(capacity * CONTROL_SIZE) : null;
        this.truncated = new boolean[capacity];
        this.headers = NativeMemory.allocate(capacity * MMSGHDR_SIZE);
        this.iovecsPerMessage = vnetHeader ? 2 : 1;
        this.iovecs = NativeMemory.allocate(capacity * iovecsPerMessage * IOVEC_SIZE);
        this.vnetHeaders = vnetHeader ? NativeMemory.allocate(capacity * VirtioNetHeader.LENGTH) : null;
        long iovecsAddress = NativeMemory.address(iovecs);
        for (int i = 0; i < capacity; i++) {
            headers.putLong(i * MMSGHDR_SIZE + MSGHDR_IOV, iovecsAddress + (long) i * iovecsPerMessage * IOVEC_SIZE);
            headers.putLong(i * MMSGHDR_SIZE + MSGHDR_IOVLEN, iovecsPerMessage);
        }
        if (vnetHeader) {
            long vnetAddress = NativeMemory.address(vnetHeaders);
            for (int i = 0; i < capacity; i++) {
                iovecs.putLong(i * 2 * IOVEC_SIZE + IOVEC_BASE, vnetAddress + (long) i * VirtioNetHeader.LENGTH);
                iovecs.putLong(i * 2 * IOVEC_SIZE + IOVEC_LEN, VirtioNetHeader.LENGTH);
            }
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
        return new FrameBatch(capacity, frameSize, 0, false);
    }

    /**
     * Allocates a batch with room before each frame.
     *
     * @param capacity how many frames one call moves at most, 1–{@value #MAX_CAPACITY}
     * @param frameSize the bytes per frame, 1–{@value #MAX_FRAME_SIZE}, not counting the headroom
     * @param headroom bytes reserved before each frame, 0–256; {@value #VLAN_TAG_LENGTH} or more also restores the
     *                 VLAN tags the kernel strips from received frames
     * @return the batch, with count 0
     * @throws IllegalArgumentException if a value is out of range
     */
    public static FrameBatch allocate(int capacity, int frameSize, int headroom) {
        return allocate(capacity, frameSize, headroom, false);
    }

    /**
     * Allocates a batch with room before each frame and, optionally, a virtio-net header beside each frame, for a
     * packet socket opened with {@code vnetHeader} (the two must match).
     *
     * @param capacity how many frames one call moves at most, 1–{@value #MAX_CAPACITY}
     * @param frameSize the bytes per frame, 1–{@value #MAX_FRAME_SIZE}, not counting the headroom; a socket with
     *                  virtio-net headers receives super-frames of up to 64 KiB, which need {@value #MAX_FRAME_SIZE}
     * @param headroom bytes reserved before each frame, 0–256; {@value #VLAN_TAG_LENGTH} or more also restores the
     *                 VLAN tags the kernel strips from received frames
     * @param vnetHeader whether each frame has a {@link VirtioNetHeader}
     * @return the batch, with count 0
     * @throws IllegalArgumentException if a value is out of range
     */
    public static FrameBatch allocate(int capacity, int frameSize, int headroom, boolean vnetHeader) {
        if (headroom < 0 || headroom > 256) {
            throw new IllegalArgumentException("headroom must be 0-256: " + headroom);
        }
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1-" + MAX_CAPACITY + ": " + capacity);
        }
        if (frameSize < 1 || frameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("frameSize must be 1-" + MAX_FRAME_SIZE + ": " + frameSize);
        }
        return new FrameBatch(capacity, frameSize, headroom, vnetHeader);
    }

    /** @return whether each frame has a virtio-net header (for a packet socket with {@code PACKET_VNET_HDR}) */
    public boolean hasVnetHeader() {
        return vnetHeaders != null;
    }

    /**
     * The virtio-net headers of all slots, for {@link VirtioNetHeader}'s accessors at {@link #vnetHeaderAt(int)}.
     *
     * @return the same buffer every time
     * @throws IllegalStateException if the batch has no virtio-net headers
     */
    public ByteBuffer vnetHeaders() {
        if (vnetHeaders == null) {
            throw new IllegalStateException("this batch has no virtio-net headers");
        }
        return vnetHeaders;
    }

    /**
     * @param index a slot, 0–{@code capacity()-1}
     * @return where slot {@code index}'s header starts in {@link #vnetHeaders()}
     */
    public int vnetHeaderAt(int index) {
        return index * VirtioNetHeader.LENGTH;
    }

    /** @return the bytes reserved before each frame */
    public int headroom() {
        return headroom;
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
     * flip it (with headroom, the frame may start anywhere in the slot: send moves position..limit).
     *
     * @return the slot's buffer, position 0, limit {@link #headroom()} + {@link #frameSize()}
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
        long controlsAddress = controls == null ? 0 : NativeMemory.address(controls);
        for (int i = 0; i < capacity; i++) {
            int iovec = (i * iovecsPerMessage + iovecsPerMessage - 1) * IOVEC_SIZE;
            iovecs.putLong(iovec + IOVEC_BASE, dataAddress + (long) i * stride + headroom);
            iovecs.putLong(iovec + IOVEC_LEN, frameSize);
            if (controls != null) {
                // The kernel shrinks msg_controllen to what it wrote, so it is reset every time.
                headers.putLong(i * MMSGHDR_SIZE + MSGHDR_CONTROL, controlsAddress + (long) i * CONTROL_SIZE);
                headers.putLong(i * MMSGHDR_SIZE + MSGHDR_CONTROLLEN, CONTROL_SIZE);
            }
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
            // With a virtio-net header the kernel counts it in the message length.
            int length = headers.getInt(i * MMSGHDR_SIZE + MMSGHDR_LEN)
                    - (vnetHeaders == null ? 0 : VirtioNetHeader.LENGTH);
            int flags = headers.getInt(i * MMSGHDR_SIZE + MSGHDR_FLAGS);
            truncated[i] = length > frameSize || (flags & MSG_TRUNC) != 0;
            int end = headroom + Math.min(length, frameSize);
            frames[i].limit(end).position(headroom);
            if (controls != null) {
                restoreVlanTag(i, end);
            }
        }
        count = received;
    }

    /** Puts back the tag the kernel reported in auxdata: moves the MAC addresses 4 bytes into the headroom. */
    private void restoreVlanTag(int i, int end) {
        long controlLength = headers.getLong(i * MMSGHDR_SIZE + MSGHDR_CONTROLLEN);
        int base = i * CONTROL_SIZE;
        if (controlLength < CMSGHDR_SIZE + AUXDATA_SIZE || controls.getInt(base + CMSG_LEVEL) != SOL_PACKET
                || controls.getInt(base + CMSG_TYPE) != PACKET_AUXDATA || end - headroom < ETHER_ADDRESSES) {
            return;
        }
        int aux = base + CMSGHDR_SIZE;
        int status = controls.getInt(aux + AUXDATA_STATUS);
        if ((status & TP_STATUS_VLAN_VALID) == 0) {
            return;
        }
        int tci = controls.getShort(aux + AUXDATA_VLAN_TCI) & 0xffff;
        int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? controls.getShort(aux + AUXDATA_VLAN_TPID) & 0xffff
                : 0x8100;
        ByteBuffer frame = frames[i];
        int start = headroom - VLAN_TAG_LENGTH;
        for (int b = 0; b < ETHER_ADDRESSES; b++) {
            frame.put(start + b, frame.get(headroom + b));
        }
        frame.putShort(start + ETHER_ADDRESSES, (short) tpid);
        frame.putShort(start + ETHER_ADDRESSES + 2, (short) tci);
        frame.position(start);
        if (vnetHeaders != null) {
            // The kernel counted csum_start from the untagged frame (af_packet passes no VLAN length).
            VirtioNetHeader.shift(vnetHeaders, vnetHeaderAt(i), VLAN_TAG_LENGTH);
        }
    }

    /** Points message {@code i} at frame {@code i}'s position..limit, for {@code i < count}. */
    void prepareSend() {
        for (int i = 0; i < count; i++) {
            headers.putLong(i * MMSGHDR_SIZE + MSGHDR_CONTROL, 0);
            headers.putLong(i * MMSGHDR_SIZE + MSGHDR_CONTROLLEN, 0);
            ByteBuffer frame = frames[i];
            int iovec = (i * iovecsPerMessage + iovecsPerMessage - 1) * IOVEC_SIZE;
            iovecs.putLong(iovec + IOVEC_BASE, dataAddress + (long) i * stride + frame.position());
            iovecs.putLong(iovec + IOVEC_LEN, frame.remaining());
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
