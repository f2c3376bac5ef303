package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.FabricBuilder;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.store.journal.JournalStateStore;
import dev.iov.testing.Privileged;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vNIC's counters follow its VM: over two migrations between two hosts (each a real java-switch, whose counters
 * live in the manager's process) and a manager restart in between (fabric closed, a new one built on the same journal
 * with new backends), with real traffic before and after every step, {@link Fabric#stats} never goes down and in the
 * end counts at least every frame the VM sent and received.
 *
 * <p>A VM is a network namespace per host ({@code h1-a}, {@code h2-a}): its NIC is the TAP the host's switch made
 * there, so a migration gives it a new NIC on the other host, configured with the same address. Each host has a peer
 * VM on the same VLAN with the same address, which the VM pings wherever it is.
 */
@Privileged(tools = {"ip", "ping"}, devices = {"/dev/net/tun"})
class CountersFollowTheVmIT {

    private static final HostId H1 = HostId.of("h1");
    private static final HostId H2 = HostId.of("h2");
    private static final Network NETWORK = Network.vlan("tenant-c", VlanId.of(100))
            .withDefaultMaxRate(Bandwidth.ofMbps(500));
    private static final VnicId VM = VnicId.of("a-eth0");
    private static final String VM_IP = "198.18.7.1";
    private static final String PEER_IP = "198.18.7.2";
    /** An echo request or reply with ping's default 56 bytes of data, as an Ethernet frame. */
    private static final int PING_FRAME_BYTES = 14 + 20 + 8 + 56;
    private static final int PINGS = 5;

    @TempDir
    Path store;

    private Vms vms;
    private final String prefix = String.format("ctr-%08x", ThreadLocalRandom.current().nextInt());
    private JournalStateStore journal;
    private Fabric fabric;
    private final List<JavaSwitchBackend> backends = new ArrayList<>();

    private VnicStats last = VnicStats.ZERO;
    private long pings;
    private final List<String> steps = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vms = new Vms();
    }

    @AfterEach
    void tearDown() {
        List<String> names = vms.namespaceNames();
        try {
            stop();
        } finally {
            vms.close();
        }
        String left = Vms.netnsList();
        names.forEach(name -> assertThat(left).as("namespace %s was deleted", name).doesNotContain(name));
        assertThat(Vms.hostLinks()).as("nothing of this run in the host namespace").doesNotContain(prefix);
    }

    @Test
    void countersNeverGoDownOverTwoMigrationsAndARestartAndCountAllTraffic() {
        start();
        fabric.defineNetwork(NETWORK);
        configure(provision("peer1-eth0", "peer", H1), PEER_IP);
        configure(provision("peer2-eth0", "peer", H2), PEER_IP);
        configure(provision(VM.value(), "a", H1), VM_IP);
        check("provisioned on h1");

        ping("on h1");
        fabric.migrate(VM, H2);
        check("migrated to h2");
        configure(fabric.vnic(VM).orElseThrow(), VM_IP);
        ping("on h2");

        stop();
        start();
        assertThat(fabric.recoveryReport().missing()).as("every port restored").isEmpty();
        assertThat(fabric.vnic(VM).orElseThrow().host()).isEqualTo(H2);
        check("manager restarted");
        ping("on h2 after the restart");

        fabric.migrate(VM, H1);
        check("migrated back to h1");
        configure(fabric.vnic(VM).orElseThrow(), VM_IP);
        ping("back on h1");

        System.out.println(String.join("\n", steps));
        assertThat(last.txPackets()).as("echo requests the VM sent, all counted; %s", steps).isGreaterThanOrEqualTo(
                pings);
        assertThat(last.rxPackets()).as("echo replies it received, all counted; %s", steps).isGreaterThanOrEqualTo(
                pings);
        assertThat(last.txBytes()).as("bytes sent; %s", steps).isGreaterThanOrEqualTo(pings * PING_FRAME_BYTES);
        assertThat(last.rxBytes()).as("bytes received; %s", steps).isGreaterThanOrEqualTo(pings * PING_FRAME_BYTES);
    }

    /** Pings the peer on the VM's host; the counters must grow by at least what was answered. */
    private void ping(String where) {
        Vnic vnic = fabric.vnic(VM).orElseThrow();
        assertThat(vms.ping(vmOn(vnic.host(), "a"), PEER_IP, PINGS)).as("the VM reaches its peer %s", where).isTrue();
        pings += PINGS;
        VnicStats before = last;
        VnicStats now = check("after " + PINGS + " pings " + where);
        assertThat(now.txPackets() - before.txPackets()).as("requests counted %s", where)
                .isGreaterThanOrEqualTo(PINGS);
        assertThat(now.rxPackets() - before.rxPackets()).as("replies counted %s", where)
                .isGreaterThanOrEqualTo(PINGS);
    }

    /** Reads the counters and checks that none went down since the last reading. */
    private VnicStats check(String step) {
        VnicStats now = fabric.stats(VM);
        steps.add(String.format("%-32s rx %4d pkts %6d B, tx %4d pkts %6d B (%d pings so far)", step,
                now.rxPackets(), now.rxBytes(), now.txPackets(), now.txBytes(), pings));
        String history = String.join("\n", steps);
        assertThat(now.rxPackets()).as("rx packets %s:%n%s", step, history).isGreaterThanOrEqualTo(last.rxPackets());
        assertThat(now.rxBytes()).as("rx bytes %s:%n%s", step, history).isGreaterThanOrEqualTo(last.rxBytes());
        assertThat(now.txPackets()).as("tx packets %s:%n%s", step, history).isGreaterThanOrEqualTo(last.txPackets());
        assertThat(now.txBytes()).as("tx bytes %s:%n%s", step, history).isGreaterThanOrEqualTo(last.txBytes());
        last = now;
        return now;
    }

    private Vnic provision(String id, String vm, HostId host) {
        return fabric.provision(host, VnicSpec.builder(id, vm, NETWORK.id().value()).build());
    }

    private void configure(Vnic vnic, String ip) {
        vms.configure(vmOn(vnic.host(), vnic.spec().vm()), vnic.attachment().handle(), ip + "/24");
    }

    private static String vmOn(HostId host, String vm) {
        return host + "-" + vm;
    }

    /** A manager starting: the journal opened, a java-switch per host, the fabric built (and recovered). */
    private void start() {
        journal = JournalStateStore.open(store);
        FabricBuilder builder = Fabric.builder().store(journal).nodeId("node-a");
        for (HostId host : List.of(H1, H2)) {
            // Each host puts a VM's NIC in that VM's namespace on that host.
            JavaSwitchBackend backend = JavaSwitchBackend.builder(host + "/" + prefix)
                    .tapPlacement(request -> Optional.of(vms.vm(vmOn(request.host(), request.spec().vm())))).build();
            backends.add(backend);
            builder.host(Host.of(host.value(), Uplink.ethernet("uplink0", Bandwidth.ofGbps(10),
                    BackendKind.VSWITCH_PORT)), backend);
        }
        fabric = builder.build();
    }

    /** A manager stopping: the fabric closed (its switches stop, their TAPs stay), the journal closed. */
    private void stop() {
        try {
            if (fabric != null) {
                fabric.close();
            }
            backends.forEach(JavaSwitchBackend::close);
        } finally {
            fabric = null;
            backends.clear();
            if (journal != null) {
                journal.close();
                journal = null;
            }
        }
    }
}
