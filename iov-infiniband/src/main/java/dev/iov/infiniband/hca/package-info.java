/**
 * InfiniBand HCA discovery in sysfs: {@link dev.iov.infiniband.hca.HcaDiscovery} reads
 * {@code /sys/class/infiniband/<dev>} into {@link dev.iov.infiniband.hca.Hca}, its
 * {@link dev.iov.infiniband.hca.HcaPort}s (state, rate, LIDs, link layer, P_Key table, GID table) and, on mlx5 PFs, the
 * {@link dev.iov.infiniband.hca.VfGuidPolicy} entries of its VFs. Read-only.
 *
 * <p>Kernel sources checked for the formats: {@code drivers/infiniband/core/sysfs.c} ({@code node_type_show},
 * {@code node_guid_show}, {@code fw_ver_show}, {@code state_show}, {@code phys_state_show} with
 * {@code ib_port_phys_state_str}, {@code rate_show}, {@code lid_show}, {@code sm_lid_show},
 * {@code link_layer_show}, {@code show_port_pkey}, {@code show_port_gid}) and mlx5's SR-IOV attributes
 * ({@code mlx5/core/sriov_sysfs.c}: {@code node_show}, {@code port_show}, {@code policy_show} with
 * {@code policy_str}).
 */
package dev.iov.infiniband.hca;
