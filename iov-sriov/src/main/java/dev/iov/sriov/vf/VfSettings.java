package dev.iov.sriov.vf;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import dev.iov.linux.netlink.VfConfig;
import dev.iov.linux.netlink.VfInfo;
import dev.iov.linux.netlink.VfLinkState;
import dev.iov.linux.netlink.VlanProtocol;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings a PF's driver keeps for one VF and loses on a driver reload: what {@code ip link show} prints per
 * {@code vf N} line, minus the counters.
 *
 * @param vf the VF number on its PF, 0 or more
 * @param mac the administrative MAC; empty when unset (all zeros)
 * @param vlan the VLAN the PF tags the VF's traffic with; empty for none
 * @param qos the 802.1p priority of that VLAN, 0 to 7 (0 without a VLAN)
 * @param vlanProtocol the tag protocol
 * @param minTxRate the guaranteed rate, whole Mbit/s, zero for none
 * @param maxTxRate the rate limit, whole Mbit/s, zero for none
 * @param spoofCheck source MAC checking; empty when the driver does not report it
 * @param trust trusted mode; empty when the driver does not report it
 * @param linkState the link state policy
 */
public record VfSettings(int vf, Optional<MacAddress> mac, Optional<VlanId> vlan, int qos, VlanProtocol vlanProtocol,
        Bandwidth minTxRate, Bandwidth maxTxRate, Optional<Boolean> spoofCheck, Optional<Boolean> trust,
        VfLinkState linkState) {

    /**
     * Checks every part.
     *
     * @throws IllegalArgumentException naming the value when the VF number, QoS or a rate is out of range, the MAC
     *     is not a unicast address or is all-zero, or the guaranteed rate is above the limit
     */
    public VfSettings {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(vlan, "vlan");
        Objects.requireNonNull(vlanProtocol, "vlanProtocol");
        Objects.requireNonNull(minTxRate, "minTxRate");
        Objects.requireNonNull(maxTxRate, "maxTxRate");
        Objects.requireNonNull(spoofCheck, "spoofCheck");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(linkState, "linkState");
        if (vf < 0) {
            throw new IllegalArgumentException("VF number " + vf + " is negative");
        }
        if (qos < 0 || qos > 7 || (vlan.isEmpty() && qos != 0)) {
            throw new IllegalArgumentException("VLAN qos " + qos + " is out of range 0-7 (0 without a VLAN)");
        }
        for (Bandwidth rate : new Bandwidth[] {minTxRate, maxTxRate}) {
            if (rate.bitsPerSecond() % 1_000_000 != 0 || rate.toMbps() > 0xffff_ffffL) {
                throw new IllegalArgumentException("VF rate " + rate + " is not a whole number of Mbit/s below "
                        + "2^32");
            }
        }
        mac.ifPresent(m -> m.requireAssignable("a VF"));
        if (maxTxRate.bitsPerSecond() != 0 && minTxRate.compareTo(maxTxRate) > 0) {
            throw new IllegalArgumentException("VF min rate " + minTxRate + " is above max rate " + maxTxRate
                    + " (0 means no limit)");
        }
    }

    /**
     * @param info what the kernel reported for the VF
     * @return its settings
     */
    public static VfSettings of(VfInfo info) {
        return new VfSettings(info.vf(), info.mac(), info.vlan(), info.vlan().isPresent() ? info.qos() : 0,
                info.vlanProtocol(), info.minTxRate(), info.maxTxRate(), info.spoofCheck(), info.trusted(),
                info.linkState());
    }

    /**
     * The request that puts the VF back into these settings: every field is sent (an unset MAC as all zeros, no VLAN
     * as VLAN 0), except spoof checking and trust when the driver did not report them.
     *
     * @return the VF configuration
     */
    public VfConfig toConfig() {
        VfConfig.Builder b = VfConfig.forVf(vf);
        mac.ifPresentOrElse(b::mac, b::clearMac);
        if (vlan.isPresent()) {
            b.vlan(vlan.get(), qos, vlanProtocol);
        } else {
            b.noVlan();
        }
        b.minTxRate(minTxRate).maxTxRate(maxTxRate).linkState(linkState);
        spoofCheck.ifPresent(b::spoofCheck);
        trust.ifPresent(b::trust);
        return b.build();
    }
}
