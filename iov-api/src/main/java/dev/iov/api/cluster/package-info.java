/**
 * The management nodes that run one fabric together: {@link dev.iov.api.cluster.Membership} says which of them are
 * alive, so that the survivors can finish or undo what a dead node left half done.
 * {@link dev.iov.api.cluster.InMemoryCluster} is the in-process implementation for tests and single-JVM setups;
 * iov-store-zookeeper has the one on ZooKeeper sessions.
 */
package dev.iov.api.cluster;
