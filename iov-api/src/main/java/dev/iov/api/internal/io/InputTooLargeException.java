package dev.iov.api.internal.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file (or stream) holds more than the limit set for it; nothing past the limit was read. The message reads
 * {@code FILE: larger than the 16 MiB limit for this file}; callers that want their own wording use {@link #file()}
 * and {@link #limit()}.
 */
public final class InputTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file read, or null. */
    private final transient Path file;
    /** The limit exceeded, in bytes. */
    private final long limit;

    /**
     * @param file the file, or null for a stream without one
     * @param source how to name what was read in the message (the file's path, or another description)
     * @param limit the limit, in bytes
     */
    public InputTooLargeException(Path file, String source, long limit) {
        super(source + ": larger than the " + BoundedReads.describe(limit) + " limit for this file");
        this.file = file;
        this.limit = limit;
    }

    /** @return the file, or null when a stream without a file was read */
    public Path file() {
        return file;
    }

    /** @return the limit that was exceeded, in bytes */
    public long limit() {
        return limit;
    }
}
