package dev.iov.store.zookeeper;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ClusterFabricSuite} on three ZooKeeper servers in this JVM (curator-test). */
class InProcessClusterFabricTest extends ClusterFabricSuite {

    @RegisterExtension
    static final EnsembleExtension ENSEMBLE = EnsembleExtension.inProcess();

    @Override
    protected Ensemble ensemble() {
        return ENSEMBLE.get();
    }
}
