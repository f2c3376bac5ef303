package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.Attachment;
import dev.iov.ethernet.pcap.PcapWriter;
import dev.iov.ethernet.pcap.TimestampPrecision;
import dev.iov.ethernet.switching.MirrorConfig;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VethSpec;
import dev.iov.testing.Privileged;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two java switches joined by their {@code AF_PACKET} trunk uplinks, the two ends of a veth pair in a "wire"
 * namespace: VLAN 100 spans both switches, tagged on the wire (the kernel strips the tag on receive and the uplink
 * port puts it back), and VLAN 200 stays apart.
 */
@Privileged(tools = {"ip", "ping", "tshark"}, devices = {"/dev/net/tun"})
class UplinkTrunkIT {

    private static final InterfaceName UP_LEFT = InterfaceName.of("iov-upl0");
    private static final InterfaceName UP_RIGHT = InterfaceName.of("iov-upr0");

    private Vms vms;
    private JavaSwitchBackend left;
    private JavaSwitchBackend right;

    @BeforeEach
    void setUp() {
        vms = new Vms();
    }

    private void joinByVethTrunk() {
        NetworkNamespace wire = vms.vm("wire");
        try (Rtnetlink rtnl = Rtnetlink.open(wire)) {
            rtnl.createVeth(VethSpec.of(UP_LEFT, UP_RIGHT));
            for (InterfaceName end : List.of(UP_LEFT, UP_RIGHT)) {
                wire.call(() -> Files.writeString(Path.of("/proc/sys/net/ipv6/conf", end.value(), "disable_ipv6"),
                        "1"));
                rtnl.setUp(end);
            }
        }
        left = JavaSwitchBackend.builder("h1/left").uplink(UP_LEFT, wire).tapPlacement(vms.placement).build();
        right = JavaSwitchBackend.builder("h2/right").uplink(UP_RIGHT, wire).tapPlacement(vms.placement).build();
    }

    @AfterEach
    void tearDown() {
        List<String> names = vms.namespaceNames();
        try {
            if (left != null) {
                left.close();
            }
            if (right != null) {
                right.close();
            }
        } finally {
            vms.close();
        }
        String remaining = Vms.netnsList();
        names.forEach(n -> assertThat(remaining).doesNotContain(n));
    }

    @Test
    void aVlanSpansBothSwitchesTaggedOnTheWireAndAnotherVlanStaysApart(@TempDir Path dir) throws Exception {
        joinByVethTrunk();
        Attachment a = left.attach(Vms.request("a-eth0", "a", 100, MacAddress.parse("02:00:5e:20:00:01"), null));
        Attachment b = right.attach(Vms.request("b-eth0", "b", 100, MacAddress.parse("02:00:5e:20:00:02"), null));
        Attachment c = right.attach(Vms.request("c-eth0", "c", 200, MacAddress.parse("02:00:5e:20:00:03"), null));
        vms.configure("a", a.handle(), "198.18.1.1/24");
        vms.configure("b", b.handle(), "198.18.1.2/24");
        vms.configure("c", c.handle(), "198.18.1.3/24");
        assertThat(left.uplinkPort()).isPresent();

        Path file = dir.resolve("uplink.pcap");
        try (PcapWriter pcap = PcapWriter.open(file, TimestampPrecision.MICROSECONDS)) {
            int mirror = right.engine().addMirror(MirrorConfig.builder("uplink-rx")
                    .sourcePorts(right.uplinkPort().getAsInt()).outputPcap(pcap).build());
            assertThat(vms.ping("a", "198.18.1.2", 3)).as("a reaches b across the trunk").isTrue();
            assertThat(vms.ping("a", "198.18.1.3", 2)).as("a reaches c on another VLAN").isFalse();
            right.engine().removeMirror(mirror);
        }

        Process tshark = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-Y", "icmp.type == 8",
                "-T", "fields", "-e", "vlan.id", "-e", "ip.dst").redirectErrorStream(true).start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().filter(l -> l.equals("100\t198.18.1.2")).count())
                .as("echo requests arrived on the uplink tagged with VLAN 100: %s", out).isGreaterThanOrEqualTo(3);
        assertThat(right.stats(c).rxPackets()).as("nothing from VLAN 100 reached c").isZero();
    }

    @Test
    void vxlanUplinksCarryTheVlansThroughATunnelAndAreDeletedOnClose() throws Exception {
        NetworkNamespace u1 = vms.vm("u1");
        NetworkNamespace u2 = vms.vm("u2");
        InterfaceName under1 = InterfaceName.of("iov-ul0");
        InterfaceName under2 = InterfaceName.of("iov-ur0");
        try (Rtnetlink rtnl = Rtnetlink.open(u1)) {
            rtnl.createVeth(new VethSpec(under1, under2, java.util.Optional.of(
                    dev.iov.linux.netlink.TargetNamespace.ofFd(u2.fd()))));
        }
        vms.run("u1", "ip", "link", "set", under1.value(), "mtu", "1600", "up");
        vms.run("u2", "ip", "link", "set", under2.value(), "mtu", "1600", "up");
        vms.configure("u1", under1.value(), "198.18.4.1/30");
        vms.configure("u2", under2.value(), "198.18.4.2/30");
        InterfaceName vx = InterfaceName.of("iov-vx0");
        java.net.InetAddress ip1 = java.net.InetAddress.getByName("198.18.4.1");
        java.net.InetAddress ip2 = java.net.InetAddress.getByName("198.18.4.2");
        left = JavaSwitchBackend.builder("h1/left").tapPlacement(vms.placement)
                .vxlanUplink(dev.iov.linux.netlink.VxlanSpec.builder(vx, 4242).local(ip1).remote(ip2).build(), u1)
                .build();
        right = JavaSwitchBackend.builder("h2/right").tapPlacement(vms.placement)
                .vxlanUplink(dev.iov.linux.netlink.VxlanSpec.builder(vx, 4242).local(ip2).remote(ip1).build(), u2)
                .build();
        assertThat(vms.run("u1", "ip", "-d", "link", "show", vx.value())).contains("vxlan id 4242");

        Attachment a = left.attach(Vms.request("a-eth0", "a", 100, MacAddress.parse("02:00:5e:40:00:01"), null));
        Attachment b = right.attach(Vms.request("b-eth0", "b", 100, MacAddress.parse("02:00:5e:40:00:02"), null));
        Attachment c = right.attach(Vms.request("c-eth0", "c", 200, MacAddress.parse("02:00:5e:40:00:03"), null));
        vms.configure("a", a.handle(), "198.18.5.1/24");
        vms.configure("b", b.handle(), "198.18.5.2/24");
        vms.configure("c", c.handle(), "198.18.5.3/24");

        assertThat(vms.ping("a", "198.18.5.2", 3)).as("a reaches b through the tunnel").isTrue();
        assertThat(vms.ping("a", "198.18.5.3", 2)).as("a reaches c on another VLAN").isFalse();
        assertThat(right.engine().stats(right.uplinkPort().getAsInt()).rxPackets()).isPositive();

        left.close();
        right.close();
        assertThat(vms.exec("u1", 10, "ip", "link", "show", vx.value()).exit()).as("left VXLAN deleted").isNotZero();
        assertThat(vms.exec("u2", 10, "ip", "link", "show", vx.value()).exit()).as("right VXLAN deleted").isNotZero();
    }
}
