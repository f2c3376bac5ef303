package dev.iov.api.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Buffered, positional writes to a file: many small records go out in few system calls. Writes at an explicit
 * position rather than the channel's, so that the position is exactly what this writer accounted for. Not
 * thread-safe; the buffer is direct so the channel need not copy it again.
 */
final class ChannelWriter {

    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long position;

    /**
     * Creates a writer.
     *
     * @param channel the file, open for writing
     * @param position where the first byte goes
     * @param bufferBytes the buffer's size
     */
    ChannelWriter(FileChannel channel, long position, int bufferBytes) {
        this.channel = channel;
        this.position = position;
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
    }

    /**
     * Buffers bytes, writing out the buffer when they do not fit; bytes larger than the buffer go out directly.
     *
     * @param bytes the bytes to append
     * @throws IOException when the write fails
     */
    void write(byte[] bytes) throws IOException {
        if (bytes.length > buffer.remaining()) {
            flush();
        }
        if (bytes.length > buffer.capacity()) {
            writeFully(ByteBuffer.wrap(bytes));
        } else {
            buffer.put(bytes);
        }
    }

    /**
     * Buffers bytes; see {@link #write(byte[])}.
     *
     * @param bytes the bytes to append; consumed
     * @throws IOException when the write fails
     */
    void write(ByteBuffer bytes) throws IOException {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        write(copy);
    }

    /**
     * Writes out the buffer. Does not sync: that is the caller's decision.
     *
     * @throws IOException when the write fails
     */
    void flush() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    /** @return the offset just past the last byte written or buffered */
    long position() {
        return position + buffer.position();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }
}
