/**
 * Provisioning throughput of a fabric run by several management nodes on one ZooKeeper ensemble, against the
 * embedded journal store of a single node, and the lag of events between the nodes:
 * {@link dev.iov.bench.cluster.ClusterProvisioning}.
 */
package dev.iov.bench.cluster;
