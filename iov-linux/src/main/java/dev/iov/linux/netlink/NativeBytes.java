package dev.iov.linux.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Absolute reads and writes of multi-byte fields in a {@link ByteBuffer}, in the host's byte order (netlink headers
 * and most attributes) or in network order (ports, addresses).
 *
 * <p>Var handles are used instead of {@code ByteBuffer.getInt(int)} because the caller's buffer may have any
 * {@link ByteBuffer#order()}, and flipping the order of a buffer we do not own would be a side effect. Plain access
 * through these handles does not need aligned offsets, and every access is bounds-checked against the buffer's
 * limit.
 */
final class NativeBytes {

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    private static final VarHandle SHORT_BE = MethodHandles.byteBufferViewVarHandle(short[].class,
            ByteOrder.BIG_ENDIAN);

    private NativeBytes() {
    }

    static int u8(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xff;
    }

    static void putU8(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) value);
    }

    static int u16(ByteBuffer buffer, int index) {
        return (short) SHORT.get(buffer, index) & 0xffff;
    }

    static void putU16(ByteBuffer buffer, int index, int value) {
        SHORT.set(buffer, index, (short) value);
    }

    static int be16(ByteBuffer buffer, int index) {
        return (short) SHORT_BE.get(buffer, index) & 0xffff;
    }

    static void putBe16(ByteBuffer buffer, int index, int value) {
        SHORT_BE.set(buffer, index, (short) value);
    }

    static int s32(ByteBuffer buffer, int index) {
        return (int) INT.get(buffer, index);
    }

    static void putS32(ByteBuffer buffer, int index, int value) {
        INT.set(buffer, index, value);
    }

    static long u64(ByteBuffer buffer, int index) {
        return (long) LONG.get(buffer, index);
    }

    static void putU64(ByteBuffer buffer, int index, long value) {
        LONG.set(buffer, index, value);
    }

    /** Rounds up to the netlink alignment of 4 bytes ({@code NLMSG_ALIGN}/{@code NLA_ALIGN}). */
    static int align(int length) {
        return (length + NetlinkConstants.NLMSG_ALIGNTO - 1) & ~(NetlinkConstants.NLMSG_ALIGNTO - 1);
    }
}
