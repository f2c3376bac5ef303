/**
 * Subnet managers as a plug-in point: the {@link dev.iov.infiniband.sm.SubnetManager} SPI (add and remove port GUIDs
 * from partitions, read the manager's view back for drift and leak detection), its failure family
 * ({@link dev.iov.infiniband.sm.SubnetManagerException}), the {@link dev.iov.infiniband.sm.SubnetManagerProvider}s
 * found by {@link dev.iov.infiniband.sm.SubnetManagers} through {@link java.util.ServiceLoader}, and the two plug-ins:
 * {@link dev.iov.infiniband.sm.OpenSmSubnetManager} (iov's block of OpenSM's {@code partitions.conf}) and
 * {@link dev.iov.infiniband.sm.UfmSubnetManager} (NVIDIA UFM's REST API).
 */
package dev.iov.infiniband.sm;
