package dev.iov.linux.sysfs;

import java.nio.file.Path;

/**
 * A sysfs file could not be read or written, or did not hold what its kernel ABI says. The message names the file,
 * and for failed writes the value and the reason the kernel gave.
 */
public class SysfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The file concerned. */
    private final transient Path path;

    /**
     * @param path the file concerned
     * @param message what went wrong, naming the file
     * @param cause the underlying failure, or null
     */
    public SysfsException(Path path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** @return the file concerned */
    public Path path() {
        return path;
    }
}
