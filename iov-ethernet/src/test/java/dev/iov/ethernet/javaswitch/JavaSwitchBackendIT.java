package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.Backends;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import dev.iov.ethernet.port.PortStats;
import dev.iov.ethernet.switching.DropReason;
import dev.iov.ethernet.switching.MirrorConfig;
import dev.iov.testing.Privileged;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The java-switch backend on the real kernel: VMs are network namespaces whose NICs are the switch's TAP ports.
 * VMs a and b are on VLAN 100, c on VLAN 200, all three in 198.18.0.0/24, so only the switch's VLAN isolation keeps c
 * apart.
 */
@Privileged(tools = {"ip", "ping", "iperf3", "tshark"}, devices = {"/dev/net/tun"})
class JavaSwitchBackendIT {

    private static final Logger LOG = LoggerFactory.getLogger(JavaSwitchBackendIT.class);
    private static final MacAddress MAC_A = MacAddress.parse("02:00:5e:10:00:01");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:5e:10:00:02");
    private static final MacAddress MAC_C = MacAddress.parse("02:00:5e:10:00:03");
    private static final String IP_A = "198.18.0.1";
    private static final String IP_B = "198.18.0.2";
    private static final String IP_C = "198.18.0.3";

    private Vms vms;
    private JavaSwitchBackend backend;
    private Attachment a;
    private Attachment b;

    @BeforeEach
    void setUp() {
        vms = new Vms();
        backend = JavaSwitchBackend.builder("h1/java-switch").tapPlacement(vms.placement).build();
    }

    @AfterEach
    void tearDown() {
        List<String> names = vms.namespaceNames();
        try {
            backend.close();
            backend.close();
        } finally {
            vms.close();
        }
        String left = Vms.netnsList();
        for (String name : names) {
            assertThat(left).as("namespace %s was deleted", name).doesNotContain(name);
        }
        assertThat(backend.engine().isRunning()).isFalse();
        String hostLinks = Vms.hostLinks();
        for (String vnic : List.of("a-eth0", "b-eth0", "c-eth0")) {
            assertThat(hostLinks).as("no TAP of %s in the host namespace", vnic)
                    .doesNotContain(JavaSwitchBackend.tapName(VnicId.of(vnic)).value());
        }
    }

    @Test
    void framesForADownTapAreCountedAsTransmitErrors() {
        attachAandB(null);
        assertThat(vms.ping("a", IP_B, 1)).isTrue();

        vms.run("b", "ip", "link", "set", "dev", b.handle(), "down");
        assertThat(vms.ping("a", IP_B, 3)).isFalse();

        PortStats port = backend.engine().stats(backend.portIndex(b));
        assertThat(port.txErrors() + port.txBusy()).as("frames the switch could not hand to b: %s", port)
                .isPositive();
        assertThat(backend.stats(b).rxErrors() + backend.stats(b).rxDrops()).isPositive();
    }

    private Thread forwardingThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("iov-switch-h1-java-switch")).findFirst().orElseThrow();
    }

    private void attachAandB(Bandwidth rateOfA) {
        a = backend.attach(Vms.request("a-eth0", "a", 100, MAC_A, rateOfA));
        b = backend.attach(Vms.request("b-eth0", "b", 100, MAC_B, null));
        vms.configure("a", a.handle(), IP_A + "/24");
        vms.configure("b", b.handle(), IP_B + "/24");
    }

    @Test
    void vmsOnOneVlanPingEachOtherAndExchangeTcp() {
        attachAandB(null);

        assertThat(vms.ping("a", IP_B, 3)).as("a pings b").isTrue();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long forwarder = forwardingThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(forwarder);
        long rxBefore = backend.engine().stats(backend.portIndex(a)).rxPackets();
        double bps = vms.iperfTcp("a", "b", IP_B, 2);
        long allocated = threads.getThreadAllocatedBytes(forwarder) - allocatedBefore;
        long frames = backend.engine().stats(backend.portIndex(a)).rxPackets() - rxBefore;
        LOG.info("iperf3 TCP a -> b through the java switch: {} Mbit/s", String.format("%.1f", bps / 1e6));

        assertThat(bps).as("sanity: TCP moves data through the switch").isGreaterThan(1e6);
        // The stats calls above are tasks (a few hundred bytes each); forwarding itself must allocate nothing.
        assertThat(frames).isGreaterThan(10_000);
        assertThat(allocated).as("bytes allocated by the forwarding thread for %d frames", frames)
                .isLessThan(16_384);
        VnicStats statsA = backend.stats(a);
        VnicStats statsB = backend.stats(b);
        assertThat(statsA.txPackets()).as("a sent").isPositive();
        assertThat(statsB.rxPackets()).as("b received").isPositive();
        assertThat(statsB.rxBytes()).as("b received the iperf3 bytes").isGreaterThan((long) (bps / 8));
        assertThat(statsA.txDrops()).as("nothing of a's was dropped by the switch").isZero();
    }

    @Test
    void aVmOnAnotherVlanCannotReachThem() {
        attachAandB(null);
        Attachment c = backend.attach(Vms.request("c-eth0", "c", 200, MAC_C, null));
        vms.configure("c", c.handle(), IP_C + "/24");

        assertThat(vms.ping("c", IP_A, 2)).as("c reaches a").isFalse();
        assertThat(vms.ping("a", IP_C, 2)).as("a reaches c").isFalse();
        assertThat(vms.ping("a", IP_B, 2)).as("a still reaches b").isTrue();

        PortStats cPort = backend.engine().stats(backend.portIndex(c));
        assertThat(cPort.rxPackets()).as("c's ARP requests reached the switch").isPositive();
        assertThat(backend.stats(c).rxPackets()).as("nothing from VLAN 100 reached c").isZero();
    }

    @Test
    void aSpoofedSourceMacIsDroppedAndCounted() {
        attachAandB(null);
        assertThat(vms.ping("a", IP_B, 1)).isTrue();
        long spoofedBefore = backend.engine().stats(backend.portIndex(a)).drops(DropReason.SPOOFED);

        vms.run("a", "ip", "link", "set", "dev", a.handle(), "address", "02:00:5e:10:00:99");

        assertThat(vms.ping("a", IP_B, 3)).as("a's spoofed frames get through").isFalse();
        PortStats port = backend.engine().stats(backend.portIndex(a));
        assertThat(port.drops(DropReason.SPOOFED)).isGreaterThan(spoofedBefore);
        assertThat(backend.stats(a).txDrops()).isGreaterThanOrEqualTo(port.drops(DropReason.SPOOFED));
    }

    @Test
    void aPolicedPortStaysWithinItsRate() {
        Bandwidth rate = Bandwidth.ofMbps(20);
        attachAandB(rate);

        double bps = vms.iperfTcp("a", "b", IP_B, 3);
        LOG.info("iperf3 TCP a -> b with a policed at {}: {} Mbit/s", rate, String.format("%.1f", bps / 1e6));

        // Generous bounds: the burst adds 100 ms of traffic over 3 s, TCP backs off below the rate.
        assertThat(bps).isLessThan(rate.bitsPerSecond() * 1.5).isGreaterThan(rate.bitsPerSecond() * 0.05);
        assertThat(backend.engine().stats(backend.portIndex(a)).drops(DropReason.POLICED)).isPositive();
    }

    @Test
    void aMirrorOfRealPingTrafficIsReadBackByTshark(@TempDir Path dir) throws Exception {
        attachAandB(null);
        Path file = dir.resolve("a.pcap");
        PcapWriter pcap = PcapWriter.open(file, TimestampPrecision.MICROSECONDS);
        int mirror;
        try {
            mirror = backend.engine().addMirror(MirrorConfig.builder("a-rx").sourcePorts(backend.portIndex(a))
                    .outputPcap(pcap).build());
            assertThat(vms.ping("a", IP_B, 4)).isTrue();
            assertThat(backend.engine().removeMirror(mirror)).isNotNull();
        } finally {
            pcap.close();
        }

        Process tshark = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-Y", "icmp.type == 8",
                "-T", "fields", "-e", "eth.src", "-e", "ip.src", "-e", "ip.dst").redirectErrorStream(true).start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tshark.exitValue()).as("tshark: %s", out).isZero();
        List<String> requests = out.lines().filter(l -> l.contains(IP_A + "\t" + IP_B)).toList();
        assertThat(requests).as("echo requests in %s", out).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(l -> assertThat(l).startsWith(MAC_A.toString()));
        assertThat(Files.size(file)).isGreaterThan(PcapWriter.FILE_HEADER_LENGTH);
    }

    @Test
    void discoverReportsThePortsAndDetachRemovesTheTap() {
        a = backend.attach(Vms.request("a-eth0", "a", 100, MAC_A, Bandwidth.ofMbps(50)));

        assertThat(a.handle()).isEqualTo(JavaSwitchBackend.tapName(VnicId.of("a-eth0")).value()).hasSize(11);
        assertThat(vms.run("a", "ip", "-d", "link", "show", a.handle())).contains("tun type tap")
                .contains(MAC_A.toString()).contains(",UP,LOWER_UP>").contains("persist on")
                .contains("alias iov:h1/java-switch:a-eth0");
        List<DiscoveredPort> found = backend.discover(Vms.HOST);
        assertThat(found).containsExactly(new DiscoveredPort(a.handle(), Optional.of(VnicId.of("a-eth0")),
                Optional.of(MAC_A), Optional.empty(), OptionalInt.of(100), Optional.of(Bandwidth.ofMbps(50))));

        backend.detach(a);
        backend.detach(a);

        assertThat(vms.exec("a", 10, "ip", "link", "show", a.handle()).exit()).as("TAP gone").isNotZero();
        assertThat(backend.discover(Vms.HOST)).isEmpty();
        assertThatThrownBy(() -> backend.stats(a)).isInstanceOf(BackendException.class).hasMessageContaining(a.handle());
    }

    @Test
    void updateMovesAPortToAnotherVlanAndRateAndDiscoverSeesIt() {
        attachAandB(null);
        assertThat(vms.ping("a", IP_B, 1)).isTrue();

        Attachment updated = backend.update(a, Vms.request("a-eth0", "a", 200, MAC_A, Bandwidth.ofMbps(30)));

        assertThat(updated).isEqualTo(a);
        assertThat(backend.discover(Vms.HOST)).filteredOn(p -> p.handle().equals(a.handle())).singleElement()
                .satisfies(p -> {
                    assertThat(p.segment()).hasValue(200);
                    assertThat(p.maxRate()).contains(Bandwidth.ofMbps(30));
                });
        assertThat(vms.ping("a", IP_B, 2)).as("a left b's VLAN").isFalse();
    }

    @Test
    void attachingTwiceGivesTheSamePortAndBadRequestsLeaveNothingBehind() {
        a = backend.attach(Vms.request("a-eth0", "a", 100, MAC_A, null));
        int index = backend.portIndex(a);

        Attachment again = backend.attach(Vms.request("a-eth0", "a", 200, MAC_A, Bandwidth.ofMbps(10)));

        assertThat(again.handle()).isEqualTo(a.handle());
        assertThat(backend.portIndex(again)).as("the same switch port, made what the request asks").isEqualTo(index);
        assertThat(backend.discover(Vms.HOST)).singleElement().satisfies(p -> {
            assertThat(p.segment()).hasValue(200);
            assertThat(p.maxRate()).contains(Bandwidth.ofMbps(10));
        });
        var noMac = Vms.request("b-eth0", "b", 100, MAC_B, null);
        var withoutMac = new dev.iov.api.spi.AttachRequest(noMac.spec().toBuilder().build(), noMac.host(),
                noMac.uplink(), noMac.network(), new dev.iov.api.model.VnicAddresses(Optional.empty(),
                        Optional.empty()));
        assertThatThrownBy(() -> backend.attach(withoutMac)).isInstanceOf(BackendException.class)
                .hasMessageContaining("no MAC address allocated for b-eth0");
        var vxlan = new dev.iov.api.spi.AttachRequest(noMac.spec(), noMac.host(), noMac.uplink(),
                dev.iov.api.model.Network.vxlan("overlay", 5000), noMac.addresses());
        assertThatThrownBy(() -> backend.attach(vxlan)).isInstanceOf(BackendException.class)
                .hasMessageContaining("VLAN networks only");

        assertThat(backend.discover(Vms.HOST)).hasSize(1);
        String bName = JavaSwitchBackend.tapName(VnicId.of("b-eth0")).value();
        assertThat(vms.exec("b", 10, "ip", "link", "show", bName).exit()).as("no TAP left for b").isNotZero();
    }

    @Test
    void theProviderMakesBackendsByTypeAndRefusesAMissingUplink() {
        try (var made = Backends.create("java-switch", "h1/js", Map.of("max-ports", "8"))) {
            assertThat(made).isInstanceOf(JavaSwitchBackend.class);
            assertThat(((JavaSwitchBackend) made).engine().maxPorts()).isEqualTo(8);
        }
        assertThatThrownBy(() -> new JavaSwitchBackendProvider().create("x", Map.of("uplink", "iov-nope0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iov-nope0")
                .hasMessageContaining("ENODEV");
    }
}
