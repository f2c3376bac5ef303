package dev.iov.infiniband.partition;

import dev.iov.api.net.PKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One OpenSM partition: a name, the partition's P_Key (held without the membership bit, since each member's
 * {@link Membership} decides that bit), flags, the default membership of its first definition and the members in the
 * order they were listed, and the multicast groups it pre-creates ({@link MulticastGroup}, {@code mgid=} entries).
 *
 * <p>Names follow what OpenSM can keep and re-read: 1 to 31 printable ASCII characters (OpenSM copies names into
 * {@code char name[32]}), none of the delimiters {@code , = : ; #}, no leading or trailing blank. The default
 * partition {@code 0x7fff} is always named {@code Default}: OpenSM creates it before reading the file, and a
 * repeated P_Key keeps the first name. When a file has no rule for it, OpenSM behaves as if it said
 * {@code Default=0x7fff : ALL=limited, SELF=full ;} (and {@code ALL=full} when there is no file at all); its own port
 * is always a full member. OpenSM drops partitions that end up with no port.
 */
public final class Partition {

    /** The default partition's key, {@code 0x7fff}. */
    public static final PKey DEFAULT_PKEY = PKey.of(0x7fff);
    /** The default partition's name. */
    public static final String DEFAULT_NAME = "Default";
    /** The longest name OpenSM keeps intact. */
    public static final int MAX_NAME_LENGTH = 31;

    private final String name;
    private final PKey pkey;
    private final PartitionFlags flags;
    private final Membership defaultMembership;
    private final List<PartitionMember> members;
    private final List<MulticastGroup> groups;

    private Partition(Builder b) {
        this.name = b.name;
        this.pkey = b.pkey;
        this.flags = b.flags;
        this.defaultMembership = b.defaultMembership;
        this.members = List.copyOf(b.members);
        this.groups = List.copyOf(b.groups);
    }

    /**
     * @param name the partition name (see the class comment for the rules)
     * @param pkey the partition key; only the low 15 bits are used
     * @return a builder with no flags, limited default membership and no members
     */
    public static Builder builder(String name, PKey pkey) {
        return new Builder(name, pkey);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the partition's key without the membership bit, e.g. {@code 0x0001} */
    public PKey pkey() {
        return pkey;
    }

    /** @return true for the default partition {@code 0x7fff} */
    public boolean isDefault() {
        return pkey.equals(DEFAULT_PKEY);
    }

    /** @return the flags */
    public PartitionFlags flags() {
        return flags;
    }

    /** @return the {@code defmember} of the first definition ({@link Membership#LIMITED} when absent) */
    public Membership defaultMembership() {
        return defaultMembership;
    }

    /** @return the members in the order listed (a port listed twice stays twice; OpenSM keeps the last) */
    public List<PartitionMember> members() {
        return members;
    }

    /** @return the multicast groups it pre-creates, in the order they were listed */
    public List<MulticastGroup> groups() {
        return groups;
    }

    /** @return a builder holding this partition's values */
    public Builder toBuilder() {
        Builder b = new Builder(name, pkey).flags(flags).defaultMembership(defaultMembership);
        members.forEach(b::member);
        groups.forEach(b::group);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Partition)) {
            return false;
        }
        Partition p = (Partition) o;
        return name.equals(p.name) && pkey.equals(p.pkey) && flags.equals(p.flags)
                && defaultMembership == p.defaultMembership && members.equals(p.members) && groups.equals(p.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, pkey, flags, defaultMembership, members, groups);
    }

    @Override
    public String toString() {
        return name + "=" + pkey + flags + (defaultMembership == Membership.LIMITED ? "" : ",defmember="
                + defaultMembership.word()) + " : " + members + (groups.isEmpty() ? "" : " " + groups);
    }

    /**
     * Checks a partition name.
     *
     * @param name the candidate
     * @return null when valid, else why not
     */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "longer than " + MAX_NAME_LENGTH + " characters (OpenSM keeps 32 bytes with the terminator)";
        }
        if (name.charAt(0) == ' ' || name.charAt(name.length() - 1) == ' ') {
            return "leading or trailing blank (OpenSM strips it)";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return String.format("character U+%04X is not printable ASCII", (int) c);
            }
            if (",=:;#".indexOf(c) >= 0) {
                return "'" + c + "' is a partitions.conf delimiter";
            }
        }
        return null;
    }

    /** Collects a partition; {@link #build()} checks the name against the key. */
    public static final class Builder {
        private final String name;
        private final PKey pkey;
        private PartitionFlags flags = PartitionFlags.NONE;
        private Membership defaultMembership = Membership.LIMITED;
        private final List<PartitionMember> members = new ArrayList<>();
        private final List<MulticastGroup> groups = new ArrayList<>();

        private Builder(String name, PKey pkey) {
            this.name = Objects.requireNonNull(name, "name");
            this.pkey = Objects.requireNonNull(pkey, "pkey").asLimited();
        }

        /**
         * @param flags the flags
         * @return this builder
         */
        public Builder flags(PartitionFlags flags) {
            this.flags = Objects.requireNonNull(flags, "flags");
            return this;
        }

        /**
         * @param membership the {@code defmember} to write
         * @return this builder
         */
        public Builder defaultMembership(Membership membership) {
            this.defaultMembership = Objects.requireNonNull(membership, "membership");
            return this;
        }

        /**
         * Appends a member.
         *
         * @param member the member
         * @return this builder
         */
        public Builder member(PartitionMember member) {
            members.add(Objects.requireNonNull(member, "member"));
            return this;
        }

        /**
         * Appends a multicast group to pre-create.
         *
         * @param group the group
         * @return this builder
         */
        public Builder group(MulticastGroup group) {
            groups.add(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * @return the partition
         * @throws IllegalArgumentException naming the name and why it is refused
         */
        public Partition build() {
            String problem = nameProblem(name);
            if (problem != null) {
                throw new IllegalArgumentException("invalid partition name '" + name + "': " + problem);
            }
            if (pkey.equals(DEFAULT_PKEY) && !name.equals(DEFAULT_NAME)) {
                throw new IllegalArgumentException("invalid partition name '" + name + "' for P_Key " + pkey
                        + ": the default partition is always named '" + DEFAULT_NAME + "' by OpenSM");
            }
            return new Partition(this);
        }
    }
}
