package dev.iov.store.zookeeper;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StateStoreContract;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the {@link StateStoreContract}, the suite every store passes, against {@link ZooKeeperStateStore} on a
 * 3-server ensemble: {@link InProcessZooKeeperStateStoreContractTest} in this process,
 * {@link RealZooKeeperStateStoreContractIT} on real server processes. Each test gets a fresh namespace, so a fresh,
 * empty store.
 */
abstract class ZooKeeperStateStoreContractSuite extends StateStoreContract {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    /** The ensemble of the concrete class, started once for all its tests. */
    protected abstract Ensemble ensemble();

    @Override
    protected StateStore createStore() {
        return ZooKeeperStateStore.builder()
                .connectString(ensemble().connectString())
                .namespace("contract/t" + NAMESPACES.incrementAndGet())
                .build();
    }

    /** Every attempt is a round trip to the server; fewer increments keep the test quick and prove the same. */
    @Override
    protected int casIncrementsPerThread() {
        return 25;
    }

    /** As for the increments: each try is a round trip, and fewer transfers prove the same. */
    @Override
    protected int commitTransfersPerThread() {
        return 40;
    }
}
