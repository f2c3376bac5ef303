package dev.iov.linux;

/**
 * The kernel rejected an argument: {@code EINVAL} (an invalid interface name, an out-of-range value, an
 * attribute the kernel does not accept).
 *
 * <p>Created only by {@link LinuxException#of(int, String, String)}.
 */
public final class InvalidArgumentException extends LinuxException {

    private static final long serialVersionUID = 1L;

    InvalidArgumentException(int errno, String operation, String object, String detail) {
        super(errno, operation, object, detail);
    }
}
