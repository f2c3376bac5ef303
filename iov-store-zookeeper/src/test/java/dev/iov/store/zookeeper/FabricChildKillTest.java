package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iov.api.embedded.EmbeddedBackend;
import dev.iov.api.fabric.Fabric;
import dev.iov.api.fabric.OversubscriptionPolicy;
import dev.iov.api.fabric.UplinkLoad;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressPool;
import dev.iov.store.zookeeper.pool.SharedAddressPool;
import java.time.Duration;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A management node in another JVM is killed with SIGKILL in the middle of a provision (its intent and its MAC in the
 * store, its attach not done): once its session has expired, the surviving node takes the operation over and undoes
 * it. Nothing of the dead node's provision is left: no record, no MAC taken, no charge on the uplink.
 */
class FabricChildKillTest {
    private static final Logger LOG = LoggerFactory.getLogger(FabricChildKillTest.class);
    static final Host HOST = Host.of("h1", Uplink.ethernet("eth0", Bandwidth.ofGbps(10), BackendKind.VSWITCH_PORT));
    static final Network TENANT = Network.vlan("tenant", VlanId.of(10));
    private static final long SESSION_MILLIS = 2000;

    private static TestingCluster cluster;

    @BeforeAll
    static void startEnsemble() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        cluster.close();
    }

    /** The MAC pool every node of the test shares. */
    static AddressPool<MacAddress> macs(ZooKeeperStateStore store) {
        return view(store);
    }

    private static SharedAddressPool<MacAddress> view(ZooKeeperStateStore store) {
        return SharedAddressPool.macs(store, "iov/pools/mac/", MacAddress.parse("02:69:6f:00:00:00"),
                MacAddress.parse("02:69:6f:00:ff:ff"), SharedAddressPool.ChunkSelection.PER_NODE);
    }

    @Test
    void aSurvivorUndoesTheProvisionOfANodeKilledWithSigkill() throws Exception {
        String namespace = "child-kill";
        try (ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(cluster.getConnectString())
                .namespace(namespace).build();
             ZooKeeperMembership membership = store.membership("survivor");
             Fabric survivor = Fabric.builder().store(store).membership(membership).macPool(macs(store))
                     .oversubscription(OversubscriptionPolicy.reject()).host(HOST, EmbeddedBackend.of("h1-vs", BackendKind.VSWITCH_PORT)).build()) {
            survivor.defineNetwork(TENANT);
            try (ChildJvm child = ChildJvm.start("fabric-child", FabricChildNode.class, cluster.getConnectString(),
                    namespace, Long.toString(SESSION_MILLIS), "child")) {
                child.awaitLine("READY", line -> line.equals("READY child"), Await.LONG);
                Await.until("the survivor sees the child", Await.LONG, () -> membership.isAlive("child"));
                child.send("provision-stalled doomed");
                child.awaitLine("STALLED", line -> line.equals("STALLED doomed"), Await.LONG);
                String key = "iov/vnics/doomed";
                Await.until("the survivor's store has the child's intent", Await.LONG,
                        () -> store.get(key).isPresent());
                SharedAddressPool<MacAddress> pool = view(store);
                assertThat(pool.capacity() - pool.available()).as("the child's MAC is taken").isEqualTo(1);

                long start = System.nanoTime();
                assertThat(child.killForcibly(Await.LONG)).as("exit code of a SIGKILL").isEqualTo(137);
                Await.until("the survivor undoes the child's provision", Duration.ofSeconds(30),
                        () -> store.get(key).isEmpty() && survivor.driftReport().isClean());
                long millis = (System.nanoTime() - start) / 1_000_000;
                LOG.info("the provision of a child JVM killed with SIGKILL was undone by the survivor {} ms after the "
                        + "kill (session timeout {} ms)", millis, SESSION_MILLIS);
            }
            // Nothing of it is left: the id, the MAC and the uplink's capacity are free again.
            SharedAddressPool<MacAddress> view = view(store);
            Await.until("no MAC is taken", Await.LONG, () -> view.available() == view.capacity());
            for (int i = 0; i < 10; i++) {
                survivor.provision("h1", VnicSpec.builder(i == 0 ? "doomed" : "v" + i, "vm", "tenant")
                        .maxRate(Bandwidth.ofGbps(1)).build());
            }
            UplinkLoad load = survivor.oversubscriptionReport().uplinks().get(0);
            assertThat(load.vnics()).as("the dead node's charge is gone: ten 1 Gbit/s vNICs fit").isEqualTo(10);
            assertThat(survivor.vnic(VnicId.of("doomed"))).isPresent();
        }
    }
}
