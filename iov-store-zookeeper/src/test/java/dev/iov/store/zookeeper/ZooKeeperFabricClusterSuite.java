package dev.iov.store.zookeeper;

import dev.iov.api.cluster.ClusterFabricSuite;
import dev.iov.api.cluster.Membership;
import dev.iov.api.net.MacAddress;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.store.StateStore;
import dev.iov.store.zookeeper.pool.SharedAddressPool;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;

/**
 * iov-api's {@link ClusterFabricSuite} with each management node on its own ZooKeeper client, membership and shared
 * MAC pool. "Killing" a node removes its member znode with another client, as the ensemble does when a session
 * expires, while the node itself goes on: a node paused past its session timeout, the hardest case for fencing. (A
 * node killed outright, in another JVM, is {@code FabricChildKillTest}'s.)
 */
abstract class ZooKeeperFabricClusterSuite extends ClusterFabricSuite {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final MacAddress FIRST = MacAddress.parse("02:69:6f:00:00:00");
    private static final MacAddress LAST = MacAddress.parse("02:69:6f:0f:ff:ff");

    private final Map<String, ZooKeeperStateStore> stores = new ConcurrentHashMap<>();
    private final Map<String, ZooKeeperMembership> members = new ConcurrentHashMap<>();
    private String namespace;

    /** @return the ensemble the class runs on */
    protected abstract Ensemble ensemble();

    @BeforeEach
    void freshNamespace() throws Exception {
        ensemble().restoreAndSettle();
        namespace = "fabric-cluster/t" + NAMESPACES.incrementAndGet();
    }

    @Override
    protected StateStore storeFor(String node) {
        ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(ensemble().connectString())
                .namespace(namespace).sessionTimeout(Duration.ofSeconds(10)).build();
        stores.put(node, store);
        closeAfterFabrics(store);
        return store;
    }

    @Override
    protected Membership join(String node, StateStore store) {
        ZooKeeperMembership membership = ((ZooKeeperStateStore) store).membership(node);
        members.put(node, membership);
        closeAfterFabrics(membership);
        return membership;
    }

    @Override
    protected void kill(String node) {
        // Stops the node from taking its znode back (as it does after a deletion it sees), then removes it as an
        // expired session's ephemeral znode goes: the other nodes see the node gone; the node goes on.
        ZooKeeperMembership membership = members.get(node);
        membership.stopRejoiningForTest();
        ZooKeeperStateStore other = stores.entrySet().stream().filter(e -> !e.getKey().equals(node)).findFirst()
                .orElseThrow().getValue();
        try {
            other.curator().delete().forPath(ZooKeeperMembership.MEMBERS + "/" + ZnodeNames.encode(node));
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove the member znode of " + node, e);
        }
    }

    @Override
    protected AddressPool<MacAddress> sharedMacs(StateStore store) {
        return SharedAddressPool.macs((ZooKeeperStateStore) store, "iov/pools/mac/", FIRST, LAST,
                SharedAddressPool.ChunkSelection.PER_NODE);
    }
}
