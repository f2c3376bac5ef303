package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.spi.IoBackend;
import dev.iov.ethernet.javaswitch.JavaSwitchBackend;
import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import dev.iov.ethernet.switching.MirrorConfig;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanMode;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import dev.iov.linux.netlink.CidrAddress;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VethSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real data plane (needs root and {@code /dev/net/tun}): every VM is a network namespace
 * ({@code iov-lab-vmN}) whose NIC is the TAP device of its vNIC; every host is one {@code java-switch} backend; the
 * hosts' trunk uplinks are veth pairs ({@code iov-lab-hN} / {@code iov-lab-hN-p}) on a kernel bridge
 * ({@code iov-lab-br}) in the namespace {@code iov-lab-tor}, the top-of-rack switch. Nothing is created in the
 * host's own namespace.
 *
 * <p>A namespace cannot hold two TAPs of one name, and the backend names a TAP after its vNIC. A VM that moves to
 * another host therefore gets a new incarnation there ({@code iov-lab-vmN-hM}) with the same MAC and address, as a
 * live-migrated guest gets a new TAP from the target's hypervisor; the old namespace is deleted once the move is
 * done.
 */
final class NamespacePlane implements LabPlane {

    private static final String TOR = LabPlan.PREFIX + "tor";
    private static final InterfaceName BRIDGE = InterfaceName.of(LabPlan.PREFIX + "br");
    /** Room for a VLAN tag and then some on the wire between the switches. */
    private static final int UPLINK_MTU = 1600;
    private static final Pattern IPERF_BYTES = Pattern.compile(
            "\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*([0-9]+)[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private final Map<String, NetworkNamespace> namespaces = new ConcurrentHashMap<>();
    private final Map<HostId, JavaSwitchBackend> backends = new LinkedHashMap<>();
    private final Map<String, HostId> homes = new ConcurrentHashMap<>();
    private NetworkNamespace tor;
    private boolean closed;

    @Override
    public String description() {
        return "VMs are network namespaces, hosts are java-switch instances, uplinks are veth trunks on a kernel "
                + "bridge (namespace " + TOR + ")";
    }

    @Override
    public synchronized void start(LabPlan plan) {
        plan.vms().forEach(vm -> homes.put(vm.name(), vm.host()));
        tor = namespace(TOR);
        try (Rtnetlink rtnl = Rtnetlink.open(tor)) {
            rtnl.createBridge(BRIDGE);
            rtnl.setMtu(BRIDGE, UPLINK_MTU);
            for (HostId host : plan.hosts()) {
                InterfaceName uplink = uplinkOf(host);
                InterfaceName port = InterfaceName.of(uplink.value() + "-p");
                rtnl.createVeth(VethSpec.of(uplink, port));
                rtnl.setMtu(uplink, UPLINK_MTU);
                rtnl.setMtu(port, UPLINK_MTU);
                rtnl.setMaster(port, BRIDGE);
                rtnl.setUp(port);
                rtnl.setUp(uplink);
            }
            rtnl.setUp(BRIDGE);
        }
        int maxPorts = plan.vms().size() + 8;
        for (HostId host : plan.hosts()) {
            backends.put(host, JavaSwitchBackend.builder(host + "/java-switch").maxPorts(maxPorts)
                    .uplink(uplinkOf(host), tor)
                    .tapPlacement(request -> Optional.of(namespace(namespaceOf(request.spec().vm(), request.host()))))
                    .build());
        }
    }

    private static InterfaceName uplinkOf(HostId host) {
        return InterfaceName.of(LabPlan.PREFIX + host);
    }

    @Override
    public synchronized IoBackend backend(HostId host) {
        return backends.get(host);
    }

    @Override
    public String namespaceOf(String vm, HostId host) {
        HostId home = homes.get(vm);
        return home == null || home.equals(host) ? LabPlan.namespaceOf(vm) : LabPlan.namespaceOf(vm, host);
    }

    /** The namespace of that name, created (with IPv6 off, so the kernel stays quiet on the NICs) on first use. */
    private NetworkNamespace namespace(String name) {
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
                return ns;
            } catch (RuntimeException e) {
                ns.close();
                throw e;
            }
        });
    }

    @Override
    public void vmUp(LabVm vm, Vnic vnic) {
        try (Rtnetlink rtnl = Rtnetlink.open(namespaces.get(vm.netns()))) {
            rtnl.addAddress(InterfaceName.of(vnic.attachment().handle()), CidrAddress.parse(vm.ip()));
        }
    }

    @Override
    public PingResult ping(LabVm from, LabVm to, int count) {
        return run(from, 10 + count, "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2", "-W", "1",
                to.address()).pingResult();
    }

    @Override
    public PingResult pingDuring(LabVm from, LabVm to, Supplier<LabVm> move) {
        Process ping = namespaces.get(from.netns()).exec("ping", "-n", "-q", "-c", "40", "-i", "0.05", "-W", "1",
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
            return SocketTransfer.run(namespaces.get(from.netns()), namespaces.get(to.netns()), to.address());
        }
        Process server = namespaces.get(to.netns()).exec("iperf3", "-s", "-1", "-B", to.address());
        try {
            for (int attempt = 0; attempt < 30; attempt++) {
                ProcessOutput client = run(from, 30, "iperf3", "-c", to.address(), "-t", "1", "-J");
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

    @Override
    public long mirror(LabVm vm, Vnic vnic, LabVm peer, Path file) {
        JavaSwitchBackend backend = backendOf(vnic);
        int port = backend.portIndex(vnic.attachment());
        try (PcapWriter pcap = PcapWriter.open(file, TimestampPrecision.MICROSECONDS)) {
            int mirror = backend.engine().addMirror(MirrorConfig.builder("lab-" + vm.name()).sourcePorts(port)
                    .destinationPorts(port).outputPcap(pcap).build());
            try {
                ping(peer, vm, 3);
            } finally {
                backend.engine().removeMirror(mirror);
            }
            pcap.flush();
            return pcap.framesWritten();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the mirror of " + vm.name() + " to " + file, e);
        }
    }

    @Override
    public void moved(LabVm before, LabVm after, Vnic vnic) {
        NetworkNamespace ns = namespaces.get(after.netns());
        InterfaceName nic = InterfaceName.of(vnic.attachment().handle());
        try (Rtnetlink rtnl = Rtnetlink.open(ns)) {
            rtnl.addAddress(nic, CidrAddress.parse(after.ip()));
        }
        byte[] announce = GeneratedFrames.gratuitousArp(after.mac(), after.address());
        ByteBuffer frame = ByteBuffer.allocateDirect(announce.length);
        try (PacketSocket socket = PacketSocket.open(nic.value(), ns)) {
            for (int i = 0; i < 2; i++) {
                frame.clear();
                frame.put(announce).flip();
                socket.send(frame);
            }
        }
        NetworkNamespace old = namespaces.remove(before.netns());
        if (old != null && !before.netns().equals(after.netns())) {
            old.close();
        }
    }

    @Override
    public void tamper(Vnic vnic, int vlan) {
        JavaSwitchBackend backend = backendOf(vnic);
        int port = backend.portIndex(vnic.attachment());
        PortConfig now = backend.engine().portConfig(port);
        PortConfig.Builder changed = PortConfig.builder(VlanMode.ACCESS).tag(vlan);
        vnic.addresses().mac().ifPresent(changed::allowSource);
        if (now.policingRateKbps() > 0) {
            changed.policing(now.policingRateKbps(), now.policingBurstKbit());
        }
        backend.engine().reconfigurePort(port, changed.build());
    }

    private synchronized JavaSwitchBackend backendOf(Vnic vnic) {
        JavaSwitchBackend backend = backends.get(vnic.host());
        if (backend == null || !backend.id().equals(vnic.attachment().backendId())) {
            throw new IllegalStateException("no java-switch backend for " + vnic.id() + " on " + vnic.host());
        }
        return backend;
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
        NetworkNamespace ns = namespaces.get(vm.netns());
        if (ns == null) {
            throw new IllegalStateException("no namespace " + vm.netns() + " for " + vm.name());
        }
        return ProcessOutput.of(ns.exec(command), timeoutSeconds, command[0] + " in " + vm.netns());
    }

    /** Stops the switches (their TAPs go with them), then deletes every namespace; collects failures. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (JavaSwitchBackend backend : backends.values()) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (NetworkNamespace ns : List.copyOf(namespaces.values())) {
            try {
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
