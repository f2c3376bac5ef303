/**
 * The {@code sriov} backend: VF pools per PF chosen by selectors ({@link dev.iov.sriov.backend.VfSelector},
 * {@link dev.iov.sriov.backend.VfPool}), and {@link dev.iov.sriov.backend.SriovBackend}, which hands a vNIC a VF —
 * programmed over rtnetlink, optionally bound to vfio-pci, described by libvirt XML — takes it back reset, and after
 * a restart takes back the VFs the fabric's records name, checked on the host by their MAC.
 */
package dev.iov.sriov.backend;
