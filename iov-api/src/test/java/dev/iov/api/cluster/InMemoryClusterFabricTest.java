package dev.iov.api.cluster;

import dev.iov.api.net.MacAddress;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.pool.MacPool;
import dev.iov.api.store.InMemoryStateStore;
import dev.iov.api.store.StateStore;
import org.junit.jupiter.api.BeforeEach;

/** The cluster suite with every node in this JVM on one in-memory store. */
class InMemoryClusterFabricTest extends ClusterFabricSuite {
    private final InMemoryStateStore store = new InMemoryStateStore("cluster");
    private final InMemoryCluster cluster = new InMemoryCluster();
    private final MacPool macs = MacPool.defaultPool();

    @BeforeEach
    void closeTheStoreLast() {
        closeAfterFabrics(store);
    }

    @Override
    protected StateStore storeFor(String node) {
        return store;
    }

    @Override
    protected Membership join(String node, StateStore ignored) {
        Membership membership = cluster.join(node);
        closeAfterFabrics(membership);
        return membership;
    }

    @Override
    protected void kill(String node) {
        cluster.kill(node);
    }

    @Override
    protected AddressPool<MacAddress> sharedMacs(StateStore ignored) {
        return new SharedInProcess<>(macs);
    }

    /** One pool object used by every node of this JVM: it is shared, as a pool kept in the store is. */
    private record SharedInProcess<T>(AddressPool<T> pool) implements AddressPool<T> {
        @Override
        public T allocate() {
            return pool.allocate();
        }

        @Override
        public void reserve(T value) {
            pool.reserve(value);
        }

        @Override
        public void adopt(T value) {
            if (!pool.isAllocated(value)) {
                pool.adopt(value);
            }
        }

        @Override
        public boolean release(T value) {
            return pool.release(value);
        }

        @Override
        public boolean contains(T value) {
            return pool.contains(value);
        }

        @Override
        public boolean isAllocated(T value) {
            return pool.isAllocated(value);
        }

        @Override
        public boolean isShared() {
            return true;
        }

        @Override
        public String name() {
            return pool.name();
        }

        @Override
        public long available() {
            return pool.available();
        }

        @Override
        public long capacity() {
            return pool.capacity();
        }
    }
}
