package dev.iov.linux.netlink;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings for one VF of a PF, sent in one request like {@code ip link set PF vf N mac M vlan V qos Q
 * min_tx_rate A max_tx_rate B spoofchk on trust off state auto node_guid G port_guid H}. Built with
 * {@link #forVf(int)}; every part is optional but at least one is required.
 *
 * <p>Rates are whole Mbit/s, the unit of {@code struct ifla_vf_rate}; 0 means no limit. The kernel takes both rates
 * in one attribute, so when only one is given {@link Rtnetlink#setVf} reads the VF's current rates first and keeps
 * the other, as iproute2 does.
 *
 * <p>Nothing the kernel would refuse, or silently truncate, gets in: a MAC must be unicast and not all-zero (the
 * zero address is written only by {@link Builder#clearMac()}, on purpose), the VLAN priority is 0 to 7, a rate is a
 * whole number of Mbit/s that fits the kernel's u32 and a guaranteed rate is not above a rate limit. Each refusal is
 * an {@link IllegalArgumentException} naming the value.
 */
public final class VfConfig {

    private final int vf;
    private final MacAddress mac;
    private final boolean vlanSet;
    private final VlanId vlan;
    private final int qos;
    private final VlanProtocol vlanProtocol;
    private final Bandwidth minTxRate;
    private final Bandwidth maxTxRate;
    private final Boolean spoofCheck;
    private final Boolean trust;
    private final VfLinkState linkState;
    private final Guid nodeGuid;
    private final Guid portGuid;

    private VfConfig(Builder b) {
        this.vf = b.vf;
        this.mac = b.mac;
        this.vlanSet = b.vlanSet;
        this.vlan = b.vlan;
        this.qos = b.qos;
        this.vlanProtocol = b.vlanProtocol;
        this.minTxRate = b.minTxRate;
        this.maxTxRate = b.maxTxRate;
        this.spoofCheck = b.spoofCheck;
        this.trust = b.trust;
        this.linkState = b.linkState;
        this.nodeGuid = b.nodeGuid;
        this.portGuid = b.portGuid;
    }

    /**
     * Starts settings for a VF.
     *
     * @param vf the VF number on its PF, from 0
     * @return a builder
     * @throws IllegalArgumentException when negative
     */
    public static Builder forVf(int vf) {
        return new Builder(vf);
    }

    /** @return the VF number */
    public int vf() {
        return vf;
    }

    /** @return the MAC address to set, if any */
    public Optional<MacAddress> mac() {
        return Optional.ofNullable(mac);
    }

    /** @return whether the VLAN is set (to {@link #vlan()}, or cleared when that is empty) */
    public boolean isVlanSet() {
        return vlanSet;
    }

    /** @return the VLAN to set; empty with {@link #isVlanSet()} means "no VLAN" (VLAN 0) */
    public Optional<VlanId> vlan() {
        return Optional.ofNullable(vlan);
    }

    /** @return the 802.1p priority for the VLAN, 0 to 7 */
    public int qos() {
        return qos;
    }

    /** @return the VLAN tag protocol */
    public VlanProtocol vlanProtocol() {
        return vlanProtocol;
    }

    /** @return the guaranteed rate to set, if any */
    public Optional<Bandwidth> minTxRate() {
        return Optional.ofNullable(minTxRate);
    }

    /** @return the rate limit to set, if any */
    public Optional<Bandwidth> maxTxRate() {
        return Optional.ofNullable(maxTxRate);
    }

    /** @return the spoof checking setting, if any */
    public Optional<Boolean> spoofCheck() {
        return Optional.ofNullable(spoofCheck);
    }

    /** @return the trust setting, if any */
    public Optional<Boolean> trust() {
        return Optional.ofNullable(trust);
    }

    /** @return the link state policy, if any */
    public Optional<VfLinkState> linkState() {
        return Optional.ofNullable(linkState);
    }

    /** @return the InfiniBand node GUID to set, if any */
    public Optional<Guid> nodeGuid() {
        return Optional.ofNullable(nodeGuid);
    }

    /** @return the InfiniBand port GUID to set, if any */
    public Optional<Guid> portGuid() {
        return Optional.ofNullable(portGuid);
    }

    /** @return whether exactly one of the two rates is set, so the other must be read from the VF first */
    public boolean needsCurrentRates() {
        return (minTxRate == null) != (maxTxRate == null);
    }

    /**
     * Returns these settings with both rates set, keeping a rate already set here over the given one.
     *
     * @param currentMin the VF's current guaranteed rate
     * @param currentMax the VF's current rate limit
     * @return the completed settings
     * @throws IllegalArgumentException when the guaranteed rate would then be above the limit
     */
    public VfConfig withCurrentRates(Bandwidth currentMin, Bandwidth currentMax) {
        Builder b = toBuilder();
        b.minTxRate = minTxRate != null ? minTxRate : Objects.requireNonNull(currentMin, "currentMin");
        b.maxTxRate = maxTxRate != null ? maxTxRate : Objects.requireNonNull(currentMax, "currentMax");
        return b.build();
    }

    private Builder toBuilder() {
        Builder b = new Builder(vf);
        b.mac = mac;
        b.vlanSet = vlanSet;
        b.vlan = vlan;
        b.qos = qos;
        b.vlanProtocol = vlanProtocol;
        b.minTxRate = minTxRate;
        b.maxTxRate = maxTxRate;
        b.spoofCheck = spoofCheck;
        b.trust = trust;
        b.linkState = linkState;
        b.nodeGuid = nodeGuid;
        b.portGuid = portGuid;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VfConfig other && vf == other.vf && Objects.equals(mac, other.mac)
                && vlanSet == other.vlanSet && Objects.equals(vlan, other.vlan) && qos == other.qos
                && vlanProtocol == other.vlanProtocol && Objects.equals(minTxRate, other.minTxRate)
                && Objects.equals(maxTxRate, other.maxTxRate) && Objects.equals(spoofCheck, other.spoofCheck)
                && Objects.equals(trust, other.trust) && linkState == other.linkState
                && Objects.equals(nodeGuid, other.nodeGuid) && Objects.equals(portGuid, other.portGuid);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vf, mac, vlanSet, vlan, qos, vlanProtocol, minTxRate, maxTxRate, spoofCheck, trust,
                linkState, nodeGuid, portGuid);
    }

    /** @return the settings in {@code ip link set ... vf N} words */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("vf " + vf);
        if (mac != null) {
            parts.add("mac " + mac);
        }
        if (vlanSet) {
            parts.add("vlan " + (vlan == null ? 0 : vlan.value()) + " qos " + qos
                    + (vlanProtocol == VlanProtocol.IEEE_802_1AD ? " proto 802.1ad" : ""));
        }
        if (minTxRate != null) {
            parts.add("min_tx_rate " + minTxRate);
        }
        if (maxTxRate != null) {
            parts.add("max_tx_rate " + maxTxRate);
        }
        if (spoofCheck != null) {
            parts.add("spoofchk " + (spoofCheck ? "on" : "off"));
        }
        if (trust != null) {
            parts.add("trust " + (trust ? "on" : "off"));
        }
        if (linkState != null) {
            parts.add("state " + linkState.name().toLowerCase(Locale.ROOT));
        }
        if (nodeGuid != null) {
            parts.add("node_guid " + nodeGuid);
        }
        if (portGuid != null) {
            parts.add("port_guid " + portGuid);
        }
        return "VfConfig[" + String.join(" ", parts) + "]";
    }

    /** Collects the parts of a {@link VfConfig}. */
    public static final class Builder {

        private final int vf;
        private MacAddress mac;
        private boolean vlanSet;
        private VlanId vlan;
        private int qos;
        private VlanProtocol vlanProtocol = VlanProtocol.IEEE_802_1Q;
        private Bandwidth minTxRate;
        private Bandwidth maxTxRate;
        private Boolean spoofCheck;
        private Boolean trust;
        private VfLinkState linkState;
        private Guid nodeGuid;
        private Guid portGuid;

        private Builder(int vf) {
            if (vf < 0) {
                throw new IllegalArgumentException("VF number must not be negative: '" + vf + "'");
            }
            this.vf = vf;
        }

        /**
         * Sets the VF's MAC address.
         *
         * @param mac a unicast address, not {@code 00:00:00:00:00:00} (see {@link #clearMac()} for that)
         * @return this builder
         * @throws IllegalArgumentException for a multicast or broadcast address or the all-zero address
         */
        public Builder mac(MacAddress mac) {
            this.mac = Objects.requireNonNull(mac, "mac").requireAssignable("a VF");
            return this;
        }

        /**
         * Clears the VF's administratively set MAC: writes {@code 00:00:00:00:00:00}, after which the VF driver picks
         * its own address. Used to reset a VF; {@link #mac(MacAddress)} refuses the zero address.
         *
         * @return this builder
         */
        public Builder clearMac() {
            this.mac = MacAddress.ZERO;
            return this;
        }


        /**
         * Puts the VF in an 802.1Q VLAN without priority.
         *
         * @param vlan the VLAN
         * @return this builder
         */
        public Builder vlan(VlanId vlan) {
            return vlan(vlan, 0, VlanProtocol.IEEE_802_1Q);
        }

        /**
         * Puts the VF in a VLAN (the PF tags its traffic transparently).
         *
         * @param vlan the VLAN
         * @param qos the 802.1p priority, 0 to 7
         * @param protocol the tag protocol; 802.1ad needs a driver that supports it
         * @return this builder
         */
        public Builder vlan(VlanId vlan, int qos, VlanProtocol protocol) {
            if (qos < 0 || qos > 7) {
                throw new IllegalArgumentException("VLAN qos must be 0 to 7: '" + qos + "'");
            }
            this.vlan = Objects.requireNonNull(vlan, "vlan");
            this.qos = qos;
            this.vlanProtocol = Objects.requireNonNull(protocol, "protocol");
            this.vlanSet = true;
            return this;
        }

        /**
         * Takes the VF out of any VLAN ({@code vlan 0}).
         *
         * @return this builder
         */
        public Builder noVlan() {
            this.vlan = null;
            this.qos = 0;
            this.vlanProtocol = VlanProtocol.IEEE_802_1Q;
            this.vlanSet = true;
            return this;
        }

        /**
         * Sets the guaranteed transmit rate.
         *
         * @param rate a whole number of Mbit/s; zero for none; not above the rate limit
         * @return this builder
         * @throws IllegalArgumentException when not a whole number of Mbit/s below 2<sup>32</sup>
         */
        public Builder minTxRate(Bandwidth rate) {
            this.minTxRate = requireMbps(rate, "min_tx_rate");
            return this;
        }

        /**
         * Sets the transmit rate limit.
         *
         * @param rate a whole number of Mbit/s; zero for no limit
         * @return this builder
         * @throws IllegalArgumentException when not a whole number of Mbit/s below 2<sup>32</sup>
         */
        public Builder maxTxRate(Bandwidth rate) {
            this.maxTxRate = requireMbps(rate, "max_tx_rate");
            return this;
        }

        /**
         * Turns MAC/VLAN spoof checking on or off.
         *
         * @param on true to drop frames with a source MAC other than the VF's
         * @return this builder
         */
        public Builder spoofCheck(boolean on) {
            this.spoofCheck = on;
            return this;
        }

        /**
         * Turns trust on or off (a trusted VF may change its MAC and enter promiscuous mode).
         *
         * @param on true to trust
         * @return this builder
         */
        public Builder trust(boolean on) {
            this.trust = on;
            return this;
        }

        /**
         * Sets the link state policy.
         *
         * @param state the policy
         * @return this builder
         */
        public Builder linkState(VfLinkState state) {
            this.linkState = Objects.requireNonNull(state, "state");
            return this;
        }

        /**
         * Sets the InfiniBand node GUID of an IB VF.
         *
         * @param guid the GUID
         * @return this builder
         */
        public Builder nodeGuid(Guid guid) {
            this.nodeGuid = Objects.requireNonNull(guid, "guid");
            return this;
        }

        /**
         * Sets the InfiniBand port GUID of an IB VF.
         *
         * @param guid the GUID
         * @return this builder
         */
        public Builder portGuid(Guid guid) {
            this.portGuid = Objects.requireNonNull(guid, "guid");
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalStateException when nothing was set
         */
        public VfConfig build() {
            if (mac == null && !vlanSet && minTxRate == null && maxTxRate == null && spoofCheck == null
                    && trust == null && linkState == null && nodeGuid == null && portGuid == null) {
                throw new IllegalStateException("VF " + vf + " settings need at least one part");
            }
            checkRates(vf, minTxRate, maxTxRate);
            return new VfConfig(this);
        }

        /** A guaranteed rate above the limit (0 = none) is refused by drivers, or worse, taken. */
        private static void checkRates(int vf, Bandwidth min, Bandwidth max) {
            if (min != null && max != null && max.bitsPerSecond() != 0 && min.compareTo(max) > 0) {
                throw new IllegalArgumentException("VF " + vf + ": min_tx_rate " + min + " is above max_tx_rate "
                        + max + " (0 means no limit)");
            }
        }

        private static Bandwidth requireMbps(Bandwidth rate, String what) {
            Objects.requireNonNull(rate, what);
            if (rate.bitsPerSecond() % 1_000_000L != 0 || rate.toMbps() > 0xffff_ffffL) {
                throw new IllegalArgumentException("VF " + what + " must be a whole number of Mbit/s below 2^32: '"
                        + rate + "'");
            }
            return rate;
        }
    }
}
