package dev.iov.ethernet.ovs;

import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Open vSwitch: an {@code ovsdb-server} and an {@code ovs-vswitchd} running from a directory of their own,
 * for tests and {@code iov lab}. Nothing touches the system's {@code /var/run/openvswitch} or its database: the
 * daemons get {@code OVS_RUNDIR}, {@code OVS_DBDIR}, {@code OVS_LOGDIR} and {@code OVS_SYSCONFDIR} pointing at the
 * directory, and explicit socket, pid and log paths in it.
 *
 * <p>The daemons run in the foreground as child {@link Process}es (no {@code --detach}), so this object always knows
 * what to stop. {@link #close} first deletes every bridge (ovs-vswitchd makes its {@code netdev} ports as persistent
 * TAP devices, which would outlive it), then stops both daemons (SIGTERM, then SIGKILL) and deletes the directory.
 * A JVM shutdown hook closes instances still open at exit (not after {@code kill -9}). The kernel module is not
 * needed: use bridges with {@code datapath_type=netdev}.
 *
 * <p>With the userspace datapath ovs-vswitchd reads an interface's statistics from the kernel by device name in its
 * own namespace: an {@code internal} port moved into a VM's namespace still forwards frames but has no statistics.
 * For namespaces as VMs, connect them with veth pairs whose switch ends are {@code system} ports in the switch's
 * namespace ({@link #start(NetworkNamespace)}).
 */
public final class OvsDaemons implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OvsDaemons.class);
    /** Where Debian's openvswitch-common puts the schema. */
    public static final Path DEFAULT_SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<OvsDaemons> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private final Path directory;
    /** Where ovs-vswitchd runs, or null for the caller's namespace. */
    private final NetworkNamespace switchNamespace;
    private final List<Process> processes = new ArrayList<>();
    /** Guarded by {@code this}: {@link #close} runs once, and a second caller waits until it has finished. */
    private boolean closed;

    private OvsDaemons(Path directory, NetworkNamespace switchNamespace) {
        this.directory = directory;
        this.switchNamespace = switchNamespace;
    }

    /**
     * Starts the daemons in a new directory under {@code java.io.tmpdir}.
     *
     * @return the running daemons; close them to stop them and delete the directory
     * @throws OvsDaemonException when a program is missing or fails; whatever was started is stopped again
     */
    public static OvsDaemons start() {
        return start(Path.of(System.getProperty("java.io.tmpdir")), null);
    }

    /**
     * Starts the daemons in a new directory under {@code java.io.tmpdir}, with ovs-vswitchd inside a network
     * namespace: the devices it makes (a bridge's local port, {@code internal} and {@code tap} interfaces) appear
     * there and not in the host's namespace, and {@code system} interfaces are the namespace's devices. The caller
     * keeps the namespace and deletes it after {@link #close}.
     *
     * @param switchNamespace the namespace for ovs-vswitchd
     * @return the running daemons
     * @throws OvsDaemonException when a program is missing or fails; whatever was started is stopped again
     */
    public static OvsDaemons start(NetworkNamespace switchNamespace) {
        return start(Path.of(System.getProperty("java.io.tmpdir")), Objects.requireNonNull(switchNamespace,
                "switchNamespace"));
    }

    /**
     * Starts the daemons in a new directory under {@code parent} (keep it short: unix socket paths have at most 107
     * bytes).
     *
     * @param parent where to create the private directory
     * @param switchNamespace the namespace for ovs-vswitchd, or null for the caller's
     * @return the running daemons
     * @throws OvsDaemonException when a program is missing or fails; whatever was started is stopped again
     */
    public static OvsDaemons start(Path parent, NetworkNamespace switchNamespace) {
        Path directory;
        try {
            directory = Files.createTempDirectory(parent, "iov-ovs-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new OvsDaemonException("cannot create a private directory under " + parent + ": " + e, e);
        }
        OvsDaemons daemons = new OvsDaemons(directory, switchNamespace);
        installShutdownHook();
        OPEN.add(daemons);
        try {
            daemons.launch();
            return daemons;
        } catch (RuntimeException | Error e) {
            try {
                daemons.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** @return the private directory (database, sockets, pid files, logs) */
    public Path directory() {
        return directory;
    }

    /** @return the database socket as an OVSDB target, {@code unix:<dir>/db.sock} */
    public String dbTarget() {
        return "unix:" + directory.resolve("db.sock");
    }

    /**
     * Runs {@code ovs-vsctl} against this database (waiting for ovs-vswitchd to apply the change), as an operator
     * with a shell would.
     *
     * @param args the ovs-vsctl command, e.g. {@code "set", "port", "p1", "tag=20"}
     * @return its standard output
     * @throws OvsDaemonException when it fails
     */
    public String vsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + dbTarget(), "--timeout=20"));
        command.addAll(List.of(args));
        return run(command);
    }

    private void launch() {
        Path db = directory.resolve("conf.db");
        run(List.of("ovsdb-tool", "create", db.toString(), DEFAULT_SCHEMA.toString()));
        Path sock = directory.resolve("db.sock");
        Process server = spawn("ovsdb-server", List.of("ovsdb-server", db.toString(),
                "--remote=punix:" + sock, "--unixctl=" + directory.resolve("ovsdb-server.ctl"),
                "--pidfile=" + directory.resolve("ovsdb-server.pid"),
                "--log-file=" + directory.resolve("ovsdb-server.log"), "--no-chdir"));
        awaitFile(server, "ovsdb-server", sock);
        run(List.of("ovs-vsctl", "--db=" + dbTarget(), "--no-wait", "init"));
        Path vswitchdCtl = directory.resolve("ovs-vswitchd.ctl");
        List<String> command = new ArrayList<>();
        if (switchNamespace != null) {
            // ip execs the daemon in place, so the Process is ovs-vswitchd itself and destroy() reaches it.
            command.addAll(List.of("ip", "netns", "exec", switchNamespace.name()));
        }
        command.addAll(List.of("ovs-vswitchd", dbTarget(), "--unixctl=" + vswitchdCtl,
                "--pidfile=" + directory.resolve("ovs-vswitchd.pid"),
                "--log-file=" + directory.resolve("ovs-vswitchd.log"), "--no-chdir"));
        Process vswitchd = spawn("ovs-vswitchd", command);
        awaitFile(vswitchd, "ovs-vswitchd", vswitchdCtl);
        // Without --no-wait, ovs-vsctl returns once ovs-vswitchd has applied the database: the switch is ready.
        vsctl("init");
    }

    /**
     * Deletes every bridge, stops both daemons and deletes the directory. Idempotent, and one operation however many
     * callers there are (the owner and the shutdown hook on SIGTERM): a caller that comes while another is closing
     * waits until the daemons are stopped and the directory is gone, and never runs the teardown a second time.
     *
     * @throws OvsDaemonException when the directory cannot be deleted (the daemons are stopped regardless)
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        if (processes.size() == 2 && processes.stream().allMatch(Process::isAlive)) {
            try {
                for (String bridge : vsctl("list-br").lines().filter(l -> !l.isBlank()).toList()) {
                    vsctl("--if-exists", "del-br", bridge);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not delete the bridges of {}: {}", directory, e.getMessage());
            }
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            stop(processes.get(i));
        }
        deleteDirectory();
    }

    /** Deletes the directory; a file that vanishes meanwhile (a daemon removing its pid file as it exits) is fine. */
    private void deleteDirectory() {
        try {
            FileTrees.delete(directory);
        } catch (IOException e) {
            throw new OvsDaemonException("cannot delete " + directory + ": " + e, e);
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Process spawn(String name, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(directory.resolve(name + ".out").toFile());
        environment(builder.environment());
        try {
            synchronized (this) {
                // A shutdown hook may have closed this while it was starting: start nothing it would not stop.
                if (closed) {
                    throw new OvsDaemonException("stopped while starting " + name, null);
                }
                Process process = builder.start();
                processes.add(process);
                return process;
            }
        } catch (IOException e) {
            throw new OvsDaemonException("cannot start " + String.join(" ", command) + ": " + e, e);
        }
    }

    private void awaitFile(Process process, String name, Path file) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(file)) {
            if (!process.isAlive()) {
                throw new OvsDaemonException(name + " exited with status " + process.exitValue()
                        + " before creating " + file + ": " + tail(directory.resolve(name + ".out")), null);
            }
            if (System.nanoTime() > deadline) {
                throw new OvsDaemonException(name + " did not create " + file + " within " + START_TIMEOUT + ": "
                        + tail(directory.resolve(name + ".log")), null);
            }
            sleep(20);
        }
    }

    private String run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        environment(builder.environment());
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new OvsDaemonException(String.join(" ", command) + " did not finish", null);
            }
            if (process.exitValue() != 0) {
                throw new OvsDaemonException(String.join(" ", command) + " failed with status "
                        + process.exitValue() + ": " + output.strip(), null);
            }
            return output;
        } catch (IOException e) {
            throw new OvsDaemonException("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OvsDaemonException("interrupted running " + String.join(" ", command), e);
        }
    }

    private void environment(Map<String, String> env) {
        String dir = directory.toString();
        env.put("OVS_RUNDIR", dir);
        env.put("OVS_DBDIR", dir);
        env.put("OVS_LOGDIR", dir);
        env.put("OVS_SYSCONFDIR", dir);
        env.put("LC_ALL", "C");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no " + file.getFileName() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OvsDaemonException("interrupted while starting Open vSwitch", e);
        }
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(d -> {
                try {
                    d.close();
                } catch (RuntimeException e) {
                    LOG.warn("could not stop Open vSwitch in {} at exit: {}", d.directory, e.getMessage());
                }
            }), "iov-ovs-cleanup"));
        }
    }

    @Override
    public String toString() {
        return "OvsDaemons[" + directory + "]";
    }
}
