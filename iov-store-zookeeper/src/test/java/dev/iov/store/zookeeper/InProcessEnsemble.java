package dev.iov.store.zookeeper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/** Three (or more) ZooKeeper servers in this JVM: curator-test's {@link TestingCluster}. */
final class InProcessEnsemble implements Ensemble {

    private final TestingCluster cluster;
    private final List<InstanceSpec> servers;
    private final Set<Integer> stopped = new HashSet<>();

    private InProcessEnsemble(TestingCluster cluster) {
        this.cluster = cluster;
        this.servers = new ArrayList<>(cluster.getInstances());
    }

    /** Starts {@code size} servers and waits until all serve and one leads. */
    static InProcessEnsemble start(int size) throws Exception {
        TestingCluster cluster = new TestingCluster(size);
        InProcessEnsemble ensemble = new InProcessEnsemble(cluster);
        try {
            cluster.start();
            ensemble.restoreAndSettle();
            return ensemble;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public String kind() {
        return "in-process";
    }

    @Override
    public int size() {
        return servers.size();
    }

    @Override
    public String connectString() {
        return cluster.getConnectString();
    }

    @Override
    public int clientPort(int i) {
        return servers.get(i).getPort();
    }

    @Override
    public synchronized void stop(int i) throws Exception {
        if (!cluster.killServer(servers.get(i))) {
            throw new IllegalStateException("server " + i + " was not running; " + describe());
        }
        stopped.add(i);
        Await.until("server " + i + " down after the kill", SETTLE, () -> mode(i).equals("down"), this::describe);
    }

    @Override
    public synchronized void restart(int i) throws Exception {
        if (!cluster.restartServer(servers.get(i))) {
            throw new IllegalStateException("server " + i + " did not restart; " + describe());
        }
        stopped.remove(i);
        Await.until("server " + i + " serving again", SETTLE,
                () -> mode(i).equals("leader") || mode(i).equals("follower"), this::describe);
    }

    @Override
    public synchronized boolean isStopped(int i) {
        return stopped.contains(i);
    }

    @Override
    public void close() throws IOException {
        cluster.close();
    }

    @Override
    public String toString() {
        return "in-process ensemble " + connectString();
    }
}
