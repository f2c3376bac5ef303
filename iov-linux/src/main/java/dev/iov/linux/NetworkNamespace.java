package dev.iov.linux;

import static dev.iov.linux.LinuxAbi.CLONE_NEWNET;
import static dev.iov.linux.LinuxAbi.O_CLOEXEC;
import static dev.iov.linux.LinuxAbi.O_RDONLY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named network namespace that iov created, for tests and {@code iov lab}: VMs are namespaces, and sockets and
 * TAP devices are opened inside them.
 *
 * <p>Safety rule: iov only touches namespaces it creates, and those are named {@code iov-…} ({@link #PREFIX});
 * {@link #create} and {@link #deleteStale} refuse other names. Tests use {@code iov-t-<random>}. A namespace the user
 * names may be entered ({@link #open}) but is never deleted.
 *
 * <p>{@link #create} runs {@code ip netns add} and {@link #close} runs {@code ip netns delete}. Forking here is
 * deliberate: this is fixture set-up, not provisioning, and a named namespace is a bind mount under
 * {@code /var/run/netns} with mount-propagation details that iproute2 already gets right. The namespace is held open by
 * a file descriptor ({@link #fd()}) for as long as this object is open.
 *
 * <p>{@link #call} runs code inside the namespace: on a new thread that enters it with {@code setns} and ends when
 * the task does, so no pooled thread is ever left in a foreign namespace. A socket or TAP device opened in the task
 * belongs to the namespace for its whole life. The task must not start threads of its own: a thread inherits the
 * namespace of the thread that starts it.
 *
 * <p>A JVM shutdown hook deletes namespaces still open at exit (best effort: not after {@code kill -9};
 * {@link #deleteStale} cleans up after such a run). Thread-safe, except that {@link #close} must not race with a
 * {@link #call} in progress.
 */
public final class NetworkNamespace implements AutoCloseable {

    /** Every namespace iov creates or deletes has a name starting with this. */
    public static final String PREFIX = "iov-";

    private static final Logger LOG = LoggerFactory.getLogger(NetworkNamespace.class);
    /** Where {@code ip netns} keeps the bind mounts (iproute2's {@code NETNS_RUN_DIR}). */
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    /** iov- plus a file-name-safe tail; at most 63 characters so names stay readable in messages and paths. */
    private static final Pattern NAME = Pattern.compile("iov-[A-Za-z0-9][A-Za-z0-9._-]{0,58}");
    private static final Pattern NAME_PREFIX = Pattern.compile("iov-[A-Za-z0-9._-]{0,59}");
    private static final Set<NetworkNamespace> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    /** Any name {@code ip netns} can have that is safe in a path and a message. */
    private static final Pattern EXISTING_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+-]{0,62}");

    private final String name;
    /** Whether this object created the namespace and so deletes it on {@link #close}. */
    private final boolean owned;
    private int fd;

    private NetworkNamespace(String name, int fd, boolean owned) {
        this.name = name;
        this.fd = fd;
        this.owned = owned;
    }

    /**
     * Opens an existing named namespace ({@code /var/run/netns/NAME}, as {@code ip netns add} made it) without
     * taking it over: {@link #close} releases the descriptor and never deletes the namespace. For commands that
     * act inside a namespace the user names, e.g. {@code iov switch run --netns NAME}.
     *
     * @param name the namespace's name: a letter or digit, then up to 62 of {@code [A-Za-z0-9._@:+-]}
     * @return the open namespace
     * @throws IllegalArgumentException if the name is not of that form
     * @throws NoSuchDeviceException naming it if there is no such namespace
     * @throws LinuxException if it cannot be opened
     */
    public static NetworkNamespace open(String name) {
        Objects.requireNonNull(name, "name");
        if (!EXISTING_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a network namespace name (must match " + EXISTING_NAME + "): '"
                    + name + "'");
        }
        int fd = LibC.C.open(NETNS_DIR.resolve(name).toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            int errno = LibC.errno();
            throw LinuxException.of(errno == Errno.ENOENT.number() ? Errno.ENODEV.number() : errno,
                    "open network namespace", name);
        }
        return new NetworkNamespace(name, fd, false);
    }

    /**
     * @param name a namespace name
     * @return whether {@code /var/run/netns/NAME} exists (a named namespace, as {@code ip netns list} shows them)
     */
    public static boolean exists(String name) {
        return name != null && EXISTING_NAME.matcher(name).matches() && Files.exists(NETNS_DIR.resolve(name));
    }

    /**
     * Creates the named namespace ({@code ip netns add NAME}) and opens it.
     *
     * @param name {@code iov-} followed by 1–59 of {@code [A-Za-z0-9._-]}, starting with a letter or digit
     * @return the open namespace; close it to delete it
     * @throws IllegalArgumentException if the name is not an iov name
     * @throws AlreadyExistsException if a namespace of that name exists
     * @throws LinuxException if {@code ip} fails for another errno (e.g. {@link PermissionDeniedException})
     */
    public static NetworkNamespace create(String name) {
        requireName(name);
        installShutdownHook();
        IpCommand.run("create network namespace", name, "netns", "add", name);
        // From here on the namespace exists; whatever goes wrong (even an Error such as libc failing to load)
        // must delete it again, or it outlives the process.
        try {
            int fd = LibC.C.open(NETNS_DIR.resolve(name).toString(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw LinuxException.of(LibC.errno(), "open network namespace", name);
            }
            NetworkNamespace namespace = new NetworkNamespace(name, fd, true);
            OPEN.add(namespace);
            return namespace;
        } catch (RuntimeException | Error e) {
            try {
                IpCommand.run("delete network namespace", name, "netns", "delete", name);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Deletes leftover namespaces whose names start with {@code prefix}, e.g. after a test run was killed. Skips
     * namespaces this JVM still has open. Use a prefix specific to your run where other runs may be active at the
     * same time: {@code "iov-"} alone deletes every iov namespace on the host.
     *
     * @param prefix {@code iov-} optionally followed by more of the name
     * @return the names deleted, sorted
     * @throws IllegalArgumentException if the prefix does not start with {@code iov-}
     * @throws LinuxException if a deletion fails
     */
    public static List<String> deleteStale(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!NAME_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not an iov namespace prefix (must match " + NAME_PREFIX + "): '"
                    + prefix + "'");
        }
        if (!Files.isDirectory(NETNS_DIR)) {
            return List.of();
        }
        Set<String> inUse = OPEN.stream().map(NetworkNamespace::name).collect(Collectors.toSet());
        List<String> stale;
        try (Stream<Path> entries = Files.list(NETNS_DIR)) {
            stale = entries.map(path -> path.getFileName().toString())
                    .filter(entry -> entry.startsWith(prefix) && NAME.matcher(entry).matches())
                    .filter(entry -> !inUse.contains(entry))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + NETNS_DIR, e);
        }
        List<String> deleted = new ArrayList<>();
        for (String entry : stale) {
            IpCommand.run("delete network namespace", entry, "netns", "delete", entry);
            deleted.add(entry);
        }
        return deleted;
    }

    /** @return the namespace's name, e.g. {@code iov-t-3f9a} */
    public String name() {
        return name;
    }

    /**
     * The descriptor that holds the namespace open, for kernel interfaces that take one (netlink's
     * {@code IFLA_NET_NS_FD} to move a link here, {@code setns}). Owned by this object: valid until {@link #close()}.
     *
     * @return the descriptor
     * @throws IllegalStateException if closed
     */
    public synchronized int fd() {
        if (fd < 0) {
            throw new IllegalStateException("network namespace " + name + " is closed");
        }
        return fd;
    }

    /**
     * Runs {@code task} on a new thread that has entered this namespace, waits for it and returns its result. The
     * calling thread never changes namespace. If the caller is interrupted while waiting, the wait continues (the
     * task may be creating a device that must not be left behind) and the interrupt flag is set again afterwards.
     *
     * @param task the work; it must not start threads (they would stay in the namespace)
     * @param <T> the result type
     * @return what the task returned
     * @throws LinuxException if the thread cannot enter the namespace
     * @throws IllegalStateException if this namespace is closed
     * @throws CompletionException wrapping a checked exception thrown by the task; unchecked exceptions and errors
     *         are rethrown as they are
     */
    public <T> T call(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        int namespaceFd = fd();
        FutureTask<T> future = new FutureTask<>(() -> {
            if (LibC.C.setns(namespaceFd, CLONE_NEWNET) != 0) {
                throw LinuxException.of(LibC.errno(), "enter network namespace", name);
            }
            return task.call();
        });
        Thread worker = new Thread(future, "iov-netns-" + name);
        worker.setDaemon(true);
        worker.start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    if (cause instanceof Error) {
                        throw (Error) cause;
                    }
                    throw new CompletionException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts {@code command} inside this namespace ({@code ip netns exec NAME command…}), for tests and the lab
     * (ping, sysctl, tcpdump). Runs with {@code LC_ALL=C}; stderr is merged into stdout.
     *
     * @param command the program and its arguments
     * @return the started process; the caller reads its output and waits for it
     * @throws IllegalStateException if this namespace is closed
     * @throws UncheckedIOException if {@code ip} cannot be started
     */
    public Process exec(String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("no command to run in " + name);
        }
        fd();
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return IpCommand.start(full);
    }

    /**
     * Deletes the namespace ({@code ip netns delete NAME}) and releases the descriptor; later calls do nothing. A
     * namespace made with {@link #open} is only released, never deleted. The
     * kernel destroys the namespace, with its devices, once the last socket or device opened in it is closed too.
     *
     * @throws LinuxException if {@code ip} cannot delete it (a namespace already deleted by someone else is fine)
     */
    @Override
    public void close() {
        synchronized (this) {
            if (fd < 0) {
                return;
            }
            FdHandle.closeQuietly(fd);
            fd = -1;
        }
        if (!owned) {
            return;
        }
        OPEN.remove(this);
        try {
            IpCommand.run("delete network namespace", name, "netns", "delete", name);
        } catch (NoSuchDeviceException alreadyGone) {
            LOG.debug("network namespace {} was already deleted", name);
        }
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an iov namespace name (must match " + NAME + "): '" + name
                    + "'");
        }
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(NetworkNamespace::closeAllOpen, "iov-netns-cleanup"));
        }
    }

    private static void closeAllOpen() {
        for (NetworkNamespace namespace : List.copyOf(OPEN)) {
            try {
                namespace.close();
            } catch (RuntimeException e) {
                LOG.warn("could not delete network namespace {} at exit: {}", namespace.name, e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return "NetworkNamespace[" + name + "]";
    }
}
