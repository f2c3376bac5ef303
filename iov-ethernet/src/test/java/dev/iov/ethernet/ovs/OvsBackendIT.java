package dev.iov.ethernet.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.fabric.Drift;
import dev.iov.api.fabric.DriftReport;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PKey;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.Backends;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.testing.Privileged;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@Privileged(tools = {"ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ip"})
class OvsBackendIT {

    private static final String BRIDGE = "iovbe0";
    private static final HostId HOST = HostId.of("h1");
    private static final Network TENANT_A = Network.vlan("tenant-a", VlanId.of(10));
    private static PrivateOvs ovsFixture;
    private static OvsDaemons daemons;
    private IoBackend backend;

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
    void createBackend() {
        backend = newBackend();
    }

    @AfterEach
    void cleanUp() {
        try {
            backend.close();
        } finally {
            daemons.vsctl("--if-exists", "del-br", BRIDGE);
        }
    }

    @Test
    void providerIsFoundAndValidatesItsSettings() {
        assertThat(backend).isInstanceOf(OvsBackend.class);
        assertThat(backend.kind()).isEqualTo(BackendKind.VSWITCH_PORT);
        assertThat(backend.capabilities()).contains(Capability.VLAN, Capability.MAX_RATE, Capability.STATS);
        assertThat(daemons.vsctl("get", "bridge", BRIDGE, "datapath_type").strip()).isEqualTo("netdev");
        assertThat(daemons.vsctl("get", "bridge", BRIDGE, "external_ids:iov-owner").strip()).isEqualTo("\"h1/ovs\"");
        assertThatThrownBy(() -> Backends.create("ovs", "x", Map.of("db", daemons.dbTarget(), "colour", "red")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour");
        assertThatThrownBy(() -> Backends.create("ovs", "x", Map.of("db", "ftp:x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ftp:x'");
        assertThatThrownBy(() -> Backends.create("ovs", "x", Map.of("db", daemons.dbTarget(),
                "bridge", "much-too-long-bridge"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("much-too-long-bridge");
        assertThatThrownBy(() -> Backends.create("ovs", "x", Map.of("db", "unix:/nonexistent/iov.sock")))
                .isInstanceOf(BackendException.class).hasMessageContaining("/nonexistent/iov.sock");
    }

    @Test
    void attachDetachStatsDiscover() {
        MacAddress mac = MacAddress.parse("02:00:00:00:01:01");
        AttachRequest request = request("web-1", TENANT_A, mac, Bandwidth.ofMbps(100));
        Attachment attachment = backend.attach(request);
        String port = attachment.handle();
        assertThat(port).isEqualTo(OvsBackend.portName(VnicId.of("web-1")).value()).startsWith("ivweb-1-");
        assertThat(backend.attach(request)).as("attach is idempotent for the same vNIC").isEqualTo(attachment);

        assertThat(daemons.vsctl("get", "port", port, "tag").strip()).isEqualTo("10");
        assertThat(daemons.vsctl("get", "interface", port, "ingress_policing_rate").strip()).isEqualTo("100000");
        assertThat(daemons.vsctl("get", "interface", port, "mac_in_use").strip()).isEqualTo("\"" + mac + "\"");
        assertThat(daemons.vsctl("get", "port", port, "external_ids:iov-vnic").strip()).isEqualTo("web-1");
        assertThat(backend.stats(attachment).rxErrors()).isZero();

        List<DiscoveredPort> found = backend.discover(HOST);
        assertThat(found).filteredOn(p -> p.handle().equals(port)).singleElement().satisfies(p -> {
            assertThat(p.owner()).contains(VnicId.of("web-1"));
            assertThat(p.mac()).contains(mac);
            assertThat(p.segment()).hasValue(10);
            assertThat(p.maxRate()).contains(Bandwidth.ofMbps(100));
        });
        assertThat(found).filteredOn(p -> p.handle().equals(BRIDGE)).singleElement()
                .satisfies(p -> assertThat(p.owner()).isEmpty());

        MacAddress mac2 = MacAddress.parse("02:00:00:00:01:0f");
        backend.update(attachment, request("web-1", Network.vlan("tenant-b", VlanId.of(20)), mac2, Bandwidth.ZERO));
        assertThat(daemons.vsctl("get", "port", port, "tag").strip()).isEqualTo("20");
        assertThat(daemons.vsctl("get", "interface", port, "ingress_policing_rate").strip()).isEqualTo("0");
        assertThat(eventually(() -> daemons.vsctl("get", "interface", port, "mac_in_use").strip(),
                "\"" + mac2 + "\"")).isEqualTo("\"" + mac2 + "\"");
        assertThat(daemons.vsctl("get", "port", port, "external_ids:attached-mac").strip())
                .isEqualTo("\"" + mac2 + "\"");
        assertThatThrownBy(() -> backend.update(attachment, request("web-2", TENANT_A, mac, Bandwidth.ZERO)))
                .isInstanceOfSatisfying(OwnershipException.class, e -> {
                    assertThat(e.claimed()).isEqualTo(VnicId.of("web-2"));
                    assertThat(e.owner()).contains(VnicId.of("web-1"));
                }).hasMessageContaining(port);
        // A retried attach reconciles the port with the request.
        assertThat(backend.attach(request)).isEqualTo(attachment);
        assertThat(daemons.vsctl("get", "port", port, "tag").strip()).isEqualTo("10");
        assertThat(daemons.vsctl("get", "interface", port, "ingress_policing_rate").strip()).isEqualTo("100000");

        backend.detach(attachment);
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(port);
        backend.detach(attachment);
        backend.detach(Attachment.of(VnicId.of("web-1"), "h1/ovs", port));
        assertThatThrownBy(() -> backend.stats(attachment)).isInstanceOf(BackendException.class)
                .hasMessageContaining(port);
    }

    @Test
    void refusesWhatItCannotDoAndLeavesNothing() {
        assertThatThrownBy(() -> backend.attach(request("ib-1", Network.ibPartition("ib", PKey.of(0x8001)),
                MacAddress.parse("02:00:00:00:01:02"), Bandwidth.ZERO))).isInstanceOf(BackendException.class)
                .hasMessageContaining("VLAN networks only");
        assertThatThrownBy(() -> backend.attach(request("odd-1", TENANT_A, MacAddress.parse("02:00:00:00:01:03"),
                Bandwidth.ofBitsPerSecond(1500)))).isInstanceOf(BackendException.class)
                .hasMessageContaining("1500");
        assertThat(backend.discover(HOST)).extracting(DiscoveredPort::handle).containsExactly(BRIDGE);
    }

    @Test
    void portsIovDoesNotOwnAreLeftAlone() {
        String foreign = OvsBackend.portName(VnicId.of("web-9")).value();
        daemons.vsctl("add-port", BRIDGE, foreign, "tag=5", "--", "set", "interface", foreign, "type=internal");
        Attachment claim = Attachment.of(VnicId.of("web-9"), "h1/ovs", foreign);
        AttachRequest request = request("web-9", TENANT_A, MacAddress.parse("02:00:00:00:01:09"), Bandwidth.ZERO);

        assertThatThrownBy(() -> backend.attach(request)).isInstanceOfSatisfying(OwnershipException.class,
                e -> assertThat(e.owner()).isEmpty()).hasMessageContaining(foreign).hasMessageContaining("not a port");
        assertThatThrownBy(() -> backend.detach(claim)).isInstanceOfSatisfying(OwnershipException.class,
                e -> assertThat(e.owner()).isEmpty());
        assertThatThrownBy(() -> backend.update(claim, request)).isInstanceOf(OwnershipException.class);
        assertThatThrownBy(() -> backend.stats(claim)).isInstanceOf(OwnershipException.class);
        backend.abandon(request);

        assertThat(daemons.vsctl("get", "port", foreign, "tag").strip()).isEqualTo("5");
        assertThat(daemons.vsctl("get", "port", foreign, "external_ids").strip()).isEqualTo("{}");
        assertThat(backend.discover(HOST)).filteredOn(p -> p.handle().equals(foreign)).singleElement()
                .satisfies(p -> assertThat(p.owner()).isEmpty());
    }

    @Test
    void anotherVnicsOrAnotherBackendsPortIsRefusedAndUntouched() {
        Attachment web1 = backend.attach(request("web-1", TENANT_A, MacAddress.parse("02:00:00:00:02:01"),
                Bandwidth.ofMbps(100)));
        String before = portState(web1.handle());
        Attachment web2ClaimsIt = Attachment.of(VnicId.of("web-2"), "h1/ovs", web1.handle());

        assertThatThrownBy(() -> backend.detach(web2ClaimsIt)).isInstanceOfSatisfying(OwnershipException.class,
                e -> assertThat(e.owner()).contains(VnicId.of("web-1")));
        assertThatThrownBy(() -> backend.update(web2ClaimsIt, request("web-2", Network.vlan("tenant-b",
                VlanId.of(20)), MacAddress.parse("02:00:00:00:02:02"), Bandwidth.ZERO)))
                .isInstanceOfSatisfying(OwnershipException.class,
                        e -> assertThat(e.owner()).contains(VnicId.of("web-1")));
        assertThatThrownBy(() -> backend.stats(web2ClaimsIt)).isInstanceOf(OwnershipException.class);
        assertThat(portState(web1.handle())).as("refused calls change nothing").isEqualTo(before);

        // A second iov backend on the same bridge: its ports are not this one's, even for the same vNIC id.
        try (IoBackend other = Backends.create("ovs", "h2/ovs", Map.of("db", daemons.dbTarget(), "bridge", BRIDGE))) {
            Attachment theirs = other.attach(request("web-5", TENANT_A, MacAddress.parse("02:00:00:00:02:05"),
                    Bandwidth.ZERO));
            assertThatThrownBy(() -> backend.detach(Attachment.of(VnicId.of("web-5"), "h1/ovs", theirs.handle())))
                    .isInstanceOf(OwnershipException.class).hasMessageContaining("h2/ovs");
            assertThat(backend.discover(HOST)).filteredOn(p -> p.handle().equals(theirs.handle())).singleElement()
                    .satisfies(p -> assertThat(p.owner()).isEmpty());
            assertThat(daemons.vsctl("list-ports", BRIDGE)).contains(theirs.handle());
            other.detach(theirs);
        }
        backend.detach(web1);
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(web1.handle());
    }

    @Test
    void vnicsWhosePortNamesCollideNeverShareAPort() {
        VnicId a = VnicId.of("web-xxwtexehxk");
        VnicId b = VnicId.of("web-xxzvwekasi");
        assertThat(OvsBackend.portName(a)).as("a known CRC collision").isEqualTo(OvsBackend.portName(b));
        AttachRequest ra = request(a.value(), TENANT_A, MacAddress.parse("02:00:00:00:03:01"), Bandwidth.ZERO);
        AttachRequest rb = request(b.value(), TENANT_A, MacAddress.parse("02:00:00:00:03:02"), Bandwidth.ZERO);
        Attachment attachedA = backend.attach(ra);

        assertThatThrownBy(() -> backend.attach(rb)).isInstanceOfSatisfying(OwnershipException.class,
                e -> assertThat(e.owner()).contains(a));
        assertThat(daemons.vsctl("get", "port", attachedA.handle(), "external_ids:iov-vnic").strip())
                .isEqualTo(a.value());

        // After a restart with a's port gone, its name stays a's: b is refused, a's repair re-creates it.
        backend.close();
        daemons.vsctl("del-port", BRIDGE, attachedA.handle());
        backend = newBackend();
        RestoreReport report = backend.restore(List.of(new RecordedAttachment(ra, attachedA)));
        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason()).contains("reserved"));
        assertThatThrownBy(() -> backend.attach(rb)).isInstanceOfSatisfying(OwnershipException.class,
                e -> assertThat(e.owner()).contains(a));
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(attachedA.handle());
        Attachment repaired = backend.attach(ra);
        assertThat(repaired.handle()).isEqualTo(attachedA.handle());
        assertThat(daemons.vsctl("get", "port", repaired.handle(), "external_ids:iov-vnic").strip())
                .isEqualTo(a.value());
    }

    @Test
    void aNewConnectionRestoresWhatIsStillItsOwnAndTouchesNothing() {
        AttachRequest r1 = request("web-1", TENANT_A, MacAddress.parse("02:00:00:00:04:01"), Bandwidth.ofMbps(10));
        AttachRequest r2 = request("web-2", TENANT_A, MacAddress.parse("02:00:00:00:04:02"), Bandwidth.ZERO);
        AttachRequest r3 = request("web-3", TENANT_A, MacAddress.parse("02:00:00:00:04:03"), Bandwidth.ZERO);
        AttachRequest r4 = request("web-4", TENANT_A, MacAddress.parse("02:00:00:00:04:04"), Bandwidth.ZERO);
        Attachment a1 = backend.attach(r1);
        Attachment a2 = backend.attach(r2);
        Attachment a3 = backend.attach(r3);
        Attachment a4 = backend.attach(r4);
        backend.close();
        assertThatThrownBy(() -> backend.attach(r1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        // While the manager is down, an operator re-marks one port, takes iov's mark off another and deletes one.
        daemons.vsctl("set", "port", a2.handle(), "external_ids:iov-vnic=web-x");
        daemons.vsctl("remove", "port", a3.handle(), "external_ids", "iov-owner");
        daemons.vsctl("del-port", BRIDGE, a4.handle());
        String database = daemons.vsctl("--columns=name,tag,external_ids", "list", "port");

        backend = newBackend();
        List<RecordedAttachment> recorded = List.of(new RecordedAttachment(r1, a1), new RecordedAttachment(r2, a2),
                new RecordedAttachment(r3, a3), new RecordedAttachment(r4, a4));
        RestoreReport report = backend.restore(recorded);

        assertThat(report.adopted()).extracting(Attachment::vnic).containsExactly(VnicId.of("web-1"));
        assertThat(report.missing()).extracting(RestoreReport.Missing::vnic)
                .containsExactly(VnicId.of("web-2"), VnicId.of("web-3"), VnicId.of("web-4"));
        assertThat(report.missing().get(0).reason()).contains("marked for vNIC 'web-x'").contains("left alone");
        assertThat(report.missing().get(1).reason()).contains("not iov's");
        assertThat(report.missing().get(2).reason()).contains("no port " + a4.handle());
        assertThat(daemons.vsctl("--columns=name,tag,external_ids", "list", "port")).as("restore changes nothing")
                .isEqualTo(database);
        assertThat(backend.restore(recorded)).as("restoring again gives the same").isEqualTo(report);
        assertThat(backend.stats(report.adopted().get(0))).isNotNull();
        assertThatThrownBy(() -> backend.detach(a2)).isInstanceOfSatisfying(OwnershipException.class,
                e -> assertThat(e.owner()).contains(VnicId.of("web-x")));
        assertThatThrownBy(() -> backend.detach(a3)).isInstanceOfSatisfying(OwnershipException.class,
                e -> assertThat(e.owner()).isEmpty());
        assertThat(daemons.vsctl("list-ports", BRIDGE)).contains(a2.handle()).contains(a3.handle());
        assertThatThrownBy(() -> backend.restore(List.of(new RecordedAttachment(r1, Attachment.of(
                VnicId.of("web-1"), "h9/ovs", a1.handle()))))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("h9/ovs");

        backend.detach(report.adopted().get(0));
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(a1.handle());
    }

    @Test
    void abandonRemovesOnlyWhatAnAttachWithALostRecordLeft() {
        AttachRequest kept = request("web-1", TENANT_A, MacAddress.parse("02:00:00:00:05:01"), Bandwidth.ZERO);
        AttachRequest lost = request("web-2", TENANT_A, MacAddress.parse("02:00:00:00:05:02"), Bandwidth.ZERO);
        Attachment a1 = backend.attach(kept);
        Attachment a2 = backend.attach(lost);
        String foreign = OvsBackend.portName(VnicId.of("web-4")).value();
        daemons.vsctl("add-port", BRIDGE, foreign, "--", "set", "interface", foreign, "type=internal");
        backend.close();

        backend = newBackend();
        backend.restore(List.of(new RecordedAttachment(kept, a1)));
        backend.abandon(lost);
        backend.abandon(kept);
        backend.abandon(request("web-3", TENANT_A, MacAddress.parse("02:00:00:00:05:03"), Bandwidth.ZERO));
        backend.abandon(request("web-4", TENANT_A, MacAddress.parse("02:00:00:00:05:04"), Bandwidth.ZERO));

        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(a2.handle()).contains(a1.handle())
                .contains(foreign);
        backend.abandon(lost);
        assertThat(backend.discover(HOST)).extracting(DiscoveredPort::owner)
                .containsOnlyOnce(Optional.of(VnicId.of("web-1")));
    }

    @Test
    void anInterfaceOvsVswitchdCannotCreateIsRemovedAgain() throws Exception {
        VnicId vnic = VnicId.of("web-7");
        String name = OvsBackend.portName(vnic).value();
        AttachRequest request = request(vnic.value(), TENANT_A, MacAddress.parse("02:00:00:00:06:07"),
                Bandwidth.ZERO);
        // A device of that name in ovs-vswitchd's namespace that is not a TAP: ovs-vswitchd cannot make its own.
        namespaceCommand("ip", "link", "add", name, "type", "veth", "peer", "name", "iovobst0");
        try {
            assertThatThrownBy(() -> backend.attach(request)).isInstanceOf(BackendException.class)
                    .hasMessageContaining("could not open network device " + name)
                    .hasMessageContaining("removed again");
            assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(name);
            assertThat(daemons.vsctl("--columns=name", "list", "interface")).doesNotContain(name);
        } finally {
            namespaceCommand("ip", "link", "del", name);
        }
        assertThat(backend.attach(request).handle()).isEqualTo(name);
        assertThat(daemons.vsctl("get", "interface", name, "error").strip()).isEqualTo("[]");
    }

    @Test
    void driftMadeWithOvsVsctlIsReported() {
        Fabric fabric = Fabric.builder().store(new InMemoryStateStore())
                .host(Host.of("h1", Uplink.ethernet("uplink0", Bandwidth.ofGbps(10), BackendKind.VSWITCH_PORT)),
                        backend)
                .build();
        fabric.defineNetwork(TENANT_A.withDefaultMaxRate(Bandwidth.ofMbps(200)));
        Vnic vnic = fabric.provision("h1", VnicSpec.builder("app-1", "vm-app-1", "tenant-a")
                .spoofCheck(false).build());
        String port = vnic.attachment().handle();
        assertThat(fabric.driftReport().isClean()).as(fabric.driftReport().toText()).isTrue();

        daemons.vsctl("set", "port", port, "tag=99");
        daemons.vsctl("set", "interface", port, "ingress_policing_rate=1");
        DriftReport report = fabric.driftReport();
        assertThat(report.drifts()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Drift.Kind.MISMATCH);
            assertThat(d.vnic()).contains(VnicId.of("app-1"));
            assertThat(d.detail()).contains("segment 99 on the port, 10 declared").contains("max rate");
        });

        daemons.vsctl("remove", "port", port, "tag", "99");
        assertThat(fabric.driftReport().drifts()).singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("segment 0 on the port"));

        fabric.repair(fabric.driftReport());
        assertThat(fabric.driftReport().isClean()).as(fabric.driftReport().toText()).isTrue();
        assertThat(daemons.vsctl("get", "port", port, "tag").strip()).isEqualTo("10");

        assertThat(fabric.release(VnicId.of("app-1"))).isTrue();
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(port);
    }

    private static IoBackend newBackend() {
        return Backends.create("ovs", "h1/ovs", Map.of("db", daemons.dbTarget(), "bridge", BRIDGE));
    }

    private static String portState(String port) {
        return daemons.vsctl("--columns=name,tag,vlan_mode,external_ids", "list", "port", port)
                + daemons.vsctl("--columns=name,ingress_policing_rate,mac,external_ids", "list", "interface", port);
    }

    private static void namespaceCommand(String... command) throws Exception {
        Process process = ovsFixture.namespace().exec(command);
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                + new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    /** ovs-vswitchd refreshes some status columns (mac_in_use) on its own schedule. */
    private static String eventually(java.util.function.Supplier<String> read, String expected) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        String value = read.get();
        while (!value.equals(expected) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            value = read.get();
        }
        return value;
    }

    private static AttachRequest request(String vnic, Network network, MacAddress mac, Bandwidth maxRate) {
        VnicSpec.Builder spec = VnicSpec.builder(vnic, "vm-" + vnic, network.id().value());
        if (maxRate.bitsPerSecond() > 0) {
            spec.maxRate(maxRate);
        }
        return new AttachRequest(spec.build(), HOST, "uplink0", network, VnicAddresses.ofMac(mac));
    }

}
