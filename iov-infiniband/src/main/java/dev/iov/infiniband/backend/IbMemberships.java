package dev.iov.infiniband.backend;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import dev.iov.infiniband.sm.SubnetManager;
import dev.iov.infiniband.sm.SubnetMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The subnet manager as the {@code infiniband} backend uses it: the partition memberships of iov's GUIDs — those in
 * the backend's owned range; memberships of any other GUID are never changed. The default partition (0x7fff) holds
 * every port and says nothing about a vNIC, so it is left out of every answer.
 */
final class IbMemberships {

    private static final int DEFAULT_PARTITION = 0x7fff;

    private final SubnetManager subnetManager;
    private final Guid firstOwned;
    private final Guid lastOwned;

    IbMemberships(SubnetManager subnetManager, Guid firstOwned, Guid lastOwned) {
        this.subnetManager = subnetManager;
        this.firstOwned = firstOwned;
        this.lastOwned = lastOwned;
    }

    /**
     * @param guid a port GUID
     * @return true when it is iov's (in the owned range)
     */
    boolean owns(Guid guid) {
        return guid.compareTo(firstOwned) >= 0 && guid.compareTo(lastOwned) <= 0;
    }

    /** @return the owned range, for messages */
    String range() {
        return firstOwned + " to " + lastOwned;
    }

    /**
     * @return the subnet manager's view, partition (limited form) to members, without the default partition
     * @throws dev.iov.infiniband.sm.SubnetManagerException when it cannot be read
     */
    Map<PKey, Set<SubnetMember>> view() {
        Map<PKey, Set<SubnetMember>> view = new TreeMap<>(subnetManager.partitions());
        view.keySet().removeIf(pkey -> pkey.partition() == DEFAULT_PARTITION);
        return view;
    }

    /**
     * @param view a {@link #view()}
     * @param guid a port GUID
     * @return the partitions that list it, in key order
     */
    static List<PKey> listing(Map<PKey, Set<SubnetMember>> view, Guid guid) {
        List<PKey> found = new ArrayList<>();
        view.forEach((pkey, members) -> {
            if (members.stream().anyMatch(m -> m.guid().equals(guid))) {
                found.add(pkey);
            }
        });
        return found;
    }

    /**
     * Puts the lease's GUID into its partition (or corrects its membership there) and takes it out of every other.
     *
     * @param lease the lease
     */
    void join(IbLease lease) {
        subnetManager.addMembers(lease.partition(), List.of(member(lease)));
        for (PKey other : listing(view(), lease.guid())) {
            if (other.partition() != lease.partition().partition()) {
                subnetManager.removeMembers(other, List.of(lease.guid()));
            }
        }
    }

    /**
     * Adds the lease's GUID to its partition, the attach step (the GUID is new, so it is in no other partition).
     *
     * @param lease the lease
     */
    void add(IbLease lease) {
        subnetManager.addMembers(lease.partition(), List.of(member(lease)));
    }

    /**
     * @param partition a partition
     * @param guid a port GUID; it must be iov's
     * @throws IllegalArgumentException when the GUID is not in the owned range
     */
    void remove(PKey partition, Guid guid) {
        if (!owns(guid)) {
            throw new IllegalArgumentException("GUID " + guid + " is outside iov's range " + range());
        }
        subnetManager.removeMembers(partition, List.of(guid));
    }

    /**
     * Removes an iov GUID from every partition that lists it.
     *
     * @param guid the GUID
     * @return the partitions it was removed from
     * @throws IllegalArgumentException when the GUID is not in the owned range
     */
    List<PKey> removeEverywhere(Guid guid) {
        List<PKey> from = listing(view(), guid);
        for (PKey pkey : from) {
            remove(pkey, guid);
        }
        return from;
    }

    private static SubnetMember member(IbLease lease) {
        return SubnetMember.of(lease.guid(), lease.membership(), lease.index0());
    }
}
