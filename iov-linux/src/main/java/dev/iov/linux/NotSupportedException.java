package dev.iov.linux;

/**
 * The device or driver does not support the operation: {@code EOPNOTSUPP} (a veth asked for VF settings, for
 * example).
 *
 * <p>Created only by {@link LinuxException#of(int, String, String)}.
 */
public final class NotSupportedException extends LinuxException {

    private static final long serialVersionUID = 1L;

    NotSupportedException(int errno, String operation, String object, String detail) {
        super(errno, operation, object, detail);
    }
}
