package dev.iov.ethernet.ovs;

import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.Backends;
import dev.iov.api.spi.IoBackend;
import dev.iov.testing.IoBackendContract;
import dev.iov.testing.Privileged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backend contract for the {@code ovs} backend on a real {@code ovsdb-server} and {@code ovs-vswitchd} (private
 * daemons, ovs-vswitchd in a namespace of its own). Every test gets a fresh bridge, deleted afterwards; a restart is
 * a new backend from the provider, with a new database connection, over the same daemons.
 *
 * <p>An attach is two steps: one transaction inserts the port, then ovs-vswitchd applies it. The half-done attach
 * stops ovs-vswitchd ({@link VswitchdStall}), so the insert is committed and the wait for ovs-vswitchd times out; the
 * attach must then take its rows out again. The host's resources are read with {@code ovs-vsctl}, not with the code
 * under test.
 */
@Privileged(tools = {"ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ip", "kill"})
class OvsBackendContractIT extends IoBackendContract {

    private static final String BACKEND_ID = "h1/ovs";
    /** Seconds the backend waits for a reply or for ovs-vswitchd: how long the half-done attach waits in vain. */
    private static final String TIMEOUT = "3";
    private static final AtomicInteger BRIDGES = new AtomicInteger();
    private static PrivateOvs ovs;

    private String bridge;
    private VswitchdStall stall;

    @BeforeAll
    static void startDaemons() {
        ovs = PrivateOvs.start();
    }

    @AfterAll
    static void stopDaemons() {
        if (ovs != null) {
            ovs.close();
        }
    }

    @Override
    protected void createHost() {
        // The first backend of the test creates it.
        bridge = "iovct" + BRIDGES.incrementAndGet();
    }

    @Override
    protected void destroyHost() {
        try {
            if (stall != null) {
                stall.close();
            }
        } finally {
            stall = null;
            ovs.daemons().vsctl("--if-exists", "del-br", bridge);
        }
    }

    @Override
    protected IoBackend newBackend() {
        return Backends.create("ovs", BACKEND_ID, Map.of("db", ovs.daemons().dbTarget(), "bridge", bridge,
                "timeout", TIMEOUT));
    }

    @Override
    protected List<Network> networks() {
        return List.of(Network.vlan("tenant-a", VlanId.of(101)), Network.vlan("tenant-b", VlanId.of(102)));
    }

    @Override
    protected VnicAddresses addresses(int n) {
        return VnicAddresses.ofMac(MacAddress.of(0x02_69_6f_00_01_00L + n));
    }

    @Override
    protected void failNextAttachMidway() {
        stall = VswitchdStall.untilNextPortIsRemoved(ovs.daemons(), bridge, Duration.ofSeconds(30));
    }

    @Override
    protected void removeBehindTheBackendsBack(Attachment attachment) {
        ovs.daemons().vsctl("del-port", bridge, attachment.handle());
    }

    /** Each port of the bridge and its interface, with the columns iov sets, as ovs-vsctl prints them. */
    @Override
    protected Set<String> hostResources() {
        List<String> ports = ovs.daemons().vsctl("list-ports", bridge).lines().filter(l -> !l.isBlank()).toList();
        Set<String> resources = new HashSet<>();
        if (ports.isEmpty()) {
            return resources;
        }
        resources.addAll(list("port", "name,tag,vlan_mode,trunks,external_ids", ports));
        resources.addAll(list("interface", "name,type,mac,ingress_policing_rate,ingress_policing_burst,external_ids",
                ports));
        return resources;
    }

    private static List<String> list(String table, String columns, List<String> names) {
        List<String> command = new ArrayList<>(List.of("--format=csv", "--data=bare", "--no-headings",
                "--columns=" + columns, "list", table));
        command.addAll(names);
        return ovs.daemons().vsctl(command.toArray(String[]::new)).lines().filter(l -> !l.isBlank())
                .map(l -> table + " " + l).toList();
    }
}
