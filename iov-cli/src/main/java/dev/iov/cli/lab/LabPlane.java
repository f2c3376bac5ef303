package dev.iov.cli.lab;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.spi.IoBackend;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The data plane a lab's VMs live on: it makes each host's backend and the uplinks between hosts, and it sends the
 * VMs' traffic. The fabric does all provisioning through the backends; the plane does only what a VM or a person at
 * the host would do (configure an address, ping, change a port by hand).
 *
 * <p>Two planes: {@link NamespacePlane} (root: network namespaces on {@code java-switch} backends, real kernel
 * traffic) and {@link InProcessPlane} (anyone: the in-process switch with generated frames). Implementations are
 * thread-safe: pings may run in parallel.
 */
public interface LabPlane extends AutoCloseable {

    /** @return one line saying what the VMs, switches and uplinks are */
    String description();

    /**
     * Creates the hosts' switches and the uplinks that join them.
     *
     * @param plan the lab's shape
     */
    void start(LabPlan plan);

    /**
     * @param host a host of the plan
     * @return its backend, made by {@link #start}
     */
    IoBackend backend(HostId host);

    /**
     * @param vm a VM name
     * @param host the host it runs on
     * @return what the VM is, for people: its namespace's name, or a description
     */
    String namespaceOf(String vm, HostId host);

    /**
     * Prepares what a backend needs before the fabric attaches a vNIC on a host (a device for a backend that adopts
     * existing devices); nothing by default.
     *
     * @param vm the VM's name
     * @param vnic its vNIC
     * @param host the host it is about to be attached on
     */
    default void beforeAttach(String vm, VnicId vnic, HostId host) {
    }

    /** Waits until the backends' counters include the traffic sent so far; at once by default. */
    default void awaitCounters() {
    }

    /**
     * Brings a provisioned VM's NIC up with its address, as its guest would.
     *
     * @param vm the VM
     * @param vnic its vNIC as the fabric provisioned it
     */
    void vmUp(LabVm vm, Vnic vnic);

    /**
     * @param from the pinging VM
     * @param to the VM pinged
     * @param count echo requests to send
     * @return how many were answered
     */
    PingResult ping(LabVm from, LabVm to, int count);

    /**
     * Sends TCP data from one VM to another.
     *
     * @param from the sender
     * @param to the receiver
     * @return what arrived
     */
    TransferResult transfer(LabVm from, LabVm to);

    /**
     * Mirrors every frame to and from a VM's port into a pcap file while a peer pings it.
     *
     * @param vm the mirrored VM
     * @param vnic its vNIC
     * @param peer the VM that pings it
     * @param file the pcap file to write
     * @return how many frames were mirrored
     */
    long mirror(LabVm vm, Vnic vnic, LabVm peer, Path file);

    /**
     * Pings a VM continuously while it moves, so that the loss the move causes shows.
     *
     * @param from the pinging VM
     * @param to the VM pinged
     * @param move moves it while the ping runs and returns it as it is afterwards
     * @return the pings sent and answered
     */
    PingResult pingDuring(LabVm from, LabVm to, Supplier<LabVm> move);

    /**
     * Finishes a VM's move as its guest would: configures its address on the NIC on the new host, announces its
     * MAC address there (a gratuitous ARP, as a hypervisor does after a live migration) and retires the old
     * incarnation.
     *
     * @param before the VM before the move
     * @param after the VM on its new host
     * @param vnic its vNIC on the new host
     */
    void moved(LabVm before, LabVm after, Vnic vnic);

    /**
     * Changes a port behind the fabric's back, as a person editing a switch by hand would: puts it in another VLAN.
     *
     * @param vnic the port's vNIC
     * @param vlan the VLAN to put it in
     */
    void tamper(Vnic vnic, int vlan);

    /** Removes every switch, uplink and namespace the plane made; idempotent. */
    @Override
    void close();

    /**
     * The outcome of pings.
     *
     * @param sent echo requests sent
     * @param received echo replies received
     */
    record PingResult(long sent, long received) {
        /** @return whether no request was answered */
        public boolean noneAnswered() {
            return received == 0;
        }

        /** @return requests not answered */
        public long lost() {
            return sent - received;
        }
    }

    /**
     * The outcome of a TCP transfer.
     *
     * @param bytes bytes the receiver got
     * @param bitsPerSecond the receiver's throughput
     * @param tool what sent the data ({@code iperf3}, {@code java-socket}, {@code generated-frames})
     */
    record TransferResult(long bytes, double bitsPerSecond, String tool) {
    }
}
