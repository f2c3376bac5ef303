package dev.iov.store.zookeeper;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * iov-api's cluster suite on three real ZooKeeper server processes from the Debian {@code zookeeper} package (skipped
 * without it; failed instead under {@code IOV_REQUIRE_PRIVILEGED_TESTS=1}).
 */
class RealFabricClusterIT extends ZooKeeperFabricClusterSuite {

    @RegisterExtension
    static final EnsembleExtension ENSEMBLE = EnsembleExtension.real();

    @Override
    protected Ensemble ensemble() {
        return ENSEMBLE.get();
    }
}
