package dev.iov.ethernet.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.ethernet.ovsdb.Condition;
import dev.iov.ethernet.ovsdb.Operation;
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.ethernet.ovsdb.OvsdbException;
import dev.iov.ethernet.ovsdb.Uuid;
import dev.iov.ethernet.switching.VlanMode;
import dev.iov.testing.Privileged;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@Privileged(tools = {"ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ip", "tc"})
class OvsSwitchIT {

    private static final String BRIDGE = "iovsw0";
    private static PrivateOvs ovsFixture;
    private static OvsDaemons daemons;
    private OvsdbClient client;
    private OvsSwitch ovs;

    @BeforeAll
    static void startDaemons() {
        ovsFixture = PrivateOvs.start();
        daemons = ovsFixture.daemons();
    }

    @AfterAll
    static void stopDaemons() {
        if (ovsFixture != null) {
            ovsFixture.close();
        }
    }

    @BeforeEach
    void connect() {
        client = OvsdbClient.connect(daemons.dbTarget(), Duration.ofSeconds(10));
        ovs = new OvsSwitch(client, "iov-test", Duration.ofSeconds(10));
        assertThat(ovs.createBridge(BRIDGE, "netdev")).isTrue();
    }

    @AfterEach
    void cleanUp() {
        try {
            daemons.vsctl("--if-exists", "del-br", BRIDGE, "--", "--if-exists", "del-br", "iovfor0");
            daemons.vsctl("--all", "destroy", "QoS");
        } finally {
            client.close();
        }
    }

    @Test
    void bridgeAndPortsCarryTheOwnerMarkAndAreReadBack() {
        assertThat(ovs.createBridge(BRIDGE, "netdev")).as("iov's bridge exists already").isFalse();
        assertThat(daemons.vsctl("get", "bridge", BRIDGE, "datapath_type").strip()).isEqualTo("netdev");
        MacAddress mac = MacAddress.parse("02:00:00:00:00:11");
        ovs.addPort(BRIDGE, new PortSpec(InterfaceName.of("iovsw0p1"), InterfaceType.INTERNAL,
                PortVlan.access(VlanId.of(10)), Optional.of(mac), 1000, 100, Map.of("iov-vnic", "v1")));
        ovs.addPort(BRIDGE, new PortSpec(InterfaceName.of("iovsw0t1"), InterfaceType.TAP,
                PortVlan.trunk(Set.of(VlanId.of(10), VlanId.of(20))), Optional.empty(), 0, 0, Map.of()));

        OvsPort p1 = ovs.port("iovsw0p1").orElseThrow();
        assertThat(p1.owned()).isTrue();
        assertThat(p1.externalIds()).containsEntry("iov-owner", "iov-test").containsEntry("iov-vnic", "v1")
                .containsEntry("attached-mac", mac.toString());
        assertThat(p1.tag()).hasValue(10);
        assertThat(p1.vlanMode()).contains("access");
        assertThat(p1.interfaceType()).isEqualTo("internal");
        assertThat(p1.mac()).contains(mac.toString());
        assertThat(p1.policingRateKbps()).isEqualTo(1000);
        assertThat(p1.ofport()).isPresent();
        assertThat(p1.ofport().getAsLong()).isPositive();
        assertThat(p1.error()).isEmpty();
        assertThat(daemons.vsctl("get", "interface", "iovsw0p1", "ingress_policing_burst").strip()).isEqualTo("100");
        assertThat(daemons.vsctl("get", "interface", "iovsw0p1", "mac_in_use").strip())
                .as("ovs-vswitchd applied the MAC").isEqualTo("\"" + mac + "\"");

        OvsPort t1 = ovs.port("iovsw0t1").orElseThrow();
        assertThat(t1.interfaceType()).isEqualTo("tap");
        assertThat(t1.trunks()).containsExactly(10, 20);
        assertThat(t1.vlanMode()).contains("trunk");
        assertThat(ovs.ports(BRIDGE)).extracting(OvsPort::name).containsExactlyInAnyOrder(BRIDGE, "iovsw0p1",
                "iovsw0t1");
        assertThat(ovs.statistics("iovsw0p1")).containsKeys("rx_packets", "tx_packets", "rx_bytes", "tx_bytes");
        assertThat(p1.interfaces()).containsExactly("iovsw0p1");
        assertThat(p1.owner()).contains("iov-test");

        // bridges(): one consistent read of every bridge, iov's and an operator's, with all of a bond's interfaces.
        daemons.vsctl("add-br", "opbr0", "--", "set", "bridge", "opbr0", "datapath_type=netdev");
        daemons.vsctl("add-bond", "opbr0", "opbond0", "opb0", "opb1", "--", "set", "interface", "opb0",
                "type=internal", "--", "set", "interface", "opb1", "type=internal");
        List<OvsBridge> bridges = ovs.bridges();
        assertThat(bridges).extracting(OvsBridge::name).containsExactly(BRIDGE, "opbr0");
        assertThat(bridges.get(0).owner()).contains("iov-test");
        assertThat(bridges.get(0).datapathType()).isEqualTo("netdev");
        assertThat(bridges.get(0).ports()).extracting(OvsPort::name).containsExactly(BRIDGE, "iovsw0p1",
                "iovsw0t1");
        assertThat(bridges.get(1).owner()).isEmpty();
        OvsPort bond = bridges.get(1).ports().stream().filter(p -> p.name().equals("opbond0")).findFirst()
                .orElseThrow();
        assertThat(bond.interfaces()).containsExactly("opb0", "opb1");
        assertThat(bond.owned()).isFalse();
        assertThat(ovs.port("opbond0").orElseThrow().interfaces()).containsExactly("opb0", "opb1");
        daemons.vsctl("del-br", "opbr0");

        assertThat(ovs.removePort("iovsw0p1")).isTrue();
        assertThat(ovs.removePort("iovsw0p1")).isFalse();
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain("iovsw0p1").contains("iovsw0t1");
        assertThat(daemons.vsctl("--columns=name", "list", "interface")).doesNotContain("iovsw0p1");
    }

    @Test
    void iovsOwnBridgeIsDeletedWithItsPorts() {
        assertThat(ovs.createBridge("iovsw9", "netdev")).isTrue();
        ovs.addPort("iovsw9", spec("iovsw9p1"));
        assertThat(ovs.hasBridge("iovsw9")).isTrue();
        assertThat(ovs.deleteBridge("iovsw9")).isTrue();
        assertThat(ovs.hasBridge("iovsw9")).isFalse();
        assertThat(ovs.port("iovsw9p1")).isEmpty();
        assertThat(daemons.vsctl("list-br")).doesNotContain("iovsw9");
        assertThat(ovs.deleteBridge("iovsw9")).isFalse();
    }

    @Test
    void everyVlanModeIsWrittenAsOvsNamesIt() {
        addInternal("iovsw0v1");
        for (VlanMode mode : VlanMode.values()) {
            PortVlan vlan = mode == VlanMode.TRUNK ? PortVlan.trunk(Set.of(VlanId.of(30)))
                    : new PortVlan(mode, Optional.of(VlanId.of(30)),
                            mode == VlanMode.ACCESS ? Set.of() : Set.of(VlanId.of(31), VlanId.of(32)));
            ovs.setVlan("iovsw0v1", vlan);
            assertThat(daemons.vsctl("get", "port", "iovsw0v1", "vlan_mode").strip())
                    .isEqualTo(PortVlan.ovsName(mode));
            OvsPort port = ovs.port("iovsw0v1").orElseThrow();
            assertThat(port.vlanMode()).contains(PortVlan.ovsName(mode));
            assertThat(port.tag().isPresent()).isEqualTo(mode != VlanMode.TRUNK);
            assertThat(port.trunks()).containsExactlyElementsOf(vlan.trunks().stream().map(VlanId::value).sorted()
                    .toList());
        }
    }

    @Test
    void policingQosAndMirrors() throws Exception {
        addInternal("iovsw0q1");
        addInternal("iovsw0q2");
        ovs.setIngressPolicing("iovsw0q1", 5000, 500);
        assertThat(daemons.vsctl("get", "interface", "iovsw0q1", "ingress_policing_rate").strip()).isEqualTo("5000");
        assertThat(daemons.vsctl("get", "interface", "iovsw0q1", "ingress_policing_burst").strip()).isEqualTo("500");

        ovs.setMaxRate("iovsw0q1", Bandwidth.ofMbps(20));
        String qos = daemons.vsctl("get", "port", "iovsw0q1", "qos").strip();
        assertThat(daemons.vsctl("get", "qos", qos, "type").strip()).isEqualTo("linux-htb");
        assertThat(daemons.vsctl("get", "qos", qos, "other_config:max-rate").strip()).isEqualTo("\"20000000\"");
        assertThat(tcQdisc("iovsw0q1")).as("ovs-vswitchd programmed htb with tc on the netdev bridge's device")
                .contains("htb");
        ovs.setMaxRate("iovsw0q1", Bandwidth.ofMbps(10));
        assertThat(daemons.vsctl("--columns=_uuid", "list", "qos").lines().filter(l -> !l.isBlank()).count())
                .as("the replaced QoS row is deleted").isEqualTo(1);
        ovs.setMaxRate("iovsw0q1", Bandwidth.ZERO);
        assertThat(daemons.vsctl("get", "port", "iovsw0q1", "qos").strip()).isEqualTo("[]");
        assertThat(daemons.vsctl("--columns=_uuid", "list", "qos").strip()).isEmpty();

        ovs.addMirror(BRIDGE, new MirrorSpec("iovm1", Set.of("iovsw0q1"), Set.of("iovsw0q1"), Set.of(VlanId.of(10)),
                "iovsw0q2"));
        assertThat(daemons.vsctl("get", "mirror", "iovm1", "select_vlan").strip()).isEqualTo("[10]");
        assertThat(daemons.vsctl("get", "mirror", "iovm1", "external_ids:iov-owner").strip())
                .isEqualTo("iov-test");
        assertThat(daemons.vsctl("get", "bridge", BRIDGE, "mirrors")).isNotBlank().isNotEqualTo("[]\n");
        assertThatThrownBy(() -> ovs.addMirror(BRIDGE, new MirrorSpec("iovm2", Set.of("nosuchport"), Set.of(),
                Set.of(), "iovsw0q2"))).isInstanceOf(OvsdbException.class).hasMessageContaining("nosuchport");
        assertThat(ovs.removeMirror(BRIDGE, "iovm1")).isTrue();
        assertThat(daemons.vsctl("get", "bridge", BRIDGE, "mirrors").strip()).isEqualTo("[]");
    }

    @Test
    void rowsIovDoesNotOwnAreNeverChanged() {
        daemons.vsctl("add-br", "iovfor0", "--", "set", "bridge", "iovfor0", "datapath_type=netdev",
                "--", "add-port", "iovfor0", "iovforp1", "tag=7", "--", "set", "interface", "iovforp1",
                "type=internal", "--", "add-port", BRIDGE, "iovforp2", "--", "set", "interface", "iovforp2",
                "type=internal");

        assertThatThrownBy(() -> ovs.removePort("iovforp1")).isInstanceOf(OvsdbException.class)
                .satisfies(e -> assertThat(((OvsdbException) e).error()).isEqualTo(OvsSwitch.NOT_OWNED))
                .hasMessageContaining("iovforp1");
        assertThatThrownBy(() -> ovs.removePort("iovforp2")).isInstanceOf(OvsdbException.class)
                .hasMessageContaining(OvsSwitch.NOT_OWNED);
        assertThatThrownBy(() -> ovs.setVlan("iovforp1", PortVlan.access(VlanId.of(8))))
                .hasMessageContaining(OvsSwitch.NOT_OWNED);
        assertThatThrownBy(() -> ovs.setIngressPolicing("iovforp1", 100, 10))
                .hasMessageContaining(OvsSwitch.NOT_OWNED);
        assertThatThrownBy(() -> ovs.setMaxRate("iovforp1", Bandwidth.ofMbps(1)))
                .hasMessageContaining(OvsSwitch.NOT_OWNED);
        assertThatThrownBy(() -> ovs.deleteBridge("iovfor0")).hasMessageContaining(OvsSwitch.NOT_OWNED);
        assertThatThrownBy(() -> ovs.createBridge("iovfor0", "netdev")).hasMessageContaining(OvsSwitch.NOT_OWNED);
        // Another iov instance (another owner) is foreign too.
        addInternal("iovsw0o1");
        OvsSwitch other = new OvsSwitch(client, "someone-else", Duration.ofSeconds(10));
        assertThatThrownBy(() -> other.removePort("iovsw0o1")).hasMessageContaining(OvsSwitch.NOT_OWNED);

        assertThat(daemons.vsctl("list-ports", "iovfor0")).contains("iovforp1");
        assertThat(daemons.vsctl("list-ports", BRIDGE)).contains("iovforp2").contains("iovsw0o1");
        assertThat(daemons.vsctl("get", "port", "iovforp1", "tag").strip()).isEqualTo("7");
        assertThat(daemons.vsctl("get", "interface", "iovforp1", "ingress_policing_rate").strip()).isEqualTo("0");
        assertThat(ovs.port("iovforp1").orElseThrow().owned()).isFalse();
        // iov may add its port to a foreign bridge: only the bridge's port list changes.
        ovs.addPort("iovfor0", spec("iovforp3"));
        assertThat(ovs.removePort("iovforp3")).isTrue();
        assertThat(daemons.vsctl("list-ports", "iovfor0").strip()).isEqualTo("iovforp1");
    }

    @Test
    void failedAddPortLeavesNothingBehind() {
        assertThatThrownBy(() -> ovs.addPort("iovnobr", spec("iovsw0x1"))).isInstanceOf(OvsdbException.class)
                .satisfies(e -> assertThat(((OvsdbException) e).error()).isEqualTo("no such bridge"));
        assertThat(ovs.port("iovsw0x1")).isEmpty();

        // A system interface whose device does not exist: ovs-vswitchd refuses it, and the port is removed again.
        assertThatThrownBy(() -> ovs.addPort(BRIDGE, new PortSpec(InterfaceName.of("iovnodev9"), InterfaceType.SYSTEM,
                PortVlan.access(VlanId.of(10)), Optional.empty(), 0, 0, Map.of())))
                .isInstanceOf(OvsdbException.class)
                .satisfies(e -> assertThat(((OvsdbException) e).error()).isEqualTo("interface failed"))
                .hasMessageContaining("iovnodev9");
        assertThat(ovs.port("iovnodev9")).isEmpty();
        assertThat(daemons.vsctl("--columns=name", "list", "interface")).doesNotContain("iovnodev9");

        addInternal("iovsw0d1");
        assertThatThrownBy(() -> ovs.addPort(BRIDGE, spec("iovsw0d1"))).isInstanceOf(OvsdbException.class);
        assertThat(ovs.ports(BRIDGE)).extracting(OvsPort::name).containsOnlyOnce("iovsw0d1");
    }

    @Test
    void removeAndUpdateCheckTheMarksInTheSameTransaction() {
        ovs.addPort(BRIDGE, new PortSpec(InterfaceName.of("iovsw0m1"), InterfaceType.INTERNAL,
                PortVlan.access(VlanId.of(10)), Optional.empty(), 0, 0, Map.of("iov-vnic", "v1")));
        Map<String, String> v1 = Map.of("iov-vnic", "v1");
        Map<String, String> v2 = Map.of("iov-vnic", "v2");

        assertThatThrownBy(() -> ovs.removePort("iovsw0m1", v2)).isInstanceOf(OvsdbException.class)
                .hasMessageContaining(OvsSwitch.NOT_OWNED).hasMessageContaining("iov-vnic=v1");
        assertThatThrownBy(() -> ovs.updatePort(new PortSpec(InterfaceName.of("iovsw0m1"), InterfaceType.INTERNAL,
                PortVlan.access(VlanId.of(20)), Optional.empty(), 0, 0, v2), v2))
                .hasMessageContaining(OvsSwitch.NOT_OWNED);
        assertThat(daemons.vsctl("get", "port", "iovsw0m1", "tag").strip()).isEqualTo("10");

        // The row is read, then re-marked before the removing transaction runs: the transaction's wait refuses it.
        Uuid read = client.transact("Open_vSwitch", Operation.select("Port", List.of(Condition.eq("name",
                "iovsw0m1")), List.of("_uuid"))).get(0).rows().get(0).uuid();
        daemons.vsctl("set", "port", "iovsw0m1", "external_ids:iov-vnic=v2");
        assertThatThrownBy(() -> ovs.removePort("iovsw0m1", read, v1)).isInstanceOf(OvsdbException.class)
                .satisfies(e -> assertThat(((OvsdbException) e).error()).isEqualTo(OvsSwitch.NOT_OWNED));
        assertThat(daemons.vsctl("list-ports", BRIDGE)).contains("iovsw0m1");

        assertThat(ovs.removePort("iovsw0m1", v2)).isTrue();
        assertThat(ovs.removePort("iovsw0m1", v2)).isFalse();
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain("iovsw0m1");
    }

    @Test
    void aPortOvsVswitchdDoesNotApplyInTimeIsRemovedAgain() {
        OvsSwitch impatient = new OvsSwitch(client, "iov-test", Duration.ofSeconds(1));
        try (VswitchdStall stall = VswitchdStall.untilNextPortIsRemoved(daemons, BRIDGE, Duration.ofSeconds(30))) {
            assertThatThrownBy(() -> impatient.addPort(BRIDGE, spec("iovsw0s1"))).isInstanceOf(OvsdbException.class)
                    .satisfies(e -> assertThat(((OvsdbException) e).error()).isEqualTo(OvsSwitch.NOT_APPLIED))
                    .hasMessageContaining("iovsw0s1 was removed");
        }
        assertThat(ovs.port("iovsw0s1")).isEmpty();
        assertThat(daemons.vsctl("--columns=name", "list", "interface")).doesNotContain("iovsw0s1");
        addInternal("iovsw0s1");
        assertThat(ovs.port("iovsw0s1").orElseThrow().error()).isEmpty();
    }

    private static String tcQdisc(String device) throws Exception {
        String out = "";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Process tc = ovsFixture.namespace().exec("tc", "qdisc", "show", "dev", device);
            out = new String(tc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            tc.waitFor();
            if (out.contains("htb")) {
                break;
            }
            Thread.sleep(100);
        }
        return out;
    }

    private void addInternal(String name) {
        ovs.addPort(BRIDGE, spec(name));
    }

    private static PortSpec spec(String name) {
        return new PortSpec(InterfaceName.of(name), InterfaceType.INTERNAL, PortVlan.access(VlanId.of(10)),
                Optional.empty(), 0, 0, Map.of());
    }
}
