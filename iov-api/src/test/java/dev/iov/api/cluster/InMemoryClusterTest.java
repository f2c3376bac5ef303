package dev.iov.api.cluster;

/** Runs the {@link MembershipContract} against {@link InMemoryCluster}, a fresh cluster for each test. */
class InMemoryClusterTest extends MembershipContract {

    private final InMemoryCluster cluster = new InMemoryCluster();

    @Override
    protected Membership join(String node) {
        return cluster.join(node);
    }

    @Override
    protected void kill(Membership member) {
        cluster.kill(member.self());
    }
}
