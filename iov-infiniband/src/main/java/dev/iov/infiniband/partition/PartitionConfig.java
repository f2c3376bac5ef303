package dev.iov.infiniband.partition;

import dev.iov.api.net.PKey;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partitions of a {@code partitions.conf}, in order of first appearance, one per P_Key (definitions repeating a
 * key are merged by the parser). It does not include OpenSM's implicit default partition unless the file defines
 * {@code 0x7fff}. A port (GUID or keyword) may be named by at most one {@code indx0} partition, because a P_Key table
 * has one index 0.
 */
public final class PartitionConfig {

    /** No partitions. */
    public static final PartitionConfig EMPTY = new PartitionConfig(List.of());

    private final List<Partition> partitions;
    private final Map<PKey, Partition> byKey;

    private PartitionConfig(List<Partition> partitions) {
        this.partitions = List.copyOf(partitions);
        Map<PKey, Partition> keys = new LinkedHashMap<>();
        Map<String, Partition> indx0 = new HashMap<>();
        for (Partition p : this.partitions) {
            Partition earlier = keys.putIfAbsent(p.pkey(), p);
            if (earlier != null) {
                throw new IllegalArgumentException("partitions '" + earlier.name() + "' and '" + p.name()
                        + "' both have P_Key " + p.pkey() + ": OpenSM would merge them; give one partition per key");
            }
            if (p.flags().indx0()) {
                for (PartitionMember m : p.members()) {
                    Partition other = indx0.putIfAbsent(m.target(), p);
                    if (other != null && other != p) {
                        throw new IllegalArgumentException("port " + m.target() + " is in indx0 partitions '"
                                + other.name() + "' (" + other.pkey() + ") and '" + p.name() + "' (" + p.pkey()
                                + "): a P_Key table has one index 0");
                    }
                }
            }
        }
        this.byKey = keys;
    }

    /**
     * @param partitions the partitions in file order
     * @return the configuration
     * @throws IllegalArgumentException when two partitions share a P_Key or a port is in two {@code indx0} partitions
     */
    public static PartitionConfig of(List<Partition> partitions) {
        return new PartitionConfig(partitions);
    }

    /** @return the partitions in order of first appearance */
    public List<Partition> partitions() {
        return partitions;
    }

    /**
     * @param pkey a P_Key; the membership bit is ignored
     * @return the partition with that key
     */
    public Optional<Partition> partition(PKey pkey) {
        return Optional.ofNullable(byKey.get(pkey.asLimited()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionConfig && partitions.equals(((PartitionConfig) o).partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }

    @Override
    public String toString() {
        return partitions.toString();
    }
}
