package dev.iov.store.zookeeper;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LeaderElectionSuite} on three ZooKeeper servers in this JVM (curator-test). */
class InProcessLeaderElectionTest extends LeaderElectionSuite {

    @RegisterExtension
    static final EnsembleExtension ENSEMBLE = EnsembleExtension.inProcess();

    @Override
    protected Ensemble ensemble() {
        return ENSEMBLE.get();
    }
}
