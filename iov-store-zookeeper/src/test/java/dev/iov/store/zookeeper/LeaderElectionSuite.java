package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One node at a time runs the cluster-wide jobs, and leadership moves when that node leaves or is cut off.
 * {@link InProcessLeaderElectionTest} runs it on a 3-server ensemble in this process, {@link RealLeaderElectionIT}
 * on real server processes.
 */
abstract class LeaderElectionSuite {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private final List<ZooKeeperStateStore> stores = new ArrayList<>();
    private final List<LeaderElection> elections = new ArrayList<>();

    /** The ensemble of the concrete class, started once for all its tests. */
    protected abstract Ensemble ensemble();

    @BeforeEach
    void start() throws Exception {
        ensemble().restoreAndSettle();
        String namespace = "leader-test/t" + NAMESPACES.incrementAndGet();
        for (int n = 0; n < 3; n++) {
            ZooKeeperStateStore store = ZooKeeperStateStore.builder().connectString(ensemble().connectString())
                    .namespace(namespace).build();
            stores.add(store);
            elections.add(store.leaderElection("reconcile", "node-" + n));
        }
    }

    @AfterEach
    void stop() throws Exception {
        elections.forEach(LeaderElection::close);
        stores.forEach(ZooKeeperStateStore::close);
        elections.clear();
        stores.clear();
    }

    @Test
    void exactlyOneNodeLeadsAndLeadershipMovesWhenItLeaves() throws Exception {
        LeaderElection leader = awaitSingleLeader(elections);
        for (LeaderElection election : elections) {
            assertThat(election.leaderId()).contains(leader.participantId());
        }

        leader.close();
        leader.close();
        List<LeaderElection> rest = new ArrayList<>(elections);
        rest.remove(leader);
        LeaderElection next = awaitSingleLeader(rest);
        assertThat(next).isNotSameAs(leader);
        assertThat(leader.isLeader()).isFalse();
    }

    @Test
    void aLeaderWhoseSessionExpiresStepsDown() throws Exception {
        LeaderElection leader = awaitSingleLeader(elections);
        int index = elections.indexOf(leader);
        List<Boolean> revoked = new java.util.concurrent.CopyOnWriteArrayList<>();
        leader.onChange(() -> { }, () -> revoked.add(true));

        stores.get(index).curator().getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();

        Await.until("the expired leader stepped down", Await.LONG, () -> !revoked.isEmpty());
        // Somebody leads again: maybe the same node on its new session, never two at once.
        awaitSingleLeader(elections);
    }

    @Test
    void oneNodeLeadsAgainAfterTheEnsembleLosesItsLeaderServer() throws Exception {
        awaitSingleLeader(elections);
        Ensemble ensemble = ensemble();
        int serverLeader = ensemble.leaderIndex();
        assertThat(serverLeader).as(ensemble.describe()).isNotNegative();

        ensemble.stop(serverLeader);
        Await.until("a new leader among the two servers left", Ensemble.SETTLE,
                () -> ensemble.leaderIndex() >= 0, ensemble::describe);
        LeaderElection during = awaitSingleLeader(elections);
        for (LeaderElection election : elections) {
            Await.until("every node names " + during.participantId(), Await.LONG,
                    () -> election.leaderId().equals(Optional.of(during.participantId())));
        }

        ensemble.restart(serverLeader);
        awaitSingleLeader(elections);
    }

    @Test
    void badJobNamesAreRefused() {
        assertThatThrownBy(() -> stores.get(0).leaderElection("a/b", "n")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> stores.get(0).leaderElection("ok", " ")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("participant");
    }

    private static LeaderElection awaitSingleLeader(List<LeaderElection> candidates) throws Exception {
        Await.until("exactly one leader", Await.LONG,
                () -> candidates.stream().filter(LeaderElection::isLeader).count() == 1);
        LeaderElection leader = candidates.stream().filter(LeaderElection::isLeader).findFirst().orElseThrow();
        Optional<String> id = leader.leaderId();
        assertThat(id).contains(leader.participantId());
        return leader;
    }
}
