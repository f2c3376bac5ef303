package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.VlanId;
import dev.iov.ethernet.ovs.InterfaceType;
import dev.iov.ethernet.ovs.OvsDaemons;
import dev.iov.ethernet.ovs.OvsSwitch;
import dev.iov.ethernet.ovs.PortSpec;
import dev.iov.ethernet.ovs.PortVlan;
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.linux.NetworkNamespace;
import dev.iov.testing.Privileged;
import dev.iov.testing.TestNamespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov inventory} and {@code iov ovs show} against the real kernel and a private Open vSwitch: the CLI runs
 * in-process on a thread inside a network namespace this test creates, holding a Linux bridge with a veth port, so
 * the link dump sees exactly what the test made; the OVS daemons run from a private directory with ovs-vswitchd in
 * that namespace. Host interfaces and the system's Open vSwitch are never touched.
 */
@Privileged(tools = "ip")
class InventoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path sysfs;

    private NetworkNamespace ns;
    private OvsDaemons daemons;

    @BeforeEach
    void createNamespace() {
        ns = NetworkNamespace.create(TestNamespaces.uniqueName());
        ip("link", "add", "iov-br0", "type", "bridge");
        ip("link", "add", "iov-v0", "type", "veth", "peer", "name", "iov-v1");
        ip("link", "set", "iov-v0", "master", "iov-br0");
        ip("link", "set", "iov-v0", "up");
        ip("link", "set", "iov-br0", "up");
    }

    @AfterEach
    void tearDown() {
        try {
            if (daemons != null) {
                daemons.close();
            }
        } finally {
            ns.close();
        }
    }

    @Test
    void linksAndBridgesAreExactlyThoseOfTheNamespace() throws Exception {
        CliRunner.Result result = inNamespace("inventory", "--json", "--sysfs-root", sysfs.toString(), "--ovsdb",
                "unix:" + sysfs.resolve("db.sock"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode inventory = JSON.readTree(result.out());
        List<String> names = new ArrayList<>();
        inventory.get("links").forEach(l -> names.add(l.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("lo", "iov-br0", "iov-v0", "iov-v1");
        JsonNode v0 = link(inventory, "iov-v0");
        assertThat(v0.get("kind").asText()).isEqualTo("veth");
        assertThat(v0.get("master").asText()).isEqualTo("iov-br0");
        assertThat(v0.get("up").asBoolean()).isTrue();
        assertThat(v0.get("mac").asText()).matches("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");
        assertThat(v0.get("mtu").asInt()).isEqualTo(1500);
        assertThat(link(inventory, "iov-v1").get("up").asBoolean()).isFalse();
        assertThat(link(inventory, "iov-v1").get("master").isNull()).isTrue();
        assertThat(inventory.get("bridges")).hasSize(1);
        assertThat(inventory.get("bridges").get(0).get("name").asText()).isEqualTo("iov-br0");
        assertThat(inventory.get("bridges").get(0).get("ports")).extracting(JsonNode::asText)
                .containsExactly("iov-v0");
        assertThat(inventory.get("ovs").get("reachable").asBoolean()).isFalse();

        CliRunner.Result text = inNamespace("inventory", "--sysfs-root", sysfs.toString(), "--ovsdb",
                "unix:" + sysfs.resolve("db.sock"));
        assertThat(text.out()).containsPattern("\\niov-br0 +\\S+ +ports: iov-v0\\n")
                .containsPattern("iov-v0 +veth +\\S+ +[0-9a-f:]{17} +1500  iov-br0\\n");
    }

    @Test
    @Privileged(tools = {"ovsdb-server", "ovs-vswitchd", "ovs-vsctl"})
    void ovsBridgesArePortsAndOwnersAsTheDatabaseHasThem() throws Exception {
        daemons = OvsDaemons.start(ns);
        try (OvsdbClient client = OvsdbClient.connect(daemons.dbTarget(), Duration.ofSeconds(10))) {
            OvsSwitch ovs = new OvsSwitch(client, "iov-t", Duration.ofSeconds(20));
            ovs.createBridge("iovbr1", "netdev");
            ovs.addPort("iovbr1", new PortSpec(InterfaceName.of("iovbr1p1"), InterfaceType.INTERNAL,
                    PortVlan.access(VlanId.of(10)), Optional.empty(), 0, 0, Map.of()));
        }
        daemons.vsctl("add-br", "opbr0", "--", "set", "bridge", "opbr0", "datapath_type=netdev");
        daemons.vsctl("add-port", "opbr0", "opp1", "trunks=10,20", "--", "set", "interface", "opp1",
                "type=internal");

        CliRunner.Result show = inNamespace("ovs", "show", "--ovsdb", daemons.dbTarget(), "--json");
        CliRunner.Result inventory = inNamespace("inventory", "--json", "--sysfs-root", sysfs.toString(),
                "--ovsdb", daemons.dbTarget());

        assertThat(show.exitCode()).as(show.err()).isZero();
        JsonNode bridges = JSON.readTree(show.out()).get("bridges");
        assertThat(JSON.readTree(show.out()).get("ovsdb").asText()).isEqualTo(daemons.dbTarget());
        assertThat(bridges).extracting(b -> b.get("name").asText()).containsExactly("iovbr1", "opbr0");
        JsonNode iovBridge = bridges.get(0);
        assertThat(iovBridge.get("owner").asText()).isEqualTo("iov-t");
        assertThat(iovBridge.get("datapathType").asText()).isEqualTo("netdev");
        JsonNode p1 = port(iovBridge, "iovbr1p1");
        assertThat(p1.get("owner").asText()).isEqualTo("iov-t");
        assertThat(p1.get("vlanMode").asText()).isEqualTo("access");
        assertThat(p1.get("tag").asInt()).isEqualTo(10);
        assertThat(p1.get("type").asText()).isEqualTo("internal");
        assertThat(p1.get("interfaces")).extracting(JsonNode::asText).containsExactly("iovbr1p1");
        JsonNode opBridge = bridges.get(1);
        assertThat(opBridge.get("owner").isNull()).isTrue();
        JsonNode opp1 = port(opBridge, "opp1");
        assertThat(opp1.get("owner").isNull()).isTrue();
        assertThat(opp1.get("vlanMode").asText()).isEqualTo("trunk");
        assertThat(opp1.get("trunks")).extracting(JsonNode::asInt).containsExactly(10, 20);
        assertThat(opp1.get("tag").isNull()).isTrue();

        assertThat(inventory.exitCode()).as(inventory.err()).isZero();
        JsonNode ovs = JSON.readTree(inventory.out()).get("ovs");
        assertThat(ovs.get("reachable").asBoolean()).isTrue();
        assertThat(ovs.get("bridges")).isEqualTo(bridges);
        List<String> links = new ArrayList<>();
        JSON.readTree(inventory.out()).get("links").forEach(l -> links.add(l.get("name").asText()));
        assertThat(links).as("ovs-vswitchd's devices are in the namespace").contains("iovbr1p1");

        CliRunner.Result text = inNamespace("ovs", "show", "--ovsdb", daemons.dbTarget());
        assertThat(text.out()).contains("bridge iovbr1 (datapath netdev, iov-owner iov-t)",
                "bridge opbr0 (datapath netdev, not iov's)").containsPattern("iovbr1p1 +iovbr1p1 +internal +"
                        + "access 10 +iov-t").containsPattern("opp1 +opp1 +internal +trunk 10,20 +-");

        String target = daemons.dbTarget();
        daemons.close();
        daemons = null;
        CliRunner.Result gone = inNamespace("ovs", "show", "--ovsdb", target, "--json");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.out()).isEmpty();
        assertThat(gone.errLines()).hasSize(1);
        assertThat(gone.err()).startsWith("iov: OVS database " + target + " is not reachable: ");
    }

    private static JsonNode link(JsonNode inventory, String name) {
        for (JsonNode link : inventory.get("links")) {
            if (link.get("name").asText().equals(name)) {
                return link;
            }
        }
        throw new AssertionError("no link " + name + " in " + inventory);
    }

    private static JsonNode port(JsonNode bridge, String name) {
        for (JsonNode port : bridge.get("ports")) {
            if (port.get("name").asText().equals(name)) {
                return port;
            }
        }
        throw new AssertionError("no port " + name + " in " + bridge);
    }

    private CliRunner.Result inNamespace(String... args) {
        return ns.call(() -> CliRunner.run(args));
    }

    private void ip(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = ns.exec(command);
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", Arrays.toString(command), out).isZero();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
