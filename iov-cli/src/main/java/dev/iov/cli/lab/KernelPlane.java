package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.net.InterfaceName;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.TargetNamespace;
import dev.iov.linux.netlink.VethSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel planes share (root, real traffic): VMs are network namespaces named {@code iov-lab-...}, their
 * traffic is {@code ping} and {@code iperf3} run inside them, and the hosts' trunk uplinks are veth pairs on a kernel
 * bridge ({@code iov-lab-br}) in the namespace {@code iov-lab-tor}, the top-of-rack switch. Subclasses make the
 * hosts' switches. Nothing is created in the host's own namespace.
 */
abstract class KernelPlane implements LabPlane {

    /** The top-of-rack namespace. */
    static final String TOR = LabPlan.PREFIX + "tor";
    private static final InterfaceName BRIDGE = InterfaceName.of(LabPlan.PREFIX + "br");
    /** Room for a VLAN tag and then some on the wire between the switches. */
    static final int UPLINK_MTU = 1600;
    private static final Pattern IPERF_BYTES = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*([0-9]+)[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private final Map<String, NetworkNamespace> namespaces = new ConcurrentHashMap<>();
    /**
     * Each namespace's identity, taken when it was made: the teardown ends what runs in it even when another
     * shutdown hook ({@link NetworkNamespace}'s) has deleted its name and closed its descriptor first.
     */
    private final Map<String, NamespaceProcesses.Identity> identities = new ConcurrentHashMap<>();
    /** Every command started in a VM, so that a teardown in the middle of a step ends them too. */
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private boolean closed;
    /**
     * Held while a namespace is made; {@link #close} sets {@link #closing} under it, so that a namespace the
     * scenario is making when SIGTERM comes is made before the teardown deletes them all, and none after.
     */
    private final Object creation = new Object();
    private boolean closing;

    /**
     * The namespace of that name, created (with IPv6 off, so the kernel stays quiet on the NICs) on first use.
     *
     * @param name an {@code iov-lab-} name
     * @return the namespace
     */
    final NetworkNamespace namespace(String name) {
        synchronized (creation) {
            if (closing) {
                throw new IllegalStateException("the lab is being torn down; not creating namespace " + name);
            }
            return createdNamespace(name);
        }
    }

    private NetworkNamespace createdNamespace(String name) {
        return namespaces.computeIfAbsent(name, n -> {
            NetworkNamespace ns = NetworkNamespace.create(n);
            try {
                ns.call(() -> {
                    for (String scope : List.of("all", "default")) {
                        Path knob = Path.of("/proc/sys/net/ipv6/conf", scope, "disable_ipv6");
                        if (Files.exists(knob)) {
                            Files.writeString(knob, "1");
                        }
                    }
                    return null;
                });
                Path descriptor = Path.of("/proc/self/fd", Integer.toString(ns.fd()));
                identities.put(n, NamespaceProcesses.Identity.of(descriptor)
                        .orElseThrow(() -> new IllegalStateException("cannot stat network namespace " + n)));
                return ns;
            } catch (RuntimeException e) {
                ns.close();
                throw e;
            }
        });
    }

    /**
     * Deletes a namespace made here, if it exists.
     *
     * @param name its name
     */
    final void deleteNamespace(String name) {
        NetworkNamespace ns = namespaces.remove(name);
        if (ns != null) {
            endProcessesIn(name);
            ns.close();
        }
    }

    /** Kills whatever still runs in a namespace made here (a VM's ping, a shell opened during --hold). */
    private void endProcessesIn(String name) {
        NamespaceProcesses.Identity identity = identities.remove(name);
        if (identity != null) {
            NamespaceProcesses.kill(identity, name);
        }
    }

    /**
     * Builds the top-of-rack switch: the bridge, and for every host a veth pair whose bridge end is
     * {@code iov-lab-hN-p} and whose host end {@code iov-lab-hN} goes into the namespace {@code hostSide} names.
     *
     * @param hosts the hosts
     * @param hostSide where each host's uplink end goes
     * @return the top-of-rack namespace
     */
    final NetworkNamespace buildTopOfRack(List<HostId> hosts, Function<HostId, NetworkNamespace> hostSide) {
        NetworkNamespace tor = namespace(TOR);
        try (Rtnetlink rtnl = Rtnetlink.open(tor)) {
            rtnl.createBridge(BRIDGE);
            rtnl.setMtu(BRIDGE, UPLINK_MTU);
            for (HostId host : hosts) {
                InterfaceName uplink = uplinkOf(host);
                InterfaceName port = InterfaceName.of(uplink.value() + "-p");
                NetworkNamespace side = hostSide.apply(host);
                rtnl.createVeth(new VethSpec(port, uplink, java.util.Optional.of(TargetNamespace.ofFd(side.fd()))));
                rtnl.setMtu(port, UPLINK_MTU);
                rtnl.setMaster(port, BRIDGE);
                rtnl.setUp(port);
                try (Rtnetlink hostRtnl = side == tor ? null : Rtnetlink.open(side)) {
                    Rtnetlink r = hostRtnl == null ? rtnl : hostRtnl;
                    r.setMtu(uplink, UPLINK_MTU);
                    r.setUp(uplink);
                }
            }
            rtnl.setUp(BRIDGE);
        }
        return tor;
    }

    /**
     * @param host a host
     * @return the name of its uplink's host end
     */
    static InterfaceName uplinkOf(HostId host) {
        return InterfaceName.of(LabPlan.PREFIX + host);
    }

    @Override
    public PingResult ping(LabVm from, LabVm to, int count) {
        return run(from, 10 + count, "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2", "-W", "1",
                to.address()).pingResult();
    }

    @Override
    public PingResult pingDuring(LabVm from, LabVm to, Supplier<LabVm> move) {
        Process ping = start(from, "ping", "-n", "-q", "-c", "40", "-i", "0.05", "-W", "1",
                to.address());
        try {
            sleep(600);
            move.get();
        } catch (RuntimeException | Error e) {
            ping.destroyForcibly();
            throw e;
        }
        return ProcessOutput.of(ping, 15, "ping during the migration").pingResult();
    }

    @Override
    public TransferResult transfer(LabVm from, LabVm to) {
        if (!ProcessOutput.onPath("iperf3")) {
            return SocketTransfer.run(vmNamespace(from), vmNamespace(to), to.address());
        }
        Process server = start(to, "iperf3", "-s", "-1", "-B", to.address());
        try {
            for (int attempt = 0; attempt < 30; attempt++) {
                ProcessOutput client = run(from, 15, "iperf3", "-c", to.address(), "-t", "1", "-J",
                        "--connect-timeout", "3000");
                if (client.output().contains("Connection refused") || client.output().contains("unable to connect")) {
                    sleep(100);
                    continue;
                }
                Matcher m = IPERF_BYTES.matcher(client.output());
                if (client.exit() != 0 || !m.find()) {
                    throw new IllegalStateException("iperf3 from " + from.name() + " to " + to.name() + " failed: "
                            + client.output().strip().replaceAll("\\s*\\R\\s*", " "));
                }
                return new TransferResult(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), "iperf3");
            }
            throw new IllegalStateException("the iperf3 server in " + to.netns() + " did not start listening");
        } finally {
            stop(server);
        }
    }

    /**
     * @param vm a VM
     * @return the namespace it is now
     */
    final NetworkNamespace vmNamespace(LabVm vm) {
        NetworkNamespace ns = namespaces.get(vm.netns());
        if (ns == null) {
            throw new IllegalStateException("no namespace " + vm.netns() + " for " + vm.name());
        }
        return ns;
    }

    /** Waits briefly for a one-off server to end by itself, then ends it. */
    private static void stop(Process server) {
        try {
            if (!server.waitFor(2, TimeUnit.SECONDS)) {
                server.destroy();
                if (!server.waitFor(2, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private ProcessOutput run(LabVm vm, int timeoutSeconds, String... command) {
        Process process = start(vm, command);
        try {
            return ProcessOutput.of(process, timeoutSeconds, command[0] + " in " + vm.netns());
        } finally {
            processes.remove(process);
        }
    }

    /**
     * Starts a command inside a VM and remembers it until the plane closes.
     *
     * @param vm the VM
     * @param command the command
     * @return the process
     */
    final Process start(LabVm vm, String... command) {
        Process process = vmNamespace(vm).exec(command);
        processes.add(process);
        processes.removeIf(p -> !p.isAlive());
        return process;
    }

    /**
     * Stops the hosts' switches; called once by {@link #close()} before the namespaces go.
     *
     * @param failures where to add what failed
     */
    abstract void closeSwitches(List<RuntimeException> failures);

    /** Stops the switches, then deletes every namespace; collects failures and throws the first. */
    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (creation) {
            closing = true;
        }
        List<RuntimeException> failures = new ArrayList<>();
        processes.forEach(Process::destroyForcibly);
        closeSwitches(failures);
        for (NetworkNamespace ns : List.copyOf(namespaces.values())) {
            try {
                endProcessesIn(ns.name());
                ns.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        namespaces.clear();
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
