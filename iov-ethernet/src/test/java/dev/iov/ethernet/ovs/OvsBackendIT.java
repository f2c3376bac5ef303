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
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.testing.Privileged;
import java.util.List;
import java.util.Map;
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
        backend = Backends.create("ovs", "h1/ovs", Map.of("db", daemons.dbTarget(), "bridge", BRIDGE));
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
                .isInstanceOf(BackendException.class).hasMessageContaining("is not vNIC web-2's");
        // A retried attach reconciles the port with the request.
        assertThat(backend.attach(request)).isEqualTo(attachment);
        assertThat(daemons.vsctl("get", "port", port, "tag").strip()).isEqualTo("10");
        assertThat(daemons.vsctl("get", "interface", port, "ingress_policing_rate").strip()).isEqualTo("100000");

        backend.detach(attachment);
        assertThat(daemons.vsctl("list-ports", BRIDGE)).doesNotContain(port);
        backend.detach(attachment);
        backend.detach(Attachment.of("h1/ovs", port));
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
        assertThatThrownBy(() -> backend.attach(request("web-9", TENANT_A, MacAddress.parse("02:00:00:00:01:09"),
                Bandwidth.ZERO))).isInstanceOf(BackendException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> backend.detach(Attachment.of("h1/ovs", foreign)))
                .isInstanceOf(BackendException.class).hasMessageContaining("not owned");
        assertThat(daemons.vsctl("get", "port", foreign, "tag").strip()).isEqualTo("5");
        assertThat(backend.discover(HOST)).filteredOn(p -> p.handle().equals(foreign)).singleElement()
                .satisfies(p -> assertThat(p.owner()).isEmpty());
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
