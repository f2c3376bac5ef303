/**
 * A {@link dev.iov.api.store.StateStore} on Apache ZooKeeper for fabrics run by several management nodes:
 * {@link dev.iov.store.zookeeper.ZooKeeperStateStore} (records as znodes, compare-and-set on znode versions,
 * change events from a persistent watch, writes refused while cut off from the quorum) and
 * {@link dev.iov.store.zookeeper.LeaderElection} (the one node that runs cluster-wide jobs) and
 * {@link dev.iov.store.zookeeper.ZooKeeperMembership} (which nodes are alive, on their sessions). Cluster-wide address
 * pools over any store are in {@link dev.iov.store.zookeeper.pool}.
 */
package dev.iov.store.zookeeper;
