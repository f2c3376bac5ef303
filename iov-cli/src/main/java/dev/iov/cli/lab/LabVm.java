package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.VnicId;
import dev.iov.api.net.MacAddress;
import java.util.Objects;

/**
 * One VM of the lab as a person sees it: where it runs and how to reach it.
 *
 * @param name the VM's name, e.g. {@code vm1}
 * @param host the host it runs on
 * @param netns the network namespace that is the VM ({@code iov-lab-vm1}); after a migration the namespace of its
 *     incarnation on the new host
 * @param ip its address with prefix length, in 198.18.0.0/15
 * @param mac its MAC address, from the fabric's pool
 * @param network the tenant network
 */
public record LabVm(String name, HostId host, String netns, String ip, MacAddress mac, NetworkId network) {

    /**
     * @param name the VM's name
     * @param host its host
     * @param netns its namespace
     * @param ip its address
     * @param mac its MAC
     * @param network its network
     */
    public LabVm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(network, "network");
    }

    /** @return the vNIC id of the VM's one NIC */
    public VnicId vnic() {
        return vnicOf(name);
    }

    /** @return the address without its prefix length */
    public String address() {
        return ip.substring(0, ip.indexOf('/'));
    }

    /**
     * @param newHost the host the VM moved to
     * @param newNetns the namespace of its incarnation there
     * @return this VM on the other host
     */
    public LabVm movedTo(HostId newHost, String newNetns) {
        return new LabVm(name, newHost, newNetns, ip, mac, network);
    }

    /**
     * @param vm a VM name
     * @return the id of its vNIC
     */
    static VnicId vnicOf(String vm) {
        return VnicId.of(vm + "-eth0");
    }
}
