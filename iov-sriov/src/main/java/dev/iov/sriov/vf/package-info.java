/**
 * VF settings as data: {@link dev.iov.sriov.vf.VfSettings} (what a PF's driver keeps for one VF), whole-PF snapshots
 * and their JSON file format, and {@link dev.iov.sriov.vf.VfSnapshots}, which saves a PF's VF settings and restores
 * them after a driver reload or a reboot, over rtnetlink.
 */
package dev.iov.sriov.vf;
