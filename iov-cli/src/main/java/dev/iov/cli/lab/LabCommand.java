package dev.iov.cli.lab;

import dev.iov.cli.ExitCodes;
import dev.iov.cli.StopSignal;
import dev.iov.cli.VersionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code iov lab}: builds a small virtual I/O fabric on this machine, exercises it step by step, and tears it down.
 * The command only reads its options and wires the parts together: {@link LabPlan} (shape), a {@link LabPlane}
 * (data plane), {@link LabFabric} (provisioning through {@link dev.iov.api.fabric.Fabric}), {@link LabScenario}
 * (steps), a {@link LabReporter} (text or JSON lines) and {@link LabTeardown}.
 *
 * <p>Unlike other commands, {@code --json} prints JSON lines, not one document: the lab reports as it goes.
 */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Build a virtual I/O fabric on this machine and show it working: network namespaces as VMs on "
                    + "simulated hosts (java-switch instances joined by veth trunks), two tenant networks (VLANs), "
                    + "everything provisioned through the Fabric API. Then: pings within and across tenants, a TCP "
                    + "transfer, per-vNIC counters, a mirror to a pcap file, a live migration with a ping running, "
                    + "drift found and repaired, the oversubscription report; a summary; teardown (also on "
                    + "Ctrl-C/SIGTERM).",
            "Without root or /dev/net/tun it says so and runs the same scenario on the in-process switch with "
                    + "generated frames. Names start with iov-lab-, addresses are in 198.18.0.0/15; a lab left by "
                    + "a killed run is removed first (with every process left in its namespaces); one kernel lab "
                    + "runs at a time (a lock in /run/iov)."},
        footer = {"", "Examples:",
            "  sudo iov lab                      # 2 hosts, 3 VMs in each of 2 tenants",
            "  sudo iov lab --hosts 3 --vms 4 --json",
            "  sudo iov lab --hold               # poke at it: ip netns exec iov-lab-vm1 ...",
            "  sudo iov lab --backend ovs        # hosts are private Open vSwitch daemons",
            "  sudo iov lab --clean              # remove a lab left by a killed run"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every step showed what it should (--hold: also when SIGINT/SIGTERM ended the hold)",
            "1:a step failed, the lab could not be built, or another lab is running (one line on stderr)",
            "2:invalid option, e.g. --vms 1 or --hosts 1",
            "130:interrupted by SIGINT (Ctrl-C) before the end; the lab is torn down",
            "143:terminated by SIGTERM before the end; the lab is torn down"
        })
public final class LabCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--hosts", paramLabel = "N", defaultValue = "2",
            description = "Simulated hosts, " + LabPlan.MIN_HOSTS + "-" + LabPlan.MAX_HOSTS + " (default: ${DEFAULT-VALUE}).")
    private int hosts;

    @Option(names = "--vms", paramLabel = "N", defaultValue = "3",
            description = "VMs in each of the two tenant networks, " + LabPlan.MIN_VMS + "-" + LabPlan.MAX_VMS
                    + " (default: ${DEFAULT-VALUE}, so 6 VMs in all).")
    private int vms;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "java-switch",
            description = "The backend of every host: java-switch (default) or ovs (private ovsdb-server and "
                    + "ovs-vswitchd per host; needs Open vSwitch and ethtool, and root).")
    private String backend;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Where the mirror is written (default: iov-lab-vm1.pcap in a new private directory "
                    + "iov-lab-* in the temporary directory). Not a symbolic link nor another user's file.")
    private Path pcap;

    @Option(names = "--json", description = "Print JSON lines: the VMs once the fabric is up, one event per step, "
            + "a final summary.")
    private boolean json;

    @Option(names = "--hold", description = "Keep the fabric up after the scenario until Ctrl-C or SIGTERM.")
    private boolean hold;

    @Option(names = "--clean", description = "Only remove a lab left behind by a killed run, then exit.")
    private boolean clean;

    @Option(names = "--in-process", hidden = true,
            description = "Run on the in-process switch even where the kernel lab could run (for tests).")
    private boolean inProcess;

    /** Created by picocli. */
    public LabCommand() {
    }

    @Override
    public Integer call() throws Exception {
        LabPlan plan = LabPlan.of(hosts, vms);
        LabBackendChoice choice = LabBackendChoice.parse(backend);
        if (pcap != null) {
            LabFiles.checkPcapOption(pcap);
        }
        PrintWriter out = spec.root().commandLine().getOut();
        LabReporter reporter = json ? new JsonReporter(out) : new TextReporter(out);
        if (clean) {
            List<String> removed;
            // Without root there is no kernel lab to remove, nor a run directory to lock.
            try (LabLock lock = LabEnvironment.isRoot() ? LabLock.acquire() : null) {
                removed = LabCleaner.clean();
            }
            reporter.notice("clean", removed.isEmpty() ? "no stale lab found"
                    : "removed a stale lab: " + String.join(", ", removed));
            return ExitCodes.OK;
        }
        Optional<String> unavailable = inProcess ? Optional.of("--in-process given")
                : LabEnvironment.kernelLabUnavailable();
        LabPlane plane;
        LabLock lock = null;
        if (unavailable.isPresent()) {
            choice.requireKernel(unavailable.get());
            reporter.notice("fallback", unavailable.get() + ": running the same scenario on the in-process switch "
                    + "with generated frames");
            plane = new InProcessPlane();
        } else {
            // Held until the teardown is done (or the process ends): a second lab cannot tear this one down.
            lock = LabLock.acquire();
            try {
                List<String> stale = LabCleaner.clean();
                if (!stale.isEmpty()) {
                    reporter.notice("stale", "removed a lab left by a killed run: " + String.join(", ", stale));
                }
            } catch (RuntimeException | Error e) {
                lock.close();
                throw e;
            }
            plane = choice.kernelPlane();
        }
        try {
            return run(plan, plane, reporter);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    private int run(LabPlan plan, LabPlane plane, LabReporter reporter) throws InterruptedException {
        // Not a fixed name in the temporary directory, which any user could have made a link to any file: a fresh
        // private directory, and the file created there with O_EXCL.
        Path defaultDirectory = pcap != null ? null
                : LabFiles.freshDirectory(Path.of(System.getProperty("java.io.tmpdir")), LabPlan.PREFIX);
        Path pcapFile = pcap != null ? pcap
                : LabFiles.createNew(defaultDirectory.resolve(LabPlan.namespaceOf(plan.vms().get(0).name()) + ".pcap"));
        long start = System.nanoTime();
        LabTeardown teardown = new LabTeardown(plane, message -> reporter.notice("teardown", message));
        teardown.installHook();
        List<StepResult> results;
        try {
            LabFabric lab = LabFabric.build(plan, plane);
            teardown.fabric(lab);
            reporter.fabricUp(plane.description(), lab.vms());
            results = new LabScenario(lab, reporter, pcapFile).run();
            if (hold) {
                reporter.summary(results, seconds(start), pcapFile.toString());
                reporter.notice("hold", "holding the fabric up; Ctrl-C or SIGTERM tears it down");
                // The signal ends the hold as designed: torn down below, exit 0 (1 if a step failed), not 130/143.
                StopSignal.interruptOrTerminate().await(() -> true);
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            removeIfEmpty(defaultDirectory, pcapFile);
            throw e;
        } finally {
            teardown.run();
            teardown.removeHook();
        }
        if (!hold) {
            reporter.summary(results, seconds(start), pcapFile.toString());
        }
        List<String> failed = results.stream().filter(r -> !r.ok()).map(StepResult::step).toList();
        if (!failed.isEmpty()) {
            throw new LabFailedException("lab: " + failed.size() + " of " + results.size() + " steps failed: "
                    + String.join(", ", failed));
        }
        return ExitCodes.OK;
    }

    /** Removes the default pcap and its directory when the lab ended before the mirror wrote anything. */
    private static void removeIfEmpty(Path directory, Path file) {
        if (directory == null) {
            return;
        }
        try {
            if (Files.size(file) == 0) {
                Files.delete(file);
                Files.delete(directory);
            }
        } catch (IOException e) {
            // best effort: a file of the lab's own, in its own directory
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** A lab step did not show what it should; the command exits with {@link ExitCodes#FAILURE}. */
    static final class LabFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LabFailedException(String message) {
            super(message);
        }
    }
}
