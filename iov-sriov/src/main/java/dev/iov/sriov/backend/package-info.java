/**
 * The {@code sriov} backend: VF pools per PF chosen by selectors ({@link dev.iov.sriov.backend.VfSelector},
 * {@link dev.iov.sriov.backend.VfPool}), and {@link dev.iov.sriov.backend.SriovBackend}, which hands a vNIC a VF —
 * programmed over rtnetlink, optionally bound to vfio-pci, described by libvirt XML — and takes it back reset.
 */
package dev.iov.sriov.backend;
