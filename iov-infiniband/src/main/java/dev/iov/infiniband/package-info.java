/**
 * InfiniBand: P_Keys and partitions, OpenSM {@code partitions.conf}, GUID pools, HCA discovery in sysfs,
 * VF GUIDs and the subnet-manager plug-ins (OpenSM file, UFM REST).
 */
package dev.iov.infiniband;
