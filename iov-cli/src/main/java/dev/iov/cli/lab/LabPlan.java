package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.NetworkId;
import dev.iov.cli.UserInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a lab, decided before anything is created: its hosts, its two tenant networks, and its VMs with
 * names, hosts and addresses. VMs are numbered across networks ({@code vm1}...) and spread over the hosts round
 * robin, so every network spans several hosts. Every VM has an address in the one subnet {@code 198.18.1.0/24}
 * ({@code vmN} has {@code 198.18.1.N}): the tenants are told apart by their VLAN alone, which is what makes the
 * cross-tenant ping a test of isolation and not of routing.
 *
 * @param hosts the simulated hosts
 * @param networks the tenant networks
 * @param vms the VMs, network by network
 */
public record LabPlan(List<HostId> hosts, List<NetworkId> networks, List<VmPlan> vms) {

    /** Fewest hosts: a migration needs a second one. */
    public static final int MIN_HOSTS = 2;
    /** Most hosts: each one is a switch thread on a small machine, and link names must stay under 16 bytes. */
    public static final int MAX_HOSTS = 8;
    /** Fewest VMs per network: a ping within a tenant needs two. */
    public static final int MIN_VMS = 2;
    /** Most VMs per network, so that the run stays under a minute. */
    public static final int MAX_VMS = 20;
    /** The subnet all VMs share. */
    public static final String SUBNET = "198.18.1.0/24";
    /** Every namespace and link of the lab starts with this. */
    public static final String PREFIX = "iov-lab-";

    /**
     * One planned VM.
     *
     * @param name {@code vmN}
     * @param host where it starts
     * @param network its tenant network
     * @param ip its address with prefix length
     */
    public record VmPlan(String name, HostId host, NetworkId network, String ip) {
    }

    /**
     * @param hostCount how many hosts
     * @param vmsPerNetwork how many VMs in each of the two networks
     * @return the plan
     * @throws UserInputException when a count is out of range, naming the option and the value
     */
    public static LabPlan of(int hostCount, int vmsPerNetwork) {
        if (hostCount < MIN_HOSTS || hostCount > MAX_HOSTS) {
            throw new UserInputException("--hosts must be " + MIN_HOSTS + " to " + MAX_HOSTS + " (a migration needs "
                    + "two hosts), got '" + hostCount + "'");
        }
        if (vmsPerNetwork < MIN_VMS || vmsPerNetwork > MAX_VMS) {
            throw new UserInputException("--vms (VMs per network) must be " + MIN_VMS + " to " + MAX_VMS + ", got '"
                    + vmsPerNetwork + "'");
        }
        List<HostId> hosts = new ArrayList<>();
        for (int h = 1; h <= hostCount; h++) {
            hosts.add(HostId.of("h" + h));
        }
        List<NetworkId> networks = List.of(NetworkId.of("tenant-a"), NetworkId.of("tenant-b"));
        List<VmPlan> vms = new ArrayList<>();
        int n = 0;
        for (NetworkId network : networks) {
            for (int i = 0; i < vmsPerNetwork; i++) {
                n++;
                vms.add(new VmPlan("vm" + n, hosts.get((n - 1) % hostCount), network, "198.18.1." + n + "/24"));
            }
        }
        return new LabPlan(List.copyOf(hosts), networks, List.copyOf(vms));
    }

    /**
     * @param vm a VM name
     * @return the name of the namespace that is that VM on its first host
     */
    public static String namespaceOf(String vm) {
        return PREFIX + vm;
    }

    /**
     * @param vm a VM name
     * @param host a host it moved to
     * @return the namespace of its incarnation on that host
     */
    public static String namespaceOf(String vm, HostId host) {
        return PREFIX + vm + "-" + host;
    }
}
