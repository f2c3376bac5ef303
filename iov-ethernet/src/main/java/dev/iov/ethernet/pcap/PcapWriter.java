package dev.iov.ethernet.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes Ethernet frames to a classic libpcap capture file (the {@code tcpdump} format, not pcapng).
 *
 * <p>File layout, all fields <em>little-endian</em>: pcap files are written in the writer's native order and
 * readers detect the order from the magic number, so writing little-endian explicitly (rather than in whatever
 * order the JVM's buffers default to, which is big-endian) gives every host the same bytes, matching what tcpdump
 * writes on x86 and ARM.
 *
 * <pre>
 * global header (24 bytes): magic (0xa1b2c3d4 µs / 0xa1b23c4d ns), version 2.4, thiszone 0, sigfigs 0,
 *                           snaplen, linktype 1 (Ethernet)
 * per frame (16 bytes + data): ts_sec, ts_usec or ts_nsec, incl_len = min(length, snaplen), orig_len = length
 * </pre>
 *
 * <p>Cost per frame: {@link #write} copies the header and the captured bytes into one reusable direct buffer and
 * hands that buffer to the channel only when the next record does not fit (or on {@link #flush} and
 * {@link #close}). A mirror at line rate thus makes one system call per tens of frames, not one per frame, and the
 * direct buffer lets {@code FileChannel} write without an intermediate copy. Nothing is allocated per frame; the
 * caller's buffer position and limit are not touched. A frame larger than the buffer goes through it in chunks.
 * Records that are still buffered are lost if the process dies before a flush.
 *
 * <p>Timestamps come from the caller as nanoseconds since the epoch (the switch passes its injectable clock's
 * time), so captures are reproducible in tests. Seconds are stored as unsigned 32 bits: 1970 to 2106.
 *
 * <p>Threading: a single writer. Instances are not thread-safe; one thread (the switch's forwarding thread) calls
 * {@link #write}, {@link #flush} and {@link #close}, or callers synchronize around them. After an
 * {@link IOException} the file may end in a partial record; close it.
 */
public final class PcapWriter implements AutoCloseable {

    /** The largest snapshot length, libpcap's {@code MAXIMUM_SNAPLEN}: readers refuse larger records. */
    public static final int MAX_SNAPLEN = 262_144;
    /** The snapshot length used when none is given: capture whole frames. */
    public static final int DEFAULT_SNAPLEN = MAX_SNAPLEN;
    /** The default size of the write-batching buffer. */
    public static final int DEFAULT_BUFFER_CAPACITY = 64 * 1024;
    /** The smallest write-batching buffer accepted: room for the file header and a record header. */
    public static final int MIN_BUFFER_CAPACITY = 64;
    /** {@code LINKTYPE_ETHERNET}: records are Ethernet frames starting at the destination MAC, without FCS. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** Major version of the file format. */
    public static final int VERSION_MAJOR = 2;
    /** Minor version of the file format. */
    public static final int VERSION_MINOR = 4;
    /** Length of the global file header. */
    public static final int FILE_HEADER_LENGTH = 24;
    /** Length of each record header. */
    public static final int RECORD_HEADER_LENGTH = 16;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final WritableByteChannel channel;
    private final ByteBuffer out;
    private final TimestampPrecision precision;
    private final int snaplen;
    private long framesWritten;
    private boolean closed;

    private PcapWriter(WritableByteChannel channel, TimestampPrecision precision, int snaplen, int bufferCapacity)
            throws IOException {
        this.channel = channel;
        this.precision = precision;
        this.snaplen = snaplen;
        this.out = ByteBuffer.allocateDirect(bufferCapacity).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(precision.magic())
                .putShort((short) VERSION_MAJOR)
                .putShort((short) VERSION_MINOR)
                .putInt(0) // thiszone: timestamps are UTC
                .putInt(0) // sigfigs: always 0 in practice
                .putInt(snaplen)
                .putInt(LINKTYPE_ETHERNET);
        // Written at once so that even a capture of no frames is a valid file for tshark.
        drain();
    }

    /**
     * Creates (or truncates) a capture file with the default snapshot length and buffer size.
     *
     * @param file the file to write
     * @param precision the timestamp resolution, which selects the magic number
     * @return a writer whose file header is already on disk
     * @throws IOException when the file cannot be created or written
     */
    public static PcapWriter open(Path file, TimestampPrecision precision) throws IOException {
        return open(file, precision, DEFAULT_SNAPLEN, DEFAULT_BUFFER_CAPACITY);
    }

    /**
     * Creates (or truncates) a capture file.
     *
     * @param file the file to write
     * @param precision the timestamp resolution, which selects the magic number
     * @param snaplen the most bytes kept of each frame, 1 to {@value #MAX_SNAPLEN}; longer frames are truncated
     *     and keep their original length in {@code orig_len}
     * @param bufferCapacity bytes batched before a write to the file, at least {@value #MIN_BUFFER_CAPACITY}
     * @return a writer whose file header is already on disk
     * @throws IOException when the file cannot be created or written
     * @throws IllegalArgumentException when snaplen or the buffer capacity is out of range
     */
    public static PcapWriter open(Path file, TimestampPrecision precision, int snaplen, int bufferCapacity)
            throws IOException {
        Objects.requireNonNull(file, "file");
        checkArguments(precision, snaplen, bufferCapacity);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new PcapWriter(channel, precision, snaplen, bufferCapacity);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Writes a capture to an open blocking channel (a pipe into {@code tshark -i -}, a socket, a file opened with
     * other options). The writer owns the channel from then on and closes it in {@link #close}.
     *
     * @param channel a blocking channel positioned where the file starts
     * @param precision the timestamp resolution, which selects the magic number
     * @param snaplen the most bytes kept of each frame, 1 to {@value #MAX_SNAPLEN}
     * @param bufferCapacity bytes batched before a write, at least {@value #MIN_BUFFER_CAPACITY}
     * @return a writer whose file header has already been written to the channel
     * @throws IOException when writing the file header fails; the channel is then still the caller's to close
     * @throws IllegalArgumentException when snaplen or the buffer capacity is out of range
     */
    public static PcapWriter to(WritableByteChannel channel, TimestampPrecision precision, int snaplen,
            int bufferCapacity) throws IOException {
        Objects.requireNonNull(channel, "channel");
        checkArguments(precision, snaplen, bufferCapacity);
        return new PcapWriter(channel, precision, snaplen, bufferCapacity);
    }

    private static void checkArguments(TimestampPrecision precision, int snaplen, int bufferCapacity) {
        Objects.requireNonNull(precision, "precision");
        if (snaplen < 1 || snaplen > MAX_SNAPLEN) {
            throw new IllegalArgumentException("snaplen " + snaplen + " is outside 1.." + MAX_SNAPLEN);
        }
        if (bufferCapacity < MIN_BUFFER_CAPACITY) {
            throw new IllegalArgumentException(
                    "buffer capacity " + bufferCapacity + " is below " + MIN_BUFFER_CAPACITY + " bytes");
        }
    }

    /**
     * Appends one frame. At most {@link #snaplen()} bytes are kept; the record says how long the frame was.
     *
     * @param frame the buffer holding the frame; position, limit and byte order are irrelevant and unchanged
     * @param offset the index of the frame's first byte (destination MAC)
     * @param length the frame's length on the wire, without FCS
     * @param epochNanos when the frame was seen, in nanoseconds since 1970-01-01T00:00Z; truncated to
     *     microseconds for a {@link TimestampPrecision#MICROSECONDS} file
     * @throws IOException when a batched write to the channel fails
     * @throws ClosedChannelException when this writer is closed
     * @throws IndexOutOfBoundsException when {@code [offset, offset + length)} is not within the buffer's limit
     */
    public void write(ByteBuffer frame, int offset, int length, long epochNanos) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        Objects.checkFromIndexSize(offset, length, frame.limit());
        int captured = Math.min(length, snaplen);
        ByteBuffer buf = out;
        if (buf.remaining() < RECORD_HEADER_LENGTH + captured) {
            drain();
        }
        long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
        buf.putInt((int) seconds)
                .putInt(precision.subsecond(nanos))
                .putInt(captured)
                .putInt(length);
        // Absolute bulk copy: reads the caller's buffer without moving its position. A record larger than the
        // buffer (only with a small buffer or jumbo frames) is passed through it in chunks.
        int copied = 0;
        while (copied < captured) {
            if (!buf.hasRemaining()) {
                drain();
            }
            int chunk = Math.min(buf.remaining(), captured - copied);
            int at = buf.position();
            buf.put(at, frame, offset + copied, chunk);
            buf.position(at + chunk);
            copied += chunk;
        }
        framesWritten++;
    }

    /**
     * Writes the batched records to the channel. Does not {@code fsync}.
     *
     * @throws IOException when the write fails
     * @throws ClosedChannelException when this writer is closed
     */
    public void flush() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        drain();
    }

    private void drain() throws IOException {
        ByteBuffer buf = out;
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } finally {
            // On failure the unwritten bytes are dropped rather than retried on the next write, so one failure
            // cannot turn into a record written twice.
            buf.clear();
        }
    }

    /** @return how many frames {@link #write} accepted (including those still batched) */
    public long framesWritten() {
        return framesWritten;
    }

    /** @return the snapshot length written in the file header */
    public int snaplen() {
        return snaplen;
    }

    /** @return the timestamp resolution of this file */
    public TimestampPrecision precision() {
        return precision;
    }

    /** @return true once {@link #close} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Writes the batched records and closes the channel. Calling it again does nothing.
     *
     * @throws IOException when the final write or the close fails (the channel is closed either way)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drain();
        } finally {
            channel.close();
        }
    }
}
