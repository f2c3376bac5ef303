package dev.iov.linux;

/**
 * The object the operation would create exists already: {@code EEXIST}.
 *
 * <p>Created only by {@link LinuxException#of(int, String, String)}.
 */
public final class AlreadyExistsException extends LinuxException {

    private static final long serialVersionUID = 1L;

    AlreadyExistsException(int errno, String operation, String object, String detail) {
        super(errno, operation, object, detail);
    }
}
