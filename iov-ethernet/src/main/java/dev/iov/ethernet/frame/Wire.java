package dev.iov.ethernet.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) reads and writes at absolute indexes, whatever order the caller set on the buffer.
 * The caller may have switched a direct buffer to native order for its own use; frames stay big-endian, so the
 * wide accessors read in the buffer's order and swap back when it is not big-endian (one {@code bswap}).
 */
final class Wire {

    private Wire() {
    }

    static int u8(ByteBuffer buf, int index) {
        return buf.get(index) & 0xFF;
    }

    static int u16(ByteBuffer buf, int index) {
        short v = buf.getShort(index);
        return (buf.order() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v)) & 0xFFFF;
    }

    static int i32(ByteBuffer buf, int index) {
        int v = buf.getInt(index);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    static long i64(ByteBuffer buf, int index) {
        long v = buf.getLong(index);
        return buf.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    /** The 48-bit MAC address at {@code index}, first octet in bits 47..40 (as {@code MacAddress.toLong}). */
    static long mac(ByteBuffer buf, int index) {
        return ((long) u16(buf, index) << 32) | (i32(buf, index + 2) & 0xFFFF_FFFFL);
    }

    static void putU16(ByteBuffer buf, int index, int value) {
        short v = (short) value;
        buf.putShort(index, buf.order() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v));
    }
}
