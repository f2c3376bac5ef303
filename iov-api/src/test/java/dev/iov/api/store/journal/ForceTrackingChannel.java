package dev.iov.api.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file channel that remembers how much of the file is known to be on disk: the size the file had when the last
 * successful {@link #force} began. A power failure would keep that much and might lose the rest. It can also be
 * told to fail its forces, as a disk does.
 */
final class ForceTrackingChannel extends FileChannel {

    private final FileChannel delegate;
    private final AtomicLong forcedSize = new AtomicLong();
    private final AtomicInteger forces = new AtomicInteger();
    private final AtomicBoolean failForces = new AtomicBoolean();

    ForceTrackingChannel(FileChannel delegate) throws IOException {
        this.delegate = delegate;
        // What the store found on opening was already on disk (the header is synced when the file is created).
        forcedSize.set(delegate.size());
    }

    /** How much of the file would survive a power failure now. */
    long forcedSize() {
        return forcedSize.get();
    }

    /** How many times the file was forced. */
    int forces() {
        return forces.get();
    }

    /** Makes every later force fail. */
    void failForces() {
        failForces.set(true);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (failForces.get()) {
            throw new IOException("fsync failure injected by the test");
        }
        long size = delegate.size();
        delegate.force(metaData);
        forces.incrementAndGet();
        forcedSize.accumulateAndGet(size, Math::max);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return delegate.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return delegate.write(src, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
