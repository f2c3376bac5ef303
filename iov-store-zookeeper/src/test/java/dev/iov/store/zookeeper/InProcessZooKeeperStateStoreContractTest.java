package dev.iov.store.zookeeper;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ZooKeeperStateStoreContractSuite} on three ZooKeeper servers in this JVM (curator-test). */
class InProcessZooKeeperStateStoreContractTest extends ZooKeeperStateStoreContractSuite {

    @RegisterExtension
    static final EnsembleExtension ENSEMBLE = EnsembleExtension.inProcess();

    @Override
    protected Ensemble ensemble() {
        return ENSEMBLE.get();
    }
}
