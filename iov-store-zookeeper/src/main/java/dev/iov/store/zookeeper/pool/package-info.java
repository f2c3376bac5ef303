/**
 * Address pools shared by the management nodes of a cluster: {@link dev.iov.store.zookeeper.pool.SharedAddressPool}
 * keeps its allocation bitmaps in a {@link dev.iov.api.store.StateStore} and allocates by compare-and-set, so a
 * {@link dev.iov.api.fabric.Fabric} on each node can draw MAC addresses, GUIDs, VLANs and VF slots from one pool.
 */
package dev.iov.store.zookeeper.pool;
