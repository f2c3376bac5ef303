package dev.iov.linux.sysfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one system call behind {@link Sysfs#write(String, String)}: open the attribute and hand it the whole value in
 * one {@code write(2)}. {@link #DIRECT} does exactly that; a test tree plugs in a writer that also records the writes
 * and answers them the way the kernel's attribute handlers would (EBUSY, ERANGE, a driver bound by
 * {@code drivers_probe}), because a plain file cannot refuse a write.
 *
 * <p>Failures are reported as the JDK reports them for a real file, so that {@link Sysfs} turns both into the same
 * {@link SysfsException}: a failed open is a {@link java.nio.file.FileSystemException} (or its subclasses
 * {@link java.nio.file.NoSuchFileException}, {@link java.nio.file.AccessDeniedException}), a failed write is an
 * {@link IOException} whose message is {@code strerror(errno)}, e.g. {@code "Device or resource busy"}.
 */
@FunctionalInterface
public interface AttributeWriter {

    /** Writes to the file itself: open for writing (truncating, as the shell's {@code >} does), one write. */
    AttributeWriter DIRECT = (file, value) -> {
        // TRUNCATE_EXISTING as "echo N > attr": sysfs ignores it, a file in a test tree needs it.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            return channel.write(ByteBuffer.wrap(value));
        }
    };

    /**
     * Writes {@code value} to {@code file} with one {@code write(2)}.
     *
     * @param file the absolute path of the attribute
     * @param value the bytes to write
     * @return the number of bytes the write accepted
     * @throws IOException when the open or the write fails, in the JDK's form (see the class comment)
     */
    int write(Path file, byte[] value) throws IOException;
}
