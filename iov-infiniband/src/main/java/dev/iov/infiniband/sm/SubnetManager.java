package dev.iov.infiniband.sm;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fabric's subnet manager as iov uses it: put VF port GUIDs into partitions when a vNIC is created, take them out
 * when it goes (leaked memberships are the top complaint of Kubernetes InfiniBand users), and read the manager's view
 * to find drift and leaks. P_Keys are given without caring for the membership bit; only the partition number (low 15
 * bits, 0x0001 to 0x7ffe; the default partition 0x7fff is not iov's to change) is used.
 *
 * <p>Both operations are idempotent: adding a member that is already there with the same membership and index0 flag
 * and removing a GUID that is not a member change nothing. Implementations are safe for concurrent use.
 */
public interface SubnetManager extends AutoCloseable {

    /**
     * Adds ports to a partition (or updates their membership and index0 flag).
     *
     * @param partition the partition; only its low 15 bits count
     * @param members the ports, each GUID at most once
     * @throws IllegalArgumentException for the default partition, an empty list or a GUID listed twice; nothing is
     *     changed
     * @throws SubnetManagerException when the manager cannot be reached, refuses the change or refuses the credentials
     */
    void addMembers(PKey partition, List<SubnetMember> members);

    /**
     * Removes ports from a partition; GUIDs that are not members are ignored.
     *
     * @param partition the partition; only its low 15 bits count
     * @param guids the port GUIDs
     * @throws IllegalArgumentException for the default partition or an empty list; nothing is changed
     * @throws SubnetManagerException when the manager cannot be reached, refuses the change or refuses the credentials
     */
    void removeMembers(PKey partition, List<Guid> guids);

    /**
     * The manager's current view of the partitions and their port members, including partitions iov did not create.
     *
     * @return partition key (limited form, i.e. without bit 15) to its members ordered by GUID; keys in ascending order
     * @throws SubnetManagerException when the manager cannot be reached or read
     */
    Map<PKey, Set<SubnetMember>> partitions();

    /** Releases connections; never throws. */
    @Override
    void close();
}
