package dev.iov.api.model;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks for: "give VM {@code web-7} a NIC on network {@code tenant-42}, 2 Gbit/s max, spoof-checked".
 * Build one with {@link #builder}.
 *
 * @param id the vNIC's identifier, unique in the fabric
 * @param vm the VM it belongs to (one VM may have several vNICs)
 * @param network the network to attach to
 * @param mac a fixed MAC address; empty to take one from the fabric's MAC pool (Ethernet networks only)
 * @param guid a fixed port GUID; empty to take one from the GUID pool (InfiniBand networks only)
 * @param minRate a guaranteed transmit rate, counted against the uplink by admission control
 * @param maxRate a transmit rate limit; empty means the network's default, or none
 * @param spoofCheck drop frames whose source MAC is not the vNIC's (Ethernet only)
 * @param trust let the VM change its MAC and enter promiscuous mode
 * @param backends acceptable kinds of vNIC in order of preference; empty accepts any. Migration may fall back to a
 *     later entry when the target host lacks the current kind ({@code [SRIOV_VF, VSWITCH_PORT]})
 */
public record VnicSpec(
        VnicId id,
        String vm,
        NetworkId network,
        Optional<MacAddress> mac,
        Optional<Guid> guid,
        Optional<Bandwidth> minRate,
        Optional<Bandwidth> maxRate,
        boolean spoofCheck,
        boolean trust,
        List<BackendKind> backends) {

    /**
     * Validates the spec.
     *
     * @param id the vNIC's identifier
     * @param vm the VM it belongs to
     * @param network the network to attach to
     * @param mac a fixed MAC address, or empty
     * @param guid a fixed port GUID, or empty
     * @param minRate a guaranteed rate, or empty
     * @param maxRate a rate limit, or empty
     * @param spoofCheck whether to drop spoofed frames
     * @param trust whether the VM is trusted
     * @param backends acceptable kinds of vNIC, most preferred first; empty for any
     * @throws IllegalArgumentException when a value is invalid or the values contradict each other
     */
    public VnicSpec {
        Objects.requireNonNull(id, "vNIC id");
        Ids.check("VM", vm);
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(minRate, "minRate");
        Objects.requireNonNull(maxRate, "maxRate");
        backends = List.copyOf(backends);
        if (new LinkedHashSet<>(backends).size() != backends.size()) {
            throw new IllegalArgumentException("vNIC '" + id + "': backend kind listed twice in " + backends);
        }
        if (mac.isPresent()) {
            try {
                mac.get().requireAssignable("a vNIC");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vNIC '" + id + "': " + e.getMessage(), e);
            }
        }
        if (mac.isPresent() && guid.isPresent()) {
            throw new IllegalArgumentException("vNIC '" + id + "' names both a MAC (Ethernet) and a GUID (InfiniBand)");
        }
        if (guid.isPresent() && guid.get().isZero()) {
            throw new IllegalArgumentException("vNIC '" + id + "': the zero GUID cannot be assigned to a port");
        }
        if (maxRate.isPresent() && maxRate.get().bitsPerSecond() == 0) {
            throw new IllegalArgumentException("vNIC '" + id + "': max rate 0 would stop all traffic; leave it out for"
                    + " no limit");
        }
        if (minRate.isPresent() && maxRate.isPresent() && minRate.get().compareTo(maxRate.get()) > 0) {
            throw new IllegalArgumentException("vNIC '" + id + "': min rate " + minRate.get()
                    + " is above max rate " + maxRate.get());
        }
    }

    /**
     * Starts a spec with the defaults: pooled addresses, no rate limits, spoof check on, trust off, any backend.
     *
     * @param id the vNIC's identifier
     * @param vm the VM it belongs to
     * @param network the network to attach to
     * @return a builder
     */
    public static Builder builder(String id, String vm, String network) {
        return new Builder(VnicId.of(id), vm, NetworkId.of(network));
    }

    /** @return a builder holding this spec's values, to derive a changed spec */
    public Builder toBuilder() {
        Builder b = new Builder(id, vm, network);
        b.mac = mac;
        b.guid = guid;
        b.minRate = minRate;
        b.maxRate = maxRate;
        b.spoofCheck = spoofCheck;
        b.trust = trust;
        b.backends = new ArrayList<>(backends);
        return b;
    }

    /**
     * @param kind a kind of vNIC
     * @return true when {@code kind} is acceptable for this vNIC
     */
    public boolean accepts(BackendKind kind) {
        return backends.isEmpty() || backends.contains(kind);
    }

    /** Builds a {@link VnicSpec}; validation happens in {@link #build()}. */
    public static final class Builder {
        private final VnicId id;
        private final String vm;
        private final NetworkId network;
        private Optional<MacAddress> mac = Optional.empty();
        private Optional<Guid> guid = Optional.empty();
        private Optional<Bandwidth> minRate = Optional.empty();
        private Optional<Bandwidth> maxRate = Optional.empty();
        private boolean spoofCheck = true;
        private boolean trust;
        private List<BackendKind> backends = new ArrayList<>();

        private Builder(VnicId id, String vm, NetworkId network) {
            this.id = id;
            this.vm = vm;
            this.network = network;
        }

        /**
         * @param value a fixed MAC address instead of a pooled one
         * @return this builder
         */
        public Builder mac(MacAddress value) {
            this.mac = Optional.of(value);
            return this;
        }

        /**
         * @param value a fixed port GUID instead of a pooled one
         * @return this builder
         */
        public Builder guid(Guid value) {
            this.guid = Optional.of(value);
            return this;
        }

        /**
         * @param value the guaranteed transmit rate
         * @return this builder
         */
        public Builder minRate(Bandwidth value) {
            this.minRate = Optional.of(value);
            return this;
        }

        /**
         * @param value the transmit rate limit
         * @return this builder
         */
        public Builder maxRate(Bandwidth value) {
            this.maxRate = Optional.of(value);
            return this;
        }

        /**
         * @param value whether to drop frames with a source MAC that is not the vNIC's
         * @return this builder
         */
        public Builder spoofCheck(boolean value) {
            this.spoofCheck = value;
            return this;
        }

        /**
         * @param value whether the VM may change its MAC and enter promiscuous mode
         * @return this builder
         */
        public Builder trust(boolean value) {
            this.trust = value;
            return this;
        }

        /**
         * @param kinds acceptable kinds of vNIC, most preferred first
         * @return this builder
         */
        public Builder backends(BackendKind... kinds) {
            this.backends = new ArrayList<>(List.of(kinds));
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException when the values are invalid or contradict each other
         */
        public VnicSpec build() {
            return new VnicSpec(id, vm, network, mac, guid, minRate, maxRate, spoofCheck, trust, backends);
        }
    }
}
