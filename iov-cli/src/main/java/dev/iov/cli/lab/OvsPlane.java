package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.spi.Backends;
import dev.iov.api.spi.IoBackend;
import dev.iov.ethernet.ovs.OvsBackend;
import dev.iov.ethernet.ovs.OvsDaemons;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.CidrAddress;
import dev.iov.linux.netlink.LinkChange;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.TargetNamespace;
import dev.iov.linux.netlink.VethSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel plane of the {@code ovs} backend: every host is a namespace ({@code iov-lab-hN}) running a private
 * {@code ovsdb-server} and {@code ovs-vswitchd} ({@link OvsDaemons}, userspace datapath) with one bridge; every VM is
 * a namespace whose NIC is a veth whose other end is the backend's {@code system} port in the host's namespace; the
 * hosts' uplink ends of the top-of-rack veths are trunk ports of their bridges.
 *
 * <p>The backend adopts devices that exist, so the plane makes each vNIC's veth {@link #beforeAttach before} the
 * fabric attaches it, with the port name the backend will use. A VM keeps its namespace when it moves: it gets a
 * second NIC from the target host, the address moves over, and the old NIC is deleted.
 */
final class OvsPlane extends KernelPlane {

    private static final String BRIDGE = LabPlan.PREFIX + "sw";
    private static final String FIRST_NIC = "eth0";
    /** ovs-vswitchd writes interface statistics to the database every 5 s. */
    private static final long STATS_INTERVAL_MILLIS = 5_500;

    private final Map<HostId, OvsDaemons> daemons = new LinkedHashMap<>();
    private final Map<HostId, IoBackend> backends = new LinkedHashMap<>();
    /** Each VM's NIC now, and the one being prepared on a target host. */
    private final Map<String, String> nics = new ConcurrentHashMap<>();
    private final Map<String, String> preparedNics = new ConcurrentHashMap<>();

    @Override
    public String description() {
        return "VMs are network namespaces, hosts are Open vSwitch instances (private daemons in iov-lab-hN, "
                + "userspace datapath), uplinks are veth trunks on a kernel bridge (namespace " + TOR + ")";
    }

    @Override
    public synchronized void start(LabPlan plan) {
        // In the lab's run directory, private to root (LabLock): no other user can plant anything there.
        LabFiles.ownDirectory(LabCleaner.ovsParent());
        buildTopOfRack(plan.hosts(), this::hostNamespace);
        for (HostId host : plan.hosts()) {
            OvsDaemons d = OvsDaemons.start(LabCleaner.ovsParent(), hostNamespace(host));
            daemons.put(host, d);
            backends.put(host, Backends.create("ovs", host + "/ovs", Map.of("db", d.dbTarget(), "bridge", BRIDGE,
                    "port-type", "system")));
            d.vsctl("add-port", BRIDGE, uplinkOf(host).value());
        }
    }

    private NetworkNamespace hostNamespace(HostId host) {
        return namespace(LabPlan.PREFIX + host);
    }

    @Override
    public synchronized IoBackend backend(HostId host) {
        return backends.get(host);
    }

    @Override
    public String namespaceOf(String vm, HostId host) {
        return LabPlan.namespaceOf(vm);
    }

    @Override
    public void beforeAttach(String vm, VnicId vnic, HostId host) {
        NetworkNamespace vmNs = namespace(LabPlan.namespaceOf(vm));
        String nic = nics.containsKey(vm) ? "eth-" + host : FIRST_NIC;
        InterfaceName port = OvsBackend.portName(vnic);
        try (Rtnetlink rtnl = Rtnetlink.open(hostNamespace(host))) {
            rtnl.createVeth(new VethSpec(port, InterfaceName.of(nic), Optional.of(TargetNamespace.ofFd(vmNs.fd()))));
            rtnl.setUp(port);
        }
        preparedNics.put(vm, nic);
    }

    @Override
    public void vmUp(LabVm vm, Vnic vnic) {
        String nic = preparedNics.remove(vm.name());
        configure(vm, nic);
        nics.put(vm.name(), nic);
    }

    private void configure(LabVm vm, String nic) {
        try (Rtnetlink rtnl = Rtnetlink.open(vmNamespace(vm))) {
            InterfaceName name = InterfaceName.of(nic);
            rtnl.change(name, LinkChange.builder().macAddress(vm.mac()).build());
            rtnl.setUp(name);
            rtnl.addAddress(name, CidrAddress.parse(vm.ip()));
        }
        // ovs-vswitchd reads the switch end with AF_PACKET: the VM must hand it whole frames with their checksums
        // computed, not segmentation-offload super-frames with checksums left to hardware.
        ProcessOutput off = ProcessOutput.of(vmNamespace(vm).exec("ethtool", "-K", nic, "tx", "off", "tso", "off",
                "gso", "off"), 10, "ethtool in " + vm.netns());
        if (off.exit() != 0) {
            throw new IllegalStateException("ethtool -K " + nic + " in " + vm.netns() + " failed: "
                    + off.output().strip());
        }
    }

    @Override
    public void awaitCounters() {
        sleep(STATS_INTERVAL_MILLIS);
    }

    @Override
    public long mirror(LabVm vm, Vnic vnic, LabVm peer, Path file) {
        return OvsMirror.capture(daemons(vm.host()), hostNamespace(vm.host()), BRIDGE, vnic.attachment().handle(),
                file, () -> ping(peer, vm, 3));
    }

    @Override
    public void moved(LabVm before, LabVm after, Vnic vnic) {
        String nic = preparedNics.remove(after.name());
        String old = nics.put(after.name(), nic);
        configure(after, nic);
        NetworkNamespace ns = vmNamespace(after);
        try (Rtnetlink rtnl = Rtnetlink.open(ns)) {
            rtnl.deleteLink(InterfaceName.of(old));
        }
        GratuitousArp.send(ns, InterfaceName.of(nic), after);
    }

    @Override
    public void tamper(Vnic vnic, int vlan) {
        daemons(vnic.host()).vsctl("set", "port", vnic.attachment().handle(), "tag=" + vlan);
    }

    private synchronized OvsDaemons daemons(HostId host) {
        return daemons.get(host);
    }

    /** Closes the backends' connections, then stops the daemons (which delete their bridges and directories). */
    @Override
    synchronized void closeSwitches(List<RuntimeException> failures) {
        for (IoBackend backend : backends.values()) {
            try {
                backend.close();
            } catch (Exception e) {
                failures.add(e instanceof RuntimeException r ? r : new IllegalStateException(e));
            }
        }
        for (OvsDaemons d : daemons.values()) {
            try {
                d.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        LabCleaner.removeOvsParentIfEmpty();
    }
}
