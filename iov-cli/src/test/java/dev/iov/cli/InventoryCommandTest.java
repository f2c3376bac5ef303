package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.ethernet.ovs.OvsBridge;
import dev.iov.ethernet.ovs.OvsPort;
import dev.iov.infiniband.hca.FakeIbSysfs;
import dev.iov.infiniband.hca.HcaDiscovery;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.OperState;
import dev.iov.sriov.sysfs.FakeSysfs;
import dev.iov.sriov.sysfs.FakeSysfs.Model;
import dev.iov.sriov.sysfs.SriovDiscovery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iov inventory} on kernel-shaped sysfs trees ({@link FakeSysfs}, {@link FakeIbSysfs}) with an OVS database
 * that is not there, and its rendering of a known set of links and OVS bridges. The links of a namespace the test
 * controls, and a real OVS database, are in {@code InventoryIT}.
 */
class InventoryCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @BeforeEach
    void buildTree() {
        FakeSysfs.builder().pf("0000:3b:00.0", Model.CONNECTX5).netdev("ens1f0").totalVfs(8).vfs(2).and()
                .build(root);
        FakeIbSysfs.example(root);
    }

    @Test
    void readsSriovAndInfinibandFromTheTreeAndReportsAnAbsentOvsAsNotReachable() throws Exception {
        String socket = root.resolve("no-ovs.sock").toString();

        CliRunner.Result result = CliRunner.run("inventory", "--sysfs-root", root.toString(), "--ovsdb",
                "unix:" + socket, "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        JsonNode inventory = JSON.readTree(result.out());
        assertThat(inventory.fieldNames()).toIterable().containsExactly("links", "bridges", "sriov", "infiniband",
                "ovs");
        assertThat(inventory.get("links")).as("every namespace has lo").anySatisfy(link ->
                assertThat(link.get("name").asText()).isEqualTo("lo"));
        assertThat(inventory.get("sriov")).hasSize(1);
        assertThat(inventory.get("sriov").get(0).get("pci").asText()).isEqualTo("0000:3b:00.0");
        assertThat(inventory.get("sriov").get(0).get("vfs")).hasSize(2);
        assertThat(inventory.get("infiniband")).extracting(h -> h.get("name").asText())
                .containsExactly("mlx5_0", "mlx5_1", "rxe0");
        JsonNode ovs = inventory.get("ovs");
        assertThat(ovs.get("ovsdb").asText()).isEqualTo("unix:" + socket);
        assertThat(ovs.get("reachable").asBoolean()).isFalse();
        assertThat(ovs.has("bridges")).isFalse();
        assertThat(ovs.get("error").asText()).isNotBlank().doesNotContain("Exception");
    }

    @Test
    void textHasOneSectionPerSourceAndOneNotReachableLine() {
        CliRunner.Result result = CliRunner.run("inventory", "--sysfs-root", root.toString(), "--ovsdb",
                "unix:" + root.resolve("no-ovs.sock"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Links (").contains("\nLinux bridges\n", "\nSR-IOV\n", "0000:3b:00.0",
                "\nInfiniBand\n", "mlx5_0", "\nOpen vSwitch (unix:" + root.resolve("no-ovs.sock") + ")\nnot reachable: ");
        assertThat(result.out().lines().filter(l -> l.startsWith("not reachable"))).hasSize(1);
    }

    @Test
    void badOptionsAreInputErrorsAndPrintNothing() {
        CliRunner.Result badOvsdb = CliRunner.run("inventory", "--ovsdb", "ssl:1.2.3.4:6640", "--json");
        assertThat(badOvsdb.exitCode()).isEqualTo(2);
        assertThat(badOvsdb.out()).isEmpty();
        assertThat(badOvsdb.errLines()).containsExactly(
                "iov: --ovsdb 'ssl:1.2.3.4:6640': expected unix:PATH or tcp:HOST:PORT");

        CliRunner.Result badPort = CliRunner.run("inventory", "--ovsdb", "tcp:127.0.0.1:70000");
        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.err()).contains("'70000'");

        Path missing = root.resolve("nope");
        CliRunner.Result badRoot = CliRunner.run("inventory", "--sysfs-root", missing.toString());
        assertThat(badRoot.exitCode()).isEqualTo(2);
        assertThat(badRoot.out()).isEmpty();
        assertThat(badRoot.errLines()).containsExactly("iov: --sysfs-root '" + missing + "' does not exist");
    }

    @Test
    void bridgesListTheirPortsAndLinksNameTheirMaster() throws Exception {
        InventoryCommand.Inventory inventory = new InventoryCommand.Inventory(List.of(
                link(1, "lo", null, OperState.UNKNOWN, OptionalInt.empty()),
                link(5, "br0", "bridge", OperState.UP, OptionalInt.empty()),
                link(6, "veth0", "veth", OperState.UP, OptionalInt.of(5)),
                link(7, "veth1", "veth", OperState.DOWN, OptionalInt.of(5)),
                link(8, "br1", "bridge", OperState.DOWN, OptionalInt.empty()),
                link(9, "bond0", "bond", OperState.UP, OptionalInt.of(42))),
                SriovDiscovery.at(root).physicalFunctions(), HcaDiscovery.at(root).hcas(), "tcp:127.0.0.1:6640",
                Optional.of(new OvsBridges("tcp:127.0.0.1:6640", List.of(ovsBridge()))), Optional.empty());

        JsonNode json = JSON.readTree(Json.toString(inventory.toJson()));
        assertThat(json.get("bridges")).isEqualTo(JSON.readTree("[{\"name\":\"br0\",\"state\":\"UP\","
                + "\"ports\":[\"veth0\",\"veth1\"]},{\"name\":\"br1\",\"state\":\"DOWN\",\"ports\":[]}]"));
        assertThat(json.get("links").get(2)).isEqualTo(JSON.readTree("{\"index\":6,\"name\":\"veth0\","
                + "\"kind\":\"veth\",\"state\":\"UP\",\"up\":true,\"mac\":\"02:00:00:00:00:06\",\"mtu\":1500,"
                + "\"master\":\"br0\"}"));
        assertThat(json.get("links").get(5).get("master").asText()).as("a master not in the dump").isEqualTo("#42");
        assertThat(json.get("ovs")).isEqualTo(JSON.readTree("{\"ovsdb\":\"tcp:127.0.0.1:6640\",\"reachable\":true,"
                + "\"bridges\":[{\"name\":\"br-int\",\"datapathType\":\"netdev\",\"owner\":\"iov-lab\",\"ports\":["
                + "{\"name\":\"bond0\",\"interfaces\":[\"eth1\",\"eth2\"],\"type\":\"system\",\"vlanMode\":\"trunk\","
                + "\"tag\":null,\"trunks\":[10,20],\"mac\":null,\"ofport\":2,\"owner\":null,\"error\":null},"
                + "{\"name\":\"vm1\",\"interfaces\":[\"vm1\"],\"type\":\"internal\",\"vlanMode\":\"access\","
                + "\"tag\":10,\"trunks\":[],\"mac\":\"02:00:00:00:00:01\",\"ofport\":1,\"owner\":\"iov-lab\","
                + "\"error\":null}]}]}"));

        String text = text(inventory);
        assertThat(text).contains("br0              UP        ports: veth0, veth1\n",
                "br1              DOWN      ports: none\n");
        assertThat(text).containsPattern("\\n    6  veth0 +veth +UP +02:00:00:00:00:06 +1500  br0\\n");
        assertThat(text).contains("bridge br-int (datapath netdev, iov-owner iov-lab)",
                "  vm1              vm1                       internal  access 10             iov-lab",
                "  bond0            eth1,eth2                 system    trunk 10,20           -");
    }

    @Test
    void anEmptyOvsAndNoBridgesSaySo() {
        InventoryCommand.Inventory inventory = new InventoryCommand.Inventory(List.of(
                link(1, "lo", null, OperState.UNKNOWN, OptionalInt.empty())), List.of(), List.of(),
                "unix:/x.sock", Optional.of(new OvsBridges("unix:/x.sock", List.of())), Optional.empty());

        assertThat(text(inventory)).contains("Linux bridges\nno Linux bridges\n", "SR-IOV\nno SR-IOV network PFs\n",
                "InfiniBand\nno InfiniBand/RDMA devices\n", "Open vSwitch (unix:/x.sock)\nno OVS bridges\n");
    }

    static OvsBridge ovsBridge() {
        OvsPort vm1 = new OvsPort("vm1", false, Map.of("iov-owner", "iov-lab"), OptionalInt.of(10), List.of(),
                Optional.of("access"), "internal", Optional.of("02:00:00:00:00:01"), 0, OptionalLong.of(1),
                Optional.empty(), List.of("vm1"));
        OvsPort bond = new OvsPort("bond0", false, Map.of(), OptionalInt.empty(), List.of(10, 20), Optional.empty(),
                "", Optional.empty(), 0, OptionalLong.of(2), Optional.empty(), List.of("eth1", "eth2"));
        return new OvsBridge("br-int", "netdev", Map.of("iov-owner", "iov-lab"), List.of(bond, vm1));
    }

    private static String text(CommandOutput output) {
        StringWriter text = new StringWriter();
        output.printText(new PrintWriter(text, true));
        return text.toString();
    }

    private static LinkInfo link(int index, String name, String kind, OperState state, OptionalInt master) {
        return new LinkInfo(index, InterfaceName.of(name), Optional.ofNullable(kind),
                Optional.of(MacAddress.parse(String.format("02:00:00:00:00:%02x", index))), 1500, state,
                state == OperState.UP, 0, master, OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                OptionalInt.empty(), List.of(), Optional.empty());
    }
}
