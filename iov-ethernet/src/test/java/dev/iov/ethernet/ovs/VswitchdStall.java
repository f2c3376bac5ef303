package dev.iov.ethernet.ovs;

import dev.iov.ethernet.ovsdb.Condition;
import dev.iov.ethernet.ovsdb.Operation;
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.ethernet.ovsdb.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test fault: ovs-vswitchd stops applying the database (it is sent {@code SIGSTOP}, as a hung or overloaded daemon
 * would be) until the next port added to a bridge has been taken off it again, then continues ({@code SIGCONT}).
 * An attach meanwhile commits its rows, waits in vain for ovs-vswitchd to apply them, and must remove them again;
 * ovs-vswitchd runs again as soon as that removal is committed, so the attach's wait for the removal to be applied
 * ends, and the next attach finds a working switch.
 *
 * <p>A watcher thread, on its own database connection, follows the bridge's {@code ports}. {@link #close} always
 * lets ovs-vswitchd continue, also when no attach came.
 */
final class VswitchdStall implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VswitchdStall.class);
    private static final String DB = "Open_vSwitch";

    private final long pid;
    private final OvsdbClient client;
    private final String bridge;
    private final Thread watcher;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The bridge's ports when the stall began. */
    private Set<Object> before = Set.of();
    private boolean resumed;
    private volatile boolean stopping;

    private VswitchdStall(long pid, OvsdbClient client, String bridge, Duration limit) {
        this.pid = pid;
        this.client = client;
        this.bridge = bridge;
        this.watcher = new Thread(() -> watch(limit), "vswitchd-stall " + bridge);
        this.watcher.setDaemon(true);
    }

    /**
     * Stops ovs-vswitchd until the next port added to the bridge is removed again, or until {@code limit} passed.
     *
     * @param daemons the daemons
     * @param bridge the bridge to watch
     * @param limit the longest stall
     * @return the stall; close it after the test step
     */
    static VswitchdStall untilNextPortIsRemoved(OvsDaemons daemons, String bridge, Duration limit) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(daemons.directory().resolve("ovs-vswitchd.pid"),
                    StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read ovs-vswitchd's pid in " + daemons.directory() + ": " + e, e);
        }
        OvsdbClient client = OvsdbClient.connect(daemons.dbTarget(), Duration.ofSeconds(10));
        VswitchdStall stall = new VswitchdStall(pid, client, bridge, limit);
        try {
            stall.before = stall.ports();
            signal(pid, "STOP");
            stall.watcher.start();
            return stall;
        } catch (RuntimeException | Error e) {
            stall.close();
            throw e;
        }
    }

    private void watch(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            Optional<Object> added = Optional.empty();
            while (!stopping && System.nanoTime() < deadline) {
                Set<Object> now = ports();
                if (added.isEmpty()) {
                    added = now.stream().filter(p -> !before.contains(p)).findFirst();
                } else if (!now.contains(added.get())) {
                    LOG.info("port {} was added to {} and removed again; ovs-vswitchd continues", added.get(), bridge);
                    return;
                }
                Thread.sleep(5);
            }
            if (stopping) {
                return;
            }
            failure.set(new AssertionError("no port was added to and removed from bridge " + bridge + " within "
                    + limit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            resume();
        }
    }

    private Set<Object> ports() {
        List<Row> rows = client.transact(DB, Operation.select("Bridge", List.of(Condition.eq("name", bridge)),
                List.of("ports"))).get(0).rows();
        return rows.isEmpty() ? Set.of() : new HashSet<>(rows.get(0).set("ports"));
    }

    private synchronized void resume() {
        if (!resumed) {
            resumed = true;
            signal(pid, "CONT");
        }
    }

    /**
     * Lets ovs-vswitchd continue (if the watcher has not yet) and stops watching.
     *
     * @throws AssertionError when the watcher saw no port come and go before its limit
     */
    @Override
    public void close() {
        try {
            stopping = true;
            if (watcher.isAlive()) {
                watcher.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                resume();
            } finally {
                client.close();
            }
        }
        Throwable failed = failure.get();
        if (failed instanceof AssertionError assertion) {
            throw assertion;
        }
        if (failed != null) {
            throw new IllegalStateException("watching bridge " + bridge + " failed: " + failed, failed);
        }
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -" + signal + " " + pid + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + signal + " to " + pid, e);
        }
    }
}
