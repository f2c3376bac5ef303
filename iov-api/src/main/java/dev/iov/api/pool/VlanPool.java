package dev.iov.api.pool;

import dev.iov.api.net.VlanId;
import java.util.ArrayList;
import java.util.List;

/** A pool of VLAN IDs for tenant networks, from one or more ranges within 1-4094. */
public final class VlanPool extends MappedPool<VlanId> {

    private VlanPool(LongRangePool core) {
        super(core);
    }

    /**
     * Returns a new pool of every VLAN ID, 1 to 4094.
     *
     * @return a new pool, all VLANs free
     */
    public static VlanPool all() {
        return ofRange(VlanId.of(1), VlanId.of(4094));
    }

    /**
     * Returns a new pool of the VLANs from {@code first} to {@code last}.
     *
     * @param first the lowest VLAN ID
     * @param last the highest VLAN ID, not below {@code first}
     * @return a new pool, all VLANs free
     * @throws IllegalArgumentException when {@code last} is below {@code first}
     */
    public static VlanPool ofRange(VlanId first, VlanId last) {
        return builder().addRange(first, last).build();
    }

    /**
     * Starts a pool of several ranges, e.g. {@code builder().addRange(100, 199).add(300).build()}.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    long key(VlanId value) {
        return value.value();
    }

    @Override
    VlanId value(long key) {
        return VlanId.of((int) key);
    }

    /** Collects the ranges of a {@link VlanPool}. Not thread-safe. */
    public static final class Builder {

        private final List<LongRange> ranges = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds the VLANs from {@code first} to {@code last}.
         *
         * @param first the lowest VLAN ID
         * @param last the highest VLAN ID, not below {@code first}
         * @return this builder
         * @throws IllegalArgumentException when {@code last} is below {@code first}
         */
        public Builder addRange(VlanId first, VlanId last) {
            if (last.compareTo(first) < 0) {
                throw new IllegalArgumentException("invalid VLAN pool range '" + first + "-" + last
                        + "': last is below first");
            }
            ranges.add(LongRange.of(first.value(), last.value()));
            return this;
        }

        /**
         * Adds one VLAN.
         *
         * @param vlan the VLAN ID
         * @return this builder
         */
        public Builder add(VlanId vlan) {
            return addRange(vlan, vlan);
        }

        /**
         * Builds the pool.
         *
         * @return a new pool, all VLANs free
         * @throws IllegalArgumentException when no range was added or two ranges overlap
         */
        public VlanPool build() {
            return new VlanPool(LongRangePool.create("VLAN pool", ranges));
        }
    }
}
