package dev.iov.linux;

import dev.iov.api.IovException;
import java.util.Objects;

/**
 * A Linux call failed with an errno. Carries the errno (number and symbolic name), the operation that failed and
 * the object it acted on (an interface, a path, a socket), so that a message like
 * {@code set MTU on 'veth0' failed: EOPNOTSUPP (95) Operation not supported} can be read without a stack trace.
 *
 * <p>One subclass per failure family, so callers catch what they can handle (Netty style) rather than compare
 * numbers: {@link PermissionDeniedException}, {@link NoSuchDeviceException}, {@link AlreadyExistsException},
 * {@link NotSupportedException}, {@link DeviceBusyException}, {@link InvalidArgumentException}; every other errno is
 * this class itself. Always create instances with {@link #of(int, String, String)}, which picks the subclass; the
 * netlink layer maps {@code NLMSG_ERROR} codes through the same factory.
 */
public sealed class LinuxException extends IovException
        permits PermissionDeniedException, NoSuchDeviceException, AlreadyExistsException, NotSupportedException,
        DeviceBusyException, InvalidArgumentException {

    private static final long serialVersionUID = 1L;

    /** The positive errno. */
    private final int errno;
    /** What it was done to, or {@code null}. */
    private final String object;

    LinuxException(int errno, String operation, String object, String detail) {
        super(operation, message(errno, operation, object, detail), errno, null);
        this.errno = errno;
        this.object = object;
    }

    /**
     * Creates the exception of the family {@code errno} belongs to.
     *
     * @param errno the errno, positive or negated (netlink reports it negated); 0 is not an error and is rejected
     * @param operation what was being done, e.g. {@code "set MTU"} or {@code "netlink send"}
     * @param object what it was done to, e.g. an interface name or a path; {@code null} when there is none
     * @return the typed exception, to be thrown by the caller
     * @throws IllegalArgumentException if {@code errno} is 0
     */
    public static LinuxException of(int errno, String operation, String object) {
        return of(errno, operation, object, null);
    }

    /**
     * Like {@link #of(int, String, String)}, with a sentence appended to the message that says more than the errno
     * can, e.g. the sizes involved in an {@code EMSGSIZE}.
     *
     * @param errno the errno, positive or negated; not 0
     * @param operation what was being done
     * @param object what it was done to; {@code null} when there is none
     * @param detail extra explanation appended after the errno text; {@code null} for none
     * @return the typed exception, to be thrown by the caller
     * @throws IllegalArgumentException if {@code errno} is 0
     */
    public static LinuxException of(int errno, String operation, String object, String detail) {
        Objects.requireNonNull(operation, "operation");
        if (errno == 0 || errno == Integer.MIN_VALUE) {
            throw new IllegalArgumentException("not an errno: " + errno + " (" + operation + ")");
        }
        int positive = Math.abs(errno);
        Errno known = Errno.of(positive).orElse(null);
        if (known == null) {
            return new LinuxException(positive, operation, object, detail);
        }
        switch (known) {
            case EPERM:
            case EACCES:
                return new PermissionDeniedException(positive, operation, object, detail);
            case ENODEV:
            case ENOENT:
            case ENXIO:
                return new NoSuchDeviceException(positive, operation, object, detail);
            case EEXIST:
                return new AlreadyExistsException(positive, operation, object, detail);
            case EOPNOTSUPP:
                return new NotSupportedException(positive, operation, object, detail);
            case EBUSY:
                return new DeviceBusyException(positive, operation, object, detail);
            case EINVAL:
                return new InvalidArgumentException(positive, operation, object, detail);
            default:
                return new LinuxException(positive, operation, object, detail);
        }
    }

    private static String message(int errno, String operation, String object, String detail) {
        StringBuilder text = new StringBuilder(operation);
        if (object != null) {
            text.append(" on '").append(object).append('\'');
        }
        text.append(" failed: ").append(Errno.describe(errno));
        Errno.of(errno).ifPresent(known -> text.append(' ').append(known.message()));
        if (detail != null) {
            text.append(": ").append(detail);
        }
        return text.toString();
    }

    /** @return the positive errno number ({@link #errno()} holds it too, as every {@link IovException}) */
    public int errnoNumber() {
        return errno;
    }

    /** @return the symbolic errno name, e.g. {@code EOPNOTSUPP}, or {@code errno N} for numbers iov does not name */
    public String errnoName() {
        return Errno.of(errno).map(Enum::name).orElse("errno " + errno);
    }

    /** @return the object the operation acted on (interface, path, socket), or {@code null} if none was named */
    public String object() {
        return object;
    }
}
