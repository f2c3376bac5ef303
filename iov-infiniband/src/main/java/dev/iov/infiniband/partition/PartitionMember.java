package dev.iov.infiniband.partition;

import dev.iov.api.net.Guid;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a partition's member list: a port GUID or a {@link PortGroup} keyword, with its membership. The
 * membership is always explicit here; a definition's {@code defmember} is applied while parsing.
 */
public final class PartitionMember {

    private final Guid guid;
    private final PortGroup group;
    private final Membership membership;

    private PartitionMember(Guid guid, PortGroup group, Membership membership) {
        this.guid = guid;
        this.group = group;
        this.membership = Objects.requireNonNull(membership, "membership");
    }

    /**
     * A port given by its GUID.
     *
     * @param guid the port GUID, not zero (OpenSM refuses the zero GUID)
     * @param membership full, limited or both
     * @return the member
     * @throws IllegalArgumentException for the zero GUID
     */
    public static PartitionMember of(Guid guid, Membership membership) {
        Objects.requireNonNull(guid, "guid");
        if (guid.isZero()) {
            throw new IllegalArgumentException("invalid partition member '" + guid + "': the zero GUID names no port");
        }
        return new PartitionMember(guid, null, membership);
    }

    /**
     * The ports a keyword stands for.
     *
     * @param group e.g. {@link PortGroup#ALL}
     * @param membership full, limited or both
     * @return the member
     */
    public static PartitionMember of(PortGroup group, Membership membership) {
        return new PartitionMember(null, Objects.requireNonNull(group, "group"), membership);
    }

    /** @return the GUID when this member is one port */
    public Optional<Guid> guid() {
        return Optional.ofNullable(guid);
    }

    /** @return the keyword when this member is a group of ports */
    public Optional<PortGroup> group() {
        return Optional.ofNullable(group);
    }

    /** @return how the port(s) belong to the partition */
    public Membership membership() {
        return membership;
    }

    /** @return the member text without membership: {@code 0x%016x} for a GUID, else the keyword */
    String target() {
        return guid != null ? guid.toHexString() : group.name();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PartitionMember)) {
            return false;
        }
        PartitionMember m = (PartitionMember) o;
        return Objects.equals(guid, m.guid) && group == m.group && membership == m.membership;
    }

    @Override
    public int hashCode() {
        return Objects.hash(guid, group, membership);
    }

    /** @return the text OpenSM reads, e.g. {@code 0x0002c90300456b21=full} or {@code ALL=limited} */
    @Override
    public String toString() {
        return target() + "=" + membership.word();
    }
}
