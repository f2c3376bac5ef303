package dev.iov.linux;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import sun.misc.Unsafe;

/**
 * Native memory as direct buffers: allocating it in the kernel's byte order, and the addresses to write into kernel
 * structures that hold pointers.
 */
final class NativeMemory {

    /**
     * Reads {@code Buffer.address} directly, as Agrona's {@code BufferUtil} does: the data plane needs the address of
     * whatever buffer a switch hands it for every frame, and asking jnr-ffi costs a JNI call and an object. Null when
     * the JVM does not allow it; then the jnr-ffi path is used.
     */
    private static final Unsafe UNSAFE;
    private static final long ADDRESS_OFFSET;

    static {
        Unsafe unsafe = null;
        long offset = -1;
        try {
            Field theUnsafe = Unsafe.class.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            unsafe = (Unsafe) theUnsafe.get(null);
            offset = unsafe.objectFieldOffset(Buffer.class.getDeclaredField("address"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
        }
        UNSAFE = unsafe;
        ADDRESS_OFFSET = offset;
    }

    private NativeMemory() {
    }

    /**
     * Allocates zeroed native memory as a direct buffer in the platform's byte order, the layout kernel structures
     * use.
     *
     * @param size bytes
     * @return the buffer, position 0, limit {@code size}
     */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /**
     * The native address of a direct buffer's first byte (ignoring its position), for structures that hold pointers
     * such as {@code iovec}. One field read where the JVM allows it (no allocation), else a JNI call and an object.
     *
     * @param direct a direct buffer
     * @return its address
     */
    static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        if (UNSAFE != null) {
            return UNSAFE.getLong(direct, ADDRESS_OFFSET);
        }
        return Pointer.wrap(Runtime.getSystemRuntime(), direct).address();
    }

    /**
     * Rejects heap buffers where the contract is "no copy": jnr-ffi would silently copy them on every call.
     *
     * @param buffer the caller's buffer
     * @throws IllegalArgumentException if it is not direct
     */
    static void requireDirect(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("frames move through direct buffers only (no copy); got a heap buffer");
        }
    }
}
