package dev.iov.store.zookeeper;

import dev.iov.api.store.StateStore;
import dev.iov.api.store.StateStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the {@link StateStoreContract}, the suite every store passes, against {@link ZooKeeperStateStore} on a real
 * ZooKeeper server in this process. Each test gets a fresh namespace, so a fresh, empty store.
 */
class ZooKeeperStateStoreContractTest extends StateStoreContract {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static TestingServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected StateStore createStore() {
        return ZooKeeperStateStore.builder()
                .connectString(server.getConnectString())
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
