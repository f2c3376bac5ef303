package dev.iov.linux;

/**
 * The caller lacks the privilege for the operation: {@code EPERM} (usually a missing {@code CAP_NET_ADMIN}) or
 * {@code EACCES} (file permissions).
 *
 * <p>Created only by {@link LinuxException#of(int, String, String)}.
 */
public final class PermissionDeniedException extends LinuxException {

    private static final long serialVersionUID = 1L;

    PermissionDeniedException(int errno, String operation, String object, String detail) {
        super(errno, operation, object, detail);
    }
}
