package dev.iov.ethernet.switching;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable batch of received frames for {@link SoftwareSwitch#process}: per frame the ingress port and the
 * buffer, offset and length of its bytes, in parallel arrays sized once. Filling and {@link #clear() clearing} it
 * allocates nothing, and processing frames in batches lets the switch read the clock and age its MAC table once per
 * batch instead of once per frame.
 */
public final class SwitchBatch {
    private final int[] ports;
    private final ByteBuffer[] buffers;
    private final int[] offsets;
    private final int[] lengths;
    private int size;

    /**
     * @param capacity the most frames the batch holds, at least 1
     */
    public SwitchBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity " + capacity + " is below 1");
        }
        ports = new int[capacity];
        buffers = new ByteBuffer[capacity];
        offsets = new int[capacity];
        lengths = new int[capacity];
    }

    /**
     * Appends a frame. The switch may read the bytes until {@link SoftwareSwitch#process} returns and never writes
     * them.
     *
     * @param port the ingress port index
     * @param buf the buffer holding the frame
     * @param offset the index of its first byte
     * @param length its length without FCS
     * @return false when the batch is full (nothing is added)
     * @throws IndexOutOfBoundsException when {@code [offset, offset + length)} is not within the buffer's limit
     */
    public boolean add(int port, ByteBuffer buf, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buf.limit());
        int n = size;
        if (n == ports.length) {
            return false;
        }
        ports[n] = port;
        if (buffers[n] != buf) {
            buffers[n] = buf; // skipped when unchanged: a reference store costs a GC write barrier
        }
        offsets[n] = offset;
        lengths[n] = length;
        size = n + 1;
        return true;
    }

    /** Empties the batch (buffer references are kept until overwritten; nothing is allocated or freed). */
    public void clear() {
        size = 0;
    }

    /** @return the number of frames */
    public int size() {
        return size;
    }

    /** @return the most frames the batch holds */
    public int capacity() {
        return ports.length;
    }

    /**
     * @param i a frame index below {@link #size()}
     * @return its ingress port
     */
    public int port(int i) {
        return ports[i];
    }

    /**
     * @param i a frame index below {@link #size()}
     * @return its buffer
     */
    public ByteBuffer buffer(int i) {
        return buffers[i];
    }

    /**
     * @param i a frame index below {@link #size()}
     * @return its offset
     */
    public int offset(int i) {
        return offsets[i];
    }

    /**
     * @param i a frame index below {@link #size()}
     * @return its length
     */
    public int length(int i) {
        return lengths[i];
    }
}
