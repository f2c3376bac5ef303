/**
 * SR-IOV in sysfs: {@link dev.iov.sriov.sysfs.SriovDiscovery} finds physical functions and their virtual functions
 * ({@link dev.iov.sriov.sysfs.PhysicalFunction}, {@link dev.iov.sriov.sysfs.VirtualFunction}) under
 * {@code /sys/bus/pci/devices}; {@link dev.iov.sriov.sysfs.SriovControl} enables VFs ({@code sriov_numvfs}), sets
 * {@code sriov_drivers_autoprobe} and moves VFs between their driver and {@code vfio-pci}. Both take the sysfs root
 * from {@link dev.iov.linux.sysfs.Sysfs}, so tests run them on a tree laid out as the kernel lays it out.
 */
package dev.iov.sriov.sysfs;
