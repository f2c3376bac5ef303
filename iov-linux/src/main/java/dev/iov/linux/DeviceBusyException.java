package dev.iov.linux;

/**
 * The device is in use and the operation cannot proceed now: {@code EBUSY} (a TAP queue already attached, a
 * device that must be down first).
 *
 * <p>Created only by {@link LinuxException#of(int, String, String)}.
 */
public final class DeviceBusyException extends LinuxException {

    private static final long serialVersionUID = 1L;

    DeviceBusyException(int errno, String operation, String object, String detail) {
        super(errno, operation, object, detail);
    }
}
