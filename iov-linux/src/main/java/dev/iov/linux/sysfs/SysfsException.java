package dev.iov.linux.sysfs;

import dev.iov.api.IovException;
import dev.iov.linux.Errno;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A sysfs file could not be read or written, or did not hold what its kernel ABI says. The message names the file,
 * and for failed writes the value and the reason the kernel gave.
 */
public class SysfsException extends IovException {
    private static final long serialVersionUID = 1L;

    /** The file concerned. */
    private final transient Path path;
    /**
     * @param path the file concerned
     * @param message what went wrong, naming the file
     * @param cause the underlying failure, or null
     */
    public SysfsException(Path path, String message, Throwable cause) {
        this(path, message, null, cause);
    }

    /**
     * @param path the file concerned
     * @param message what went wrong, naming the file
     * @param errno the errno the kernel answered with, or null when unknown
     * @param cause the underlying failure, or null
     */
    public SysfsException(Path path, String message, Errno errno, Throwable cause) {
        super("sysfs " + path, message, errno == null ? 0 : errno.number(), cause);
        this.path = path;
    }

    /**
     * {@inheritDoc} Here: the errno of a refused open or write ({@code EBUSY} while VFs are in use, {@code ERANGE}
     * for a VF count above {@code sriov_totalvfs}, {@code ENOENT} for a missing file); empty for malformed content
     * and when the reason could not be mapped ({@link Errno#is} compares it).
     */
    @Override
    public OptionalInt errno() {
        return super.errno();
    }

    /** @return the file concerned */
    public Path path() {
        return path;
    }
}
