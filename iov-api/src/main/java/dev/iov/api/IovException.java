package dev.iov.api;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The root of the exceptions iov throws when the world says no: the kernel, a device, a daemon, a subnet manager,
 * the state store, an address pool, or the fabric's own rules (admission, a vNIC busy with another operation). Each
 * failure family is a subclass ({@code BackendException}, {@code FabricException}, {@code StoreException},
 * {@code PoolExhaustedException}, {@code LinuxException}, ...), so a caller catches the family it can handle, or this
 * class for all of them.
 *
 * <p>Every instance names the operation that failed and, where the operating system refused it, carries the errno,
 * so that "busy, try again" ({@code EBUSY}) can be told from "not supported on this host" ({@code EOPNOTSUPP})
 * without parsing messages.
 *
 * <p>Two kinds of failure are deliberately not in this family, following the JDK's conventions: bad input is an
 * {@link IllegalArgumentException} whose message quotes the value and where it came from, and a call on something
 * closed is an {@link IllegalStateException}.
 */
public class IovException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What was being done. */
    private final String operation;
    /** The positive errno, or 0 for none. */
    private final int errno;

    /**
     * @param operation what was being done ({@code attach web-7-eth0}, {@code set MTU})
     * @param message the whole message, naming the object involved and why it failed
     */
    public IovException(String operation, String message) {
        this(operation, message, 0, null);
    }

    /**
     * @param operation what was being done
     * @param message the whole message, naming the object involved and why it failed
     * @param cause the underlying failure, or null
     */
    public IovException(String operation, String message, Throwable cause) {
        this(operation, message, 0, cause);
    }

    /**
     * @param operation what was being done
     * @param message the whole message, naming the object involved and why it failed
     * @param errno the positive errno the operating system answered with, or 0 for none
     * @param cause the underlying failure, or null
     * @throws IllegalArgumentException when {@code errno} is negative
     */
    public IovException(String operation, String message, int errno, Throwable cause) {
        super(message, cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        if (errno < 0) {
            throw new IllegalArgumentException("errno must be positive or 0, got " + errno);
        }
        this.errno = errno;
    }

    /** @return what was being done when it failed ({@code attach web-7-eth0}, {@code netlink send}) */
    public String operation() {
        return operation;
    }

    /** @return the positive errno the operating system answered with, if it said no */
    public OptionalInt errno() {
        return errno == 0 ? OptionalInt.empty() : OptionalInt.of(errno);
    }

    /**
     * The errno of a failure or of the first failure in its cause chain that carries one, for wrapping a failure of
     * a lower layer without losing why the kernel said no.
     *
     * @param failure any throwable
     * @return the errno found, or empty
     */
    public static OptionalInt errnoOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IovException iov && iov.errno != 0) {
                return OptionalInt.of(iov.errno);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return OptionalInt.empty();
    }
}
