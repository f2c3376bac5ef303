package dev.iov.ethernet.port;

import dev.iov.ethernet.switching.SwitchBatch;
import dev.iov.linux.FrameBatch;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.Poller;
import dev.iov.linux.TapDevice;
import dev.iov.linux.VirtioNetHeader;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The real device behind one port of a {@link SwitchEngine}: a {@link TapDevice} (one per vNIC, what a hypervisor
 * hands a VM) or a {@link PacketSocket} on a named interface (an uplink, a veth end). Made with {@link #tap} or
 * {@link #packet}; a {@link SwitchEngine} takes ownership when the port is added and closes the device when the
 * port is removed.
 *
 * <p>Each device owns a receive arena allocated once: up to a batch of frames, each after
 * {@link SwitchEngine#HEADROOM} free bytes (room for a tag push in place), so receiving allocates nothing. The
 * frames stay valid until the next receive on the same device, which is after the switch processed them.
 *
 * <p>A packet socket opened with virtio-net headers ({@code PacketSocket.open(name, true)}) makes a port with
 * {@link #vnetHeader()}: it receives offloaded frames as the kernel holds them (64 KiB segmentation-offload
 * super-frames, partial checksums) into 64 KiB slots, and sends each frame with the header the engine gives it.
 * That moves a TCP stream at one system call per 64 KiB instead of per MTU, and lets the peers keep their checksum
 * offload on.
 */
public abstract class PortDevice implements AutoCloseable {

    private final String name;

    PortDevice(String name) {
        this.name = name;
    }

    /**
     * @param tap an open TAP device; the port owns it from now on
     * @return a port device reading and writing the TAP
     */
    public static PortDevice tap(TapDevice tap) {
        return new TapPort(Objects.requireNonNull(tap, "tap"));
    }

    /**
     * @param socket an open packet socket bound to an interface; the port owns it from now on
     * @return a port device receiving and sending on that interface
     */
    public static PortDevice packet(PacketSocket socket) {
        return new PacketPort(Objects.requireNonNull(socket, "socket"));
    }

    /** @return whether frames carry a {@link VirtioNetHeader} on this device (receive and transmit) */
    public boolean vnetHeader() {
        return false;
    }

    /** @return the headers of the frames the last {@link #receive} appended, for a device with {@link #vnetHeader()} */
    ByteBuffer vnetHeaders() {
        throw new IllegalStateException(name + " has no virtio-net headers");
    }

    /** @return where the header of the {@code entry}-th frame the last receive appended starts in {@link #vnetHeaders()} */
    int vnetHeaderAt(int entry) {
        throw new IllegalStateException(name + " has no virtio-net headers");
    }

    /**
     * Transmits with a virtio-net header, for a device with {@link #vnetHeader()}.
     *
     * @return false when the device would block or its queue dropped the frame
     */
    boolean transmit(ByteBuffer header, int headerOffset, ByteBuffer buf, int offset, int length) {
        throw new IllegalStateException(name + " has no virtio-net headers");
    }

    /** @return the interface name of the device */
    public String name() {
        return name;
    }

    /** Allocates the receive arena; called once by the engine, on its forwarding thread, before {@link #receive}. */
    abstract void prepare(int batchSize, int maxFrameLength);

    /** Registers the device's descriptor with the engine's poller. */
    abstract int register(Poller poller);

    /**
     * Reads what is queued, up to the batch's free room, into the arena and appends it to {@code batch}.
     *
     * @return how many frames could not be taken: too long for a slot, or no room left in the batch (the engine
     *     counts them as rx errors)
     */
    abstract int receive(int port, SwitchBatch batch);

    /** @return false when the device would block or its queue dropped the frame */
    abstract boolean transmit(ByteBuffer buf, int offset, int length);

    /** Closes the device; idempotent. */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }

    /** A TAP: one {@code readv} per frame (the tun driver has no batch read), into the arena's next slot. */
    static final class TapPort extends PortDevice {
        private final TapDevice tap;
        private ByteBuffer arena;
        private int stride;
        private int room;
        private int slots;

        TapPort(TapDevice tap) {
            super(tap.name());
            this.tap = tap;
        }

        TapDevice tapDevice() {
            return tap;
        }

        @Override
        void prepare(int batchSize, int maxFrameLength) {
            room = maxFrameLength;
            stride = (SwitchEngine.HEADROOM + maxFrameLength + 63) & -64;
            slots = batchSize;
            arena = ByteBuffer.allocateDirect(stride * batchSize);
        }

        @Override
        int register(Poller poller) {
            return poller.register(tap);
        }

        @Override
        int receive(int port, SwitchBatch batch) {
            int tooLong = 0;
            int free = Math.min(slots, batch.capacity() - batch.size());
            for (int slot = 0; slot < free; slot++) {
                int offset = slot * stride + SwitchEngine.HEADROOM;
                int length = tap.tryRead(arena, offset, room);
                if (length == 0) {
                    break;
                }
                if (length < 0) {
                    tooLong++;
                } else {
                    batch.add(port, arena, offset, length);
                }
            }
            return tooLong;
        }

        @Override
        boolean transmit(ByteBuffer buf, int offset, int length) {
            return tap.tryWrite(buf, offset, length);
        }

        @Override
        public void close() {
            tap.close();
        }
    }

    /**
     * A packet socket: one {@code recvmmsg} per batch; VLAN tags the kernel stripped come back via the headroom.
     * With virtio-net headers the slots are {@link FrameBatch#MAX_FRAME_SIZE} whatever the engine's frame length,
     * since a super-frame is as long as the sender made it.
     */
    static final class PacketPort extends PortDevice {
        private final PacketSocket socket;
        private FrameBatch frames;
        /** The batch slot of each frame the last receive appended (slots of cut frames are skipped). */
        private int[] entrySlots;

        PacketPort(PacketSocket socket) {
            super(socket.interfaceName());
            this.socket = socket;
        }

        @Override
        public boolean vnetHeader() {
            return socket.hasVnetHeader();
        }

        @Override
        void prepare(int batchSize, int maxFrameLength) {
            boolean vnet = socket.hasVnetHeader();
            frames = FrameBatch.allocate(batchSize, vnet ? FrameBatch.MAX_FRAME_SIZE : maxFrameLength,
                    SwitchEngine.HEADROOM, vnet);
            entrySlots = new int[batchSize];
        }

        @Override
        ByteBuffer vnetHeaders() {
            return frames.vnetHeaders();
        }

        @Override
        int vnetHeaderAt(int entry) {
            return frames.vnetHeaderAt(entrySlots[entry]);
        }

        @Override
        boolean transmit(ByteBuffer header, int headerOffset, ByteBuffer buf, int offset, int length) {
            return socket.trySend(header, headerOffset, buf, offset, length);
        }

        @Override
        int register(Poller poller) {
            return poller.register(socket);
        }

        @Override
        int receive(int port, SwitchBatch batch) {
            int tooLong = 0;
            int received = socket.receiveBatch(frames, 0);
            int first = batch.size();
            for (int i = 0; i < received; i++) {
                ByteBuffer frame = frames.frame(i);
                int entry = batch.size() - first;
                if (frames.isTruncated(i) || !batch.add(port, frame, frame.position(), frame.remaining())) {
                    tooLong++;
                } else {
                    entrySlots[entry] = i;
                }
            }
            return tooLong;
        }

        @Override
        boolean transmit(ByteBuffer buf, int offset, int length) {
            return socket.trySend(buf, offset, length);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
