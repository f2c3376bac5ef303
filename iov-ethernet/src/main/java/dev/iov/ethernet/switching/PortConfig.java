package dev.iov.ethernet.switching;

import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The immutable, validated configuration of one switch port: its VLAN mode ({@link VlanMode}, with OVS semantics),
 * its VLAN {@code tag} (the access, native or service VLAN), its allowed VLAN set ({@code trunks}), its port-security
 * source MAC set and its ingress policing rate and burst. Build one with {@link #builder(VlanMode)}.
 *
 * <p>Validation follows OVS: {@code ACCESS}, {@code DOT1Q_TUNNEL} and the native modes need a tag, {@code TRUNK} must
 * not have one; an unset trunk set means every VLAN (0 to 4094); a native VLAN is always carried, whether or not the
 * trunk set lists it; {@code ACCESS} and {@code DOT1Q_TUNNEL} carry only their tag and refuse a trunk set. VLAN 0 is
 * how a trunk carries untagged traffic, so a native port, whose untagged traffic is its native VLAN, never carries
 * VLAN 0 (otherwise an untagged frame would mean two VLANs on one port).
 */
public final class PortConfig {
    /** OVS's burst when {@code ingress_policing_burst} is 0 and a rate is set: 8000 kbit. */
    public static final int DEFAULT_BURST_KBIT = 8000;
    /** The largest configurable burst, so the policer's fixed-point bucket fits in a {@code long}. */
    public static final int MAX_BURST_KBIT = 8_000_000;
    /** No tag configured. */
    public static final int NO_TAG = -1;

    private final VlanMode mode;
    private final int tag;
    private final VlanSet trunks;
    private final VlanSet carried;
    private final MacSet allowedSources;
    private final int policingRateKbps;
    private final int policingBurstKbit;

    private PortConfig(Builder b, VlanSet carried) {
        this.mode = b.mode;
        this.tag = b.tag;
        this.trunks = b.trunks;
        this.carried = carried;
        this.allowedSources = MacSet.of(b.allowedSources);
        this.policingRateKbps = b.rateKbps;
        this.policingBurstKbit = b.rateKbps == 0 ? 0 : b.burstKbit == 0 ? DEFAULT_BURST_KBIT : b.burstKbit;
    }

    /**
     * @param mode the VLAN mode
     * @return a builder for a port in that mode
     */
    public static Builder builder(VlanMode mode) {
        return new Builder(mode);
    }

    /**
     * @param vlan the access VLAN
     * @return an access port in {@code vlan}
     */
    public static PortConfig access(int vlan) {
        return builder(VlanMode.ACCESS).tag(vlan).build();
    }

    /**
     * @param vlans the VLANs to carry, tagged
     * @return a trunk port carrying them
     */
    public static PortConfig trunk(VlanSet vlans) {
        return builder(VlanMode.TRUNK).trunks(vlans).build();
    }

    /** @return the VLAN mode */
    public VlanMode mode() {
        return mode;
    }

    /** @return the access, native or service VLAN, or {@link #NO_TAG} for a trunk */
    public int tag() {
        return tag;
    }

    /** @return the configured trunk set ({@link VlanSet#all()} unless set); meaningless for access and tunnel */
    public VlanSet trunks() {
        return trunks;
    }

    /** @return every VLAN this port carries, in and out: the tag for access/tunnel, trunks plus native otherwise */
    public VlanSet carried() {
        return carried;
    }

    /**
     * @return the VLAN that egresses untagged on this port: the tag for access, tunnel and native-untagged ports;
     *     0 for trunk ports (VLAN 0 is untagged traffic on an OVS trunk); {@link #NO_TAG} for native-tagged ports,
     *     where every VLAN egresses tagged
     */
    public int untaggedVlan() {
        switch (mode) {
            case ACCESS:
            case DOT1Q_TUNNEL:
            case NATIVE_UNTAGGED:
                return tag;
            case TRUNK:
                return 0;
            default:
                return NO_TAG;
        }
    }

    /** @return the source MACs allowed on ingress; empty means port security is off */
    public MacSet allowedSources() {
        return allowedSources;
    }

    /** @return the ingress policing rate in kbit/s; 0 means no policing */
    public int policingRateKbps() {
        return policingRateKbps;
    }

    /** @return the ingress policing burst in kbit (the default when 0 was configured); 0 when not policing */
    public int policingBurstKbit() {
        return policingBurstKbit;
    }

    @Override
    public String toString() {
        return "PortConfig{" + mode + (tag == NO_TAG ? "" : ", tag=" + tag) + ", carried=" + carried
                + (allowedSources.isEmpty() ? "" : ", allowedSources=" + allowedSources)
                + (policingRateKbps == 0 ? "" : ", policing=" + policingRateKbps + "kbps/" + policingBurstKbit + "kbit")
                + "}";
    }

    /** Collects and validates a {@link PortConfig}. Not thread-safe; {@link #build()} may be called repeatedly. */
    public static final class Builder {
        private final VlanMode mode;
        private int tag = NO_TAG;
        private VlanSet trunks = VlanSet.all();
        private boolean trunksSet;
        private final List<MacAddress> allowedSources = new ArrayList<>();
        private int rateKbps;
        private int burstKbit;

        private Builder(VlanMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
        }

        /**
         * @param vlan the access, native or service VLAN, 1 to 4094
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder tag(int vlan) {
            this.tag = VlanId.of(vlan).value();
            return this;
        }

        /**
         * @param vlan the access, native or service VLAN
         * @return this builder
         */
        public Builder tag(VlanId vlan) {
            this.tag = vlan.value();
            return this;
        }

        /**
         * @param vlans the VLANs a trunk or native port carries (OVS {@code trunks}); unset means all
         * @return this builder
         */
        public Builder trunks(VlanSet vlans) {
            this.trunks = Objects.requireNonNull(vlans, "trunks");
            this.trunksSet = true;
            return this;
        }

        /**
         * Turns on port security and allows one more source MAC.
         *
         * @param mac an address allowed as source on ingress
         * @return this builder
         */
        public Builder allowSource(MacAddress mac) {
            allowedSources.add(Objects.requireNonNull(mac, "mac"));
            return this;
        }

        /**
         * @param rateKbps OVS {@code ingress_policing_rate}, kbit/s, 0 (off) or more
         * @param burstKbit OVS {@code ingress_policing_burst}, kbit, 0 (default 8000) to {@value #MAX_BURST_KBIT}
         * @return this builder
         */
        public Builder policing(int rateKbps, int burstKbit) {
            this.rateKbps = rateKbps;
            this.burstKbit = burstKbit;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException naming the problem when the settings contradict the mode or a value is out
         *     of range
         */
        public PortConfig build() {
            if (rateKbps < 0) {
                throw new IllegalArgumentException("policing rate " + rateKbps + " kbit/s is negative");
            }
            if (burstKbit < 0 || burstKbit > MAX_BURST_KBIT) {
                throw new IllegalArgumentException("policing burst " + burstKbit + " kbit is out of range 0-"
                        + MAX_BURST_KBIT);
            }
            VlanSet carried;
            switch (mode) {
                case ACCESS:
                case DOT1Q_TUNNEL:
                    requireTag();
                    if (trunksSet) {
                        throw new IllegalArgumentException(mode + " port cannot have a trunk set");
                    }
                    carried = VlanSet.of(tag);
                    break;
                case TRUNK:
                    if (tag != NO_TAG) {
                        throw new IllegalArgumentException("TRUNK port cannot have a tag (use NATIVE_TAGGED or "
                                + "NATIVE_UNTAGGED for a native VLAN)");
                    }
                    carried = trunks;
                    break;
                default:
                    requireTag();
                    carried = trunks.with(tag).without(0);
                    break;
            }
            return new PortConfig(this, carried);
        }

        private void requireTag() {
            if (tag == NO_TAG) {
                throw new IllegalArgumentException(mode + " port needs a tag (VLAN)");
            }
        }
    }
}
