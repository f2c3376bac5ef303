package dev.iov.store.zookeeper;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ZooKeeperClusterSuite} on three ZooKeeper servers in this JVM (curator-test). */
class InProcessZooKeeperClusterTest extends ZooKeeperClusterSuite {

    @RegisterExtension
    static final EnsembleExtension ENSEMBLE = EnsembleExtension.inProcess();

    @Override
    protected Ensemble ensemble() {
        return ENSEMBLE.get();
    }
}
