/**
 * SR-IOV: physical and virtual functions discovered in sysfs ({@code dev.iov.sriov.sysfs}), VF settings
 * over rtnetlink, vfio-pci binding, libvirt device XML and the {@code sriov} backend.
 */
package dev.iov.sriov;
