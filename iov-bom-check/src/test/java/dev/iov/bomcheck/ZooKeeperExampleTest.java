package dev.iov.bomcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.fabric.Fabric;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.api.spi.Backends;
import dev.iov.store.zookeeper.LeaderElection;
import dev.iov.store.zookeeper.ZooKeeperMembership;
import dev.iov.store.zookeeper.ZooKeeperStateStore;
import dev.iov.store.zookeeper.pool.SharedAddressPool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * The README's example of a management node on ZooKeeper, verbatim between the markers, against
 * iov-store-zookeeper resolved through the BOM and a real ZooKeeper server in this process. Two nodes run it one after
 * the other on the same ensemble and namespace: the second loads the network the first declared and gets another
 * MAC address. If this test changes, change the README too.
 */
class ZooKeeperExampleTest {

    @Test
    void theReadmeZooKeeperExampleRunsOnTwoNodes() throws Exception {
        try (TestingServer ensemble = new TestingServer(true)) {
            String first = run(ensemble.getConnectString(), "node-1", "web-7");
            String second = run(ensemble.getConnectString(), "node-2", "web-8");
            assertThat(first).startsWith("web-7-eth0 02:69:6f:").contains("leader node-1");
            assertThat(second).startsWith("web-8-eth0 02:69:6f:");
            assertThat(first.substring(0, first.indexOf('\n')).split(" ")[1])
                    .isNotEqualTo(second.substring(0, second.indexOf('\n')).split(" ")[1]);
        }
    }

    private static String run(String connectString, String nodeId, String vm) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            example(connectString, nodeId, vm, "not-a-real-secret");
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void example(String connectString, String nodeId, String vm, String password) throws Exception {
        // README ZooKeeper example begins
        try (ZooKeeperStateStore store = ZooKeeperStateStore.builder()
                     .connectString(connectString)           // e.g. "zk1:2181,zk2:2181,zk3:2181"
                     .namespace("iov/prod")                  // one namespace per fabric
                     .digestAuthentication("iov", password)  // znodes readable only by this user
                     .build();
             ZooKeeperMembership member = store.membership(nodeId);            // each node its own, stable id
             LeaderElection reconciler = store.leaderElection("reconcile", nodeId);
             Fabric fabric = Fabric.builder()
                     .store(store)                                             // the only changes to the fabric:
                     .membership(member)                                       // one fabric with the other nodes
                     .macPool(SharedAddressPool.macs(store, "iov/pools/mac/")) // one MAC pool for all nodes
                     .host(Host.of("h1", Uplink.ethernet("eth0", Bandwidth.parse("10G"), BackendKind.VSWITCH_PORT)),
                             Backends.create("embedded", "h1-switch", Map.of()))
                     .build()) {
            fabric.defineNetwork(Network.vlan("tenant-42", VlanId.of(42)));     // a no-op on the next nodes
            Vnic nic = fabric.provision("h1", VnicSpec.builder(vm + "-eth0", vm, "tenant-42")
                    .maxRate(Bandwidth.parse("2G"))
                    .build());
            System.out.println(nic.id() + " " + nic.addresses().mac().orElseThrow());

            if (reconciler.awaitLeadership(Duration.ofSeconds(5))) {   // one node runs the cluster-wide jobs
                System.out.println("leader " + nodeId);
                System.out.print(fabric.driftReport().toText());
            }
        }
        // README ZooKeeper example ends
    }
}
