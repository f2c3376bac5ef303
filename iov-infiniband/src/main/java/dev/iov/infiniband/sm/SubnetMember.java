package dev.iov.infiniband.sm;

import dev.iov.api.net.Guid;
import dev.iov.infiniband.partition.Membership;

import java.util.Objects;

/**
 * A port's membership in one partition as a subnet manager records it: the port GUID, full or limited membership,
 * and whether the partition's key goes to index 0 of the port's P_Key table.
 */
public final class SubnetMember implements Comparable<SubnetMember> {

    private final Guid guid;
    private final Membership membership;
    private final boolean index0;

    private SubnetMember(Guid guid, Membership membership, boolean index0) {
        this.guid = guid;
        this.membership = membership;
        this.index0 = index0;
    }

    /**
     * @param guid the port GUID, not zero
     * @param membership {@link Membership#FULL} or {@link Membership#LIMITED} (UFM knows no "both")
     * @param index0 true to put the partition's key at index 0 of the port's P_Key table
     * @return the member
     * @throws IllegalArgumentException for the zero GUID or {@link Membership#BOTH}
     */
    public static SubnetMember of(Guid guid, Membership membership, boolean index0) {
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(membership, "membership");
        if (guid.isZero()) {
            throw new IllegalArgumentException("invalid subnet member GUID '" + guid + "': the zero GUID names no port");
        }
        if (membership == Membership.BOTH) {
            throw new IllegalArgumentException("invalid membership 'both' for subnet member " + guid
                    + ": a subnet manager member is full or limited");
        }
        return new SubnetMember(guid, membership, index0);
    }

    /**
     * @param guid the port GUID, not zero
     * @return a full member without index 0
     */
    public static SubnetMember full(Guid guid) {
        return of(guid, Membership.FULL, false);
    }

    /** @return the port GUID */
    public Guid guid() {
        return guid;
    }

    /** @return full or limited */
    public Membership membership() {
        return membership;
    }

    /** @return true when the partition's key is at index 0 of the port's P_Key table */
    public boolean index0() {
        return index0;
    }

    /** Orders by GUID, then membership, then index0, so views print in a stable order. */
    @Override
    public int compareTo(SubnetMember o) {
        int c = guid.compareTo(o.guid);
        if (c == 0) {
            c = membership.compareTo(o.membership);
        }
        return c != 0 ? c : Boolean.compare(index0, o.index0);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SubnetMember)) {
            return false;
        }
        SubnetMember m = (SubnetMember) o;
        return guid.equals(m.guid) && membership == m.membership && index0 == m.index0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(guid, membership, index0);
    }

    @Override
    public String toString() {
        return guid.toHexString() + "=" + membership.word() + (index0 ? ",index0" : "");
    }
}
