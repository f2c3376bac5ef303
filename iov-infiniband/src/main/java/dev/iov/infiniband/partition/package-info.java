/**
 * OpenSM partitions: the model ({@link dev.iov.infiniband.partition.Partition},
 * {@link dev.iov.infiniband.partition.PartitionMember}, {@link dev.iov.infiniband.partition.PartitionConfig}), the
 * {@code partitions.conf} parser and writer, and {@link dev.iov.infiniband.partition.ManagedPartitionsFile}, which
 * rewrites only iov's marked block of the file atomically and tells OpenSM to re-read it.
 *
 * <p>Sources checked for the grammar (linux-rdma/opensm): {@code opensm/osm_prtn_config.c} ({@code parse_name_token},
 * {@code parse_part_conf}, {@code partition_create}, {@code parse_group_flag}, {@code partition_add_flag},
 * {@code partition_add_port}, {@code osm_prtn_config_parse_file}), {@code opensm/osm_prtn.c}
 * ({@code osm_prtn_make_new}, {@code generate_pkey}, {@code osm_prtn_find_by_name}, {@code prtn_make_default},
 * {@code osm_prtn_new}), {@code include/opensm/osm_partition.h} ({@code char name[32]}) and
 * {@code doc/partition-config.txt}; the {@code indx0} flag as in the FreeBSD contrib copy of OpenSM
 * ({@code strcmp(flag, "indx0")}, per definition).
 */
package dev.iov.infiniband.partition;
