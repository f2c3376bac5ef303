package dev.iov.cli.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Removes a lab exactly once, whoever asks first: the command when the scenario ends or fails, or the JVM shutdown
 * hook on Ctrl-C or SIGTERM (also while the scenario runs or the lab is held). The fabric is closed first (its
 * backends stop their switches, taking the TAPs along), then the plane deletes its namespaces and uplinks.
 */
final class LabTeardown implements Runnable {

    private final LabPlane plane;
    private final Consumer<String> report;
    private LabFabric fabric;
    private boolean done;
    private Thread hook;

    /**
     * @param plane the plane to remove
     * @param report where to say what was removed (one line)
     */
    LabTeardown(LabPlane plane, Consumer<String> report) {
        this.plane = plane;
        this.report = report;
    }

    /** @param value the fabric, once it is built */
    synchronized void fabric(LabFabric value) {
        this.fabric = value;
    }

    /** Registers this teardown as a JVM shutdown hook. */
    synchronized void installHook() {
        hook = new Thread(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                // The JVM would print a stack trace for an exception a hook throws: one line instead.
                System.err.println("iov: lab teardown: " + e.getMessage());
                System.err.flush();
            }
        }, "iov-lab-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the shutdown hook after a normal teardown; harmless while the JVM is shutting down. */
    synchronized void removeHook() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
            hook = null;
        }
    }

    @Override
    public synchronized void run() {
        if (done) {
            return;
        }
        done = true;
        List<RuntimeException> failures = new ArrayList<>();
        if (fabric != null) {
            try {
                fabric.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            plane.close();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (failures.isEmpty()) {
            report.accept("torn down: every switch, uplink and iov-lab- namespace removed");
        } else {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
