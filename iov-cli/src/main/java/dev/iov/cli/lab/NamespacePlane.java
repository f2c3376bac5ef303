package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.spi.IoBackend;
import dev.iov.ethernet.javaswitch.JavaSwitchBackend;
import dev.iov.ethernet.switching.PortConfig;
import dev.iov.ethernet.switching.VlanMode;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.CidrAddress;
import dev.iov.linux.netlink.Rtnetlink;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel plane of the {@code java-switch} backend: every VM is a network namespace ({@code iov-lab-vmN}) whose
 * NIC is the TAP device of its vNIC; every host is one {@code java-switch} backend whose trunk uplink is bound with
 * {@code AF_PACKET} to its veth end in the top-of-rack namespace.
 *
 * <p>A namespace cannot hold two TAPs of one name, and the backend names a TAP after its vNIC. A VM that moves to
 * another host therefore gets a new incarnation there ({@code iov-lab-vmN-hM}) with the same MAC and address, as a
 * live-migrated guest gets a new TAP from the target's hypervisor; the old namespace is deleted once the move is
 * done.
 */
final class NamespacePlane extends KernelPlane {

    private final Map<HostId, JavaSwitchBackend> backends = new LinkedHashMap<>();
    private final Map<String, HostId> homes = new ConcurrentHashMap<>();

    @Override
    public String description() {
        return "VMs are network namespaces, hosts are java-switch instances, uplinks are veth trunks on a kernel "
                + "bridge (namespace " + TOR + ")";
    }

    @Override
    public synchronized void start(LabPlan plan) {
        plan.vms().forEach(vm -> homes.put(vm.name(), vm.host()));
        NetworkNamespace tor = buildTopOfRack(plan.hosts(), host -> namespace(TOR));
        int maxPorts = plan.vms().size() + 8;
        for (HostId host : plan.hosts()) {
            backends.put(host, JavaSwitchBackend.builder(host + "/java-switch").maxPorts(maxPorts)
                    .uplink(uplinkOf(host), tor)
                    .tapPlacement(request -> Optional.of(namespace(namespaceOf(request.spec().vm(), request.host()))))
                    .build());
        }
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

    @Override
    public void vmUp(LabVm vm, Vnic vnic) {
        try (Rtnetlink rtnl = Rtnetlink.open(vmNamespace(vm))) {
            rtnl.addAddress(InterfaceName.of(vnic.attachment().handle()), CidrAddress.parse(vm.ip()));
        }
    }

    @Override
    public long mirror(LabVm vm, Vnic vnic, LabVm peer, Path file) {
        JavaSwitchBackend backend = backendOf(vnic);
        int port = backend.portIndex(vnic.attachment());
        return PcapMirror.capture(file, vm.name(), port, backend.engine()::addMirror, backend.engine()::removeMirror,
                () -> ping(peer, vm, 3));
    }

    @Override
    public void moved(LabVm before, LabVm after, Vnic vnic) {
        NetworkNamespace ns = vmNamespace(after);
        InterfaceName nic = InterfaceName.of(vnic.attachment().handle());
        try (Rtnetlink rtnl = Rtnetlink.open(ns)) {
            rtnl.addAddress(nic, CidrAddress.parse(after.ip()));
        }
        GratuitousArp.send(ns, nic, after);
        if (!before.netns().equals(after.netns())) {
            deleteNamespace(before.netns());
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

    /** Stops the switches; their TAPs go with them. */
    @Override
    synchronized void closeSwitches(List<RuntimeException> failures) {
        for (JavaSwitchBackend backend : backends.values()) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }
}
