package dev.iov.store.zookeeper;

import org.junit.jupiter.api.extension.RegisterExtension;

/** iov-api's cluster suite on an in-process ensemble of three servers. */
class InProcessFabricClusterTest extends ZooKeeperFabricClusterSuite {

    @RegisterExtension
    static final EnsembleExtension ENSEMBLE = EnsembleExtension.inProcess();

    @Override
    protected Ensemble ensemble() {
        return ENSEMBLE.get();
    }
}
