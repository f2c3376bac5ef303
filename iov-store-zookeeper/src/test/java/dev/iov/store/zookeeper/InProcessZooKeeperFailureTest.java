package dev.iov.store.zookeeper;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ZooKeeperFailureSuite} on three ZooKeeper servers in this JVM (curator-test). */
class InProcessZooKeeperFailureTest extends ZooKeeperFailureSuite {

    @RegisterExtension
    static final EnsembleExtension ENSEMBLE = EnsembleExtension.inProcess();

    @Override
    protected Ensemble ensemble() {
        return ENSEMBLE.get();
    }
}
