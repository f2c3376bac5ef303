package dev.iov.api.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Random-access reads of a file through a sliding window, so that scanning record after record (and, after a bad
 * record, byte after byte) costs one system call per window rather than one per read. Not thread-safe.
 */
final class ChannelReader {

    private static final int WINDOW_BYTES = 256 * 1024;

    private final FileChannel channel;
    private final long size;
    private ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
    private long windowStart;
    private int windowLength;

    /**
     * Creates a reader.
     *
     * @param channel the file, open for reading
     * @param size the file's size; bytes beyond it are not read
     */
    ChannelReader(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /** @return the size of the file being read */
    long size() {
        return size;
    }

    /**
     * Reads bytes.
     *
     * @param position where to start
     * @param length how many bytes are wanted
     * @return a big-endian buffer holding the bytes from {@code position}: {@code length} of them, or fewer when
     *     the file ends first. Valid until the next call.
     * @throws IOException when the file cannot be read
     */
    ByteBuffer read(long position, int length) throws IOException {
        int wanted = (int) Math.max(0, Math.min(length, size - position));
        if (position < windowStart || position + wanted > windowStart + windowLength) {
            fill(position, wanted);
            wanted = Math.min(wanted, windowLength);
        }
        int offset = (int) (position - windowStart);
        return ByteBuffer.wrap(window.array(), offset, wanted).slice();
    }

    private void fill(long position, int wanted) throws IOException {
        if (window.capacity() < wanted) {
            window = ByteBuffer.allocate(Math.max(wanted, 2 * window.capacity()));
        }
        window.clear();
        window.limit((int) Math.max(0, Math.min(window.capacity(), size - position)));
        while (window.hasRemaining()) {
            if (channel.read(window, position + window.position()) < 0) {
                break;
            }
        }
        windowStart = position;
        windowLength = window.position();
    }
}
