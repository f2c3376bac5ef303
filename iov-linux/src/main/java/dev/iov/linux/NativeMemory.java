package dev.iov.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Native memory as direct buffers: allocating it in the kernel's byte order, and the addresses to write into kernel
 * structures that hold pointers.
 */
final class NativeMemory {

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
     * such as {@code iovec}. Costs a JNI call and an object; call it once per buffer, not per frame.
     *
     * @param direct a direct buffer
     * @return its address
     */
    static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
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
