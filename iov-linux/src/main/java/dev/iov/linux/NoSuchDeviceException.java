package dev.iov.linux;

/**
 * The interface, device or file the operation names does not exist: {@code ENODEV}, {@code ENOENT} or
 * {@code ENXIO}.
 *
 * <p>Created only by {@link LinuxException#of(int, String, String)}.
 */
public final class NoSuchDeviceException extends LinuxException {

    private static final long serialVersionUID = 1L;

    NoSuchDeviceException(int errno, String operation, String object, String detail) {
        super(errno, operation, object, detail);
    }
}
