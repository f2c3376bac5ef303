package dev.iov.ethernet.javaswitch;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.Attachment;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.TargetNamespace;
import dev.iov.linux.netlink.VethSpec;
import dev.iov.testing.Privileged;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * TCP throughput between two VMs (namespaces) through the java switch, next to the kernel's own path (a veth pair
 * between two namespaces) on the same machine, with iperf3. A measurement, not a test: it asserts nothing, prints a
 * table, and runs only when asked (its name matches no test pattern, and it needs {@code -Diov.measure=true}):
 *
 * <pre>{@code
 * ./mvnw -B -o -pl iov-ethernet test -Dtest=JavaSwitchThroughputMeasurement -Diov.measure=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 *
 * <p>The switch path is VM TCP stack -> TAP -> forwarding thread (one {@code readv} per frame, one {@code writev}
 * per frame) -> TAP -> VM; TAPs without {@code IFF_VNET_HDR} get MTU-sized frames, so every 1500-byte segment costs
 * two system calls on the forwarding thread. The veth path moves 64 KiB GSO super-frames inside the kernel, so it
 * is an upper bound, not a peer. Feeds {@code iov-bench/e2e.sh}.
 */
@Privileged(tools = {"ip", "iperf3"}, devices = {"/dev/net/tun"})
@EnabledIfSystemProperty(named = "iov.measure", matches = "true")
class JavaSwitchThroughputMeasurement {

    private static final int SECONDS = 5;
    private static final int RUNS = 3;

    @Test
    void measure() {
        System.out.println(String.format(Locale.ROOT, "%-28s %s", "path", "iperf3 TCP receiver Mbit/s (runs)"));
        try (Vms vms = new Vms();
                JavaSwitchBackend backend = JavaSwitchBackend.builder("h1/measure").tapPlacement(vms.placement)
                        .build()) {
            Attachment a = backend.attach(Vms.request("a-eth0", "a", 100, MacAddress.parse("02:00:5e:30:00:01"),
                    null));
            Attachment b = backend.attach(Vms.request("b-eth0", "b", 100, MacAddress.parse("02:00:5e:30:00:02"),
                    null));
            vms.configure("a", a.handle(), "198.18.2.1/24");
            vms.configure("b", b.handle(), "198.18.2.2/24");
            vms.ping("a", "198.18.2.2", 1);
            report("java-switch TAP<->TAP", vms, "a", "b", "198.18.2.2");
        }
        try (Vms vms = new Vms()) {
            NetworkNamespace c = vms.vm("c");
            NetworkNamespace d = vms.vm("d");
            InterfaceName left = InterfaceName.of("iov-vc0");
            InterfaceName right = InterfaceName.of("iov-vd0");
            try (Rtnetlink rtnl = Rtnetlink.open(c)) {
                rtnl.createVeth(new VethSpec(left, right, Optional.of(TargetNamespace.ofFd(d.fd()))));
                rtnl.setUp(left);
            }
            try (Rtnetlink rtnl = Rtnetlink.open(d)) {
                rtnl.setUp(right);
            }
            vms.configure("c", left.value(), "198.18.3.1/24");
            vms.configure("d", right.value(), "198.18.3.2/24");
            vms.ping("c", "198.18.3.2", 1);
            report("kernel veth (upper bound)", vms, "c", "d", "198.18.3.2");
        }
    }

    private static void report(String path, Vms vms, String client, String server, String address) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", path));
        for (int run = 0; run < RUNS; run++) {
            double bps = vms.iperfTcp(client, server, address, SECONDS);
            line.append(String.format(Locale.ROOT, " %8.0f", bps / 1e6));
        }
        System.out.println(line);
    }
}
