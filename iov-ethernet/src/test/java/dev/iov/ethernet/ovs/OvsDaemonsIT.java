package dev.iov.ethernet.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.linux.NetworkNamespace;
import dev.iov.testing.Privileged;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@Privileged(tools = {"ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ip"})
class OvsDaemonsIT {

    @Test
    void runsPrivatelyAndCloseLeavesNothing() throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create("iov-t-ovsdm-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000)))) {
            OvsDaemons daemons = OvsDaemons.start(ns);
            Path dir = daemons.directory();
            long server;
            long vswitchd;
            try {
                assertThat(dir.getFileName().toString()).startsWith("iov-ovs-");
                assertThat(daemons.dbTarget()).isEqualTo("unix:" + dir.resolve("db.sock"));
                server = pid(dir.resolve("ovsdb-server.pid"));
                vswitchd = pid(dir.resolve("ovs-vswitchd.pid"));
                assertThat(ProcessHandle.of(server)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
                assertThat(ProcessHandle.of(vswitchd)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
                daemons.vsctl("add-br", "iovdm0", "--", "set", "bridge", "iovdm0", "datapath_type=netdev");
                assertThat(link(ns, "iovdm0")).as("the bridge's device is in the switch's namespace").isZero();
                assertThat(hostLink("iovdm0")).as("and not in the host's").isNotZero();
            } finally {
                daemons.close();
            }
            daemons.close();
            assertThat(dir).doesNotExist();
            assertThat(ProcessHandle.of(server).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(ProcessHandle.of(vswitchd).map(ProcessHandle::isAlive))
                    .isNotEqualTo(java.util.Optional.of(true));
            assertThat(link(ns, "iovdm0")).as("the persistent TAP of the bridge is gone").isNotZero();
        }
    }

    private static long pid(Path file) throws Exception {
        return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }

    private static int link(NetworkNamespace ns, String device) throws Exception {
        Process p = ns.exec("ip", "link", "show", "dev", device);
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private static int hostLink(String device) throws Exception {
        Process p = new ProcessBuilder("ip", "link", "show", "dev", device).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
