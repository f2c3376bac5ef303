package dev.iov.cli.lab;

import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.FabricBuilder;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.VlanPool;
import dev.iov.api.store.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's fabric, provisioned only through the public {@link Fabric} API: one host per planned host with one 1
 * Gbit/s uplink served by the plane's backend, the two tenant networks created with VLANs chosen by the fabric (from
 * 101-199), and one vNIC per VM with a limit of 400 Mbit/s (no guarantee: a switch port cannot reserve bandwidth), admitted under a 4:1
 * oversubscription policy. Keeps the current picture of every VM (a migration changes its host).
 */
final class LabFabric {

    /** Every host's uplink speed. */
    static final Bandwidth UPLINK_SPEED = Bandwidth.ofGbps(1);
    /** Every vNIC's limit, enforced by its switch port. */
    static final Bandwidth MAX_RATE = Bandwidth.ofMbps(400);
    /** The uplinks' name. */
    static final String UPLINK = "uplink0";

    private final Fabric fabric;
    private final LabPlane plane;
    private final List<HostId> hosts;
    private final Map<String, LabVm> vms = new ConcurrentHashMap<>();
    private final List<String> order = new ArrayList<>();

    private LabFabric(Fabric fabric, LabPlane plane, List<HostId> hosts) {
        this.fabric = fabric;
        this.plane = plane;
        this.hosts = hosts;
    }

    /**
     * Starts the plane, builds the fabric and provisions every VM; on failure the caller's teardown removes what was
     * made (the plane owns every switch and namespace).
     *
     * @param plan the lab's shape
     * @param plane the data plane, not yet started
     * @return the fabric with every VM up
     */
    static LabFabric build(LabPlan plan, LabPlane plane) {
        plane.start(plan);
        FabricBuilder builder = Fabric.builder()
                .store(new InMemoryStateStore("iov-lab"))
                .vlanPool(VlanPool.ofRange(VlanId.of(101), VlanId.of(199)))
                .oversubscription(OversubscriptionPolicy.allowUpTo(4.0));
        for (HostId host : plan.hosts()) {
            builder.host(new Host(host, List.of(Uplink.ethernet(UPLINK, UPLINK_SPEED, BackendKind.VSWITCH_PORT))),
                    Objects.requireNonNull(plane.backend(host), "backend of " + host));
        }
        LabFabric lab = new LabFabric(builder.build(), plane, plan.hosts());
        for (NetworkId network : plan.networks()) {
            lab.fabric.createNetwork(network, NetworkKind.VLAN);
        }
        for (LabPlan.VmPlan vm : plan.vms()) {
            plane.beforeAttach(vm.name(), LabVm.vnicOf(vm.name()), vm.host());
            // Anti-spoofing where the backend can do it (the ovs backend cannot: it needs OpenFlow rules).
            boolean spoofCheck = plane.backend(vm.host()).capabilities().contains(Capability.SPOOF_CHECK);
            Vnic vnic = lab.fabric.provision(vm.host(), VnicSpec.builder(LabVm.vnicOf(vm.name()).value(), vm.name(),
                    vm.network().value()).maxRate(MAX_RATE).spoofCheck(spoofCheck).build());
            LabVm up = new LabVm(vm.name(), vm.host(), plane.namespaceOf(vm.name(), vm.host()), vm.ip(),
                    vnic.addresses().mac().orElseThrow(), vm.network());
            plane.vmUp(up, vnic);
            lab.vms.put(vm.name(), up);
            lab.order.add(vm.name());
        }
        return lab;
    }

    /** @return the fabric */
    Fabric fabric() {
        return fabric;
    }

    /** @return the plane */
    LabPlane plane() {
        return plane;
    }

    /** @return the hosts, in order */
    List<HostId> hosts() {
        return hosts;
    }

    /** @return every VM as it is now, in plan order */
    List<LabVm> vms() {
        return order.stream().map(vms::get).toList();
    }

    /**
     * @param network a network
     * @return its VMs, in plan order
     */
    List<LabVm> vmsOf(NetworkId network) {
        return vms().stream().filter(vm -> vm.network().equals(network)).toList();
    }

    /**
     * @param id a network
     * @return the network as the fabric declared it
     */
    Network network(NetworkId id) {
        return fabric.network(id).orElseThrow();
    }

    /**
     * @param vm a VM
     * @return its vNIC as the fabric has it now
     */
    Vnic vnic(LabVm vm) {
        return fabric.vnic(vm.vnic()).orElseThrow(() -> new IllegalStateException("no vNIC for " + vm.name()));
    }

    /**
     * Moves a VM through {@link Fabric#migrate} and lets the plane finish the move as the guest would.
     *
     * @param vm the VM
     * @param target its new host
     * @return the VM on its new host
     */
    LabVm migrate(LabVm vm, HostId target) {
        plane.beforeAttach(vm.name(), vm.vnic(), target);
        Vnic moved = fabric.migrate(vm.vnic(), target);
        LabVm after = vm.movedTo(target, plane.namespaceOf(vm.name(), target));
        plane.moved(vm, after, moved);
        vms.put(vm.name(), after);
        return after;
    }

    /** Closes the fabric's backends; the plane removes the rest. */
    void close() {
        fabric.close();
    }
}
