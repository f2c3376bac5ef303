package dev.iov.ethernet.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.Backends;
import dev.iov.api.spi.IoBackend;
import dev.iov.linux.NetworkNamespace;
import dev.iov.testing.Privileged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real frames through ovs-vswitchd's userspace datapath, which runs in a namespace of its own: three VMs
 * (namespaces) connected by veth pairs whose switch ends are the backend's {@code system} ports, two in VLAN 10 and one
 * in VLAN 20, all in one IP subnet so only the VLAN keeps them apart.
 */
@Privileged(tools = {"ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ip", "ping"})
class OvsTrafficIT {

    private static final String BRIDGE = "iovtr0";
    private static final HostId HOST = HostId.of("h1");

    private NetworkNamespace switchNamespace;
    private OvsDaemons daemons;
    private IoBackend backend;
    private final List<Attachment> attachments = new ArrayList<>();
    private final List<NetworkNamespace> namespaces = new ArrayList<>();

    @BeforeEach
    void setUp() {
        String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        switchNamespace = NetworkNamespace.create("iov-t-ovs-sw-" + run);
        // The switch ends of the veths must not speak IPv6 either: what their kernel sends goes straight to the VM.
        exec(switchNamespace, true, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        exec(switchNamespace, true, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        daemons = OvsDaemons.start(switchNamespace);
        backend = Backends.create("ovs", "h1/ovs", Map.of("db", daemons.dbTarget(), "bridge", BRIDGE,
                "port-type", "system"));
        Network a = Network.vlan("tenant-a", VlanId.of(10));
        Network b = Network.vlan("tenant-b", VlanId.of(20));
        vm("a1-" + run, a, 1);
        vm("a2-" + run, a, 2);
        vm("b3-" + run, b, 3);
    }

    @AfterEach
    void tearDown() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Attachment attachment : attachments) {
            run(failures, () -> backend.detach(attachment));
        }
        for (NetworkNamespace namespace : namespaces) {
            run(failures, namespace::close);
        }
        if (backend != null) {
            run(failures, backend::close);
        }
        if (daemons != null) {
            run(failures, daemons::close);
        }
        if (switchNamespace != null) {
            run(failures, switchNamespace::close);
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    @Test
    void pingWorksWithinAVlanAndNotAcrossAndStatsSeeItFromTheVm() throws Exception {
        // One-way traffic first: vm1 asks for an address nobody has, so only ARP requests leave vm1 and reach vm2.
        exec(namespaces.get(0), false, "ping", "-c", "3", "-i", "0.3", "-W", "1", "198.18.77.99");
        VnicStats vm1 = awaitStats(attachments.get(0), 3);
        assertThat(vm1.txPackets()).as("what vm1 sent").isGreaterThanOrEqualTo(3);
        assertThat(vm1.rxPackets()).as("nothing was sent to vm1").isZero();
        VnicStats vm2 = backend.stats(attachments.get(1));
        assertThat(vm2.rxPackets()).as("vm2 got the flooded ARP requests").isGreaterThanOrEqualTo(3);
        assertThat(vm2.txPackets()).isZero();
        assertThat(backend.stats(attachments.get(2)).rxPackets()).as("vm3 is in another VLAN").isZero();

        assertThat(exec(namespaces.get(0), true, "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.77.2"))
                .contains("3 received");
        assertThat(exec(namespaces.get(0), false, "ping", "-c", "2", "-i", "0.2", "-W", "1", "198.18.77.3"))
                .contains("0 received");
        assertThat(exec(namespaces.get(2), false, "ping", "-c", "2", "-i", "0.2", "-W", "1", "198.18.77.2"))
                .contains("0 received");
    }

    private void vm(String name, Network network, int host) {
        NetworkNamespace ns = NetworkNamespace.create("iov-t-ovs-" + name);
        namespaces.add(ns);
        // No IPv6 in the VM: its router and neighbour solicitations would spoil the exact counts.
        exec(ns, true, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        exec(ns, true, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        MacAddress mac = MacAddress.parse(String.format("02:00:00:77:00:%02x", host));
        VnicSpec spec = VnicSpec.builder("vm" + host + "-" + name, "vm-" + name, network.id().value()).build();
        String port = OvsBackend.portName(spec.id()).value();
        String dev = "vnic0";
        exec(switchNamespace, true, "ip", "link", "add", port, "type", "veth", "peer", "name", dev, "netns",
                ns.name());
        exec(switchNamespace, true, "ip", "link", "set", "dev", port, "up");
        exec(ns, true, "ip", "link", "set", "dev", dev, "address", mac.toString());
        Attachment attachment = backend.attach(new AttachRequest(spec, HOST, "uplink0", network,
                VnicAddresses.ofMac(mac)));
        attachments.add(attachment);
        assertThat(attachment.handle()).isEqualTo(port);
        exec(ns, true, "ip", "addr", "add", "198.18.77." + host + "/24", "dev", dev);
        exec(ns, true, "ip", "link", "set", "dev", dev, "up");
        assertThat(exec(ns, true, "ip", "link", "show", "dev", dev)).contains(mac.toString());
    }

    private VnicStats awaitStats(Attachment attachment, long txAtLeast) throws InterruptedException {
        // ovs-vswitchd stores statistics every 5 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        VnicStats stats = backend.stats(attachment);
        while (stats.txPackets() < txAtLeast && System.nanoTime() < deadline) {
            Thread.sleep(250);
            stats = backend.stats(attachment);
        }
        return stats;
    }

    private static String exec(NetworkNamespace ns, boolean mustSucceed, String... command) {
        Process process = ns.exec(command);
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (mustSucceed && exit != 0) {
                throw new AssertionError(String.join(" ", command) + " in " + ns.name() + " failed (" + exit + "): "
                        + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void run(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
