package dev.iov.ethernet.switching;

import java.nio.ByteBuffer;

/**
 * Where the switch sends frames: one call per frame per egress port, on the switch's forwarding thread.
 *
 * <p>The bytes are lent, not given: they are valid only during the call (the switch reuses its scratch buffers for
 * the next egress) and the same bytes may be passed to several ports, so an implementation must copy or transmit
 * them before returning and must not modify them. The buffer's position and limit mean nothing; use the offset and
 * length.
 */
@FunctionalInterface
public interface EgressSink {
    /**
     * Transmits one frame.
     *
     * @param port the egress port index
     * @param buf the buffer holding the frame
     * @param offset the index of the frame's first byte
     * @param length the frame's length, without FCS
     */
    void transmit(int port, ByteBuffer buf, int offset, int length);
}
