package dev.iov.linux.netlink;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.VlanId;
import java.util.Objects;
import java.util.Optional;

/**
 * One VF's settings as its PF reports them in {@code IFLA_VFINFO_LIST} (read with {@code RTEXT_FILTER_VF}).
 *
 * @param vf the VF number on its PF
 * @param mac the VF's MAC address; empty when it is all zeros (not set) or the PF is not Ethernet
 * @param vlan the VF's VLAN; empty for none
 * @param qos the 802.1p priority of that VLAN
 * @param vlanProtocol the VLAN tag protocol
 * @param minTxRate the guaranteed rate (zero: none)
 * @param maxTxRate the rate limit (zero: none)
 * @param spoofCheck spoof checking; empty when the driver does not report it
 * @param trusted trust; empty when the driver does not report it
 * @param linkState the link state policy
 * @param nodeGuid the InfiniBand node GUID, when the driver reports it
 * @param portGuid the InfiniBand port GUID, when the driver reports it
 * @param stats the counters, when the driver reports them
 */
public record VfInfo(int vf, Optional<MacAddress> mac, Optional<VlanId> vlan, int qos, VlanProtocol vlanProtocol,
        Bandwidth minTxRate, Bandwidth maxTxRate, Optional<Boolean> spoofCheck, Optional<Boolean> trusted,
        VfLinkState linkState, Optional<Guid> nodeGuid, Optional<Guid> portGuid, Optional<VfStats> stats) {

    /**
     * Checks that no part is null.
     *
     * @param vf the VF number on its PF
     * @param mac the VF's MAC address; empty when it is all zeros (not set) or the PF is not Ethernet
     * @param vlan the VF's VLAN; empty for none
     * @param qos the 802.1p priority of that VLAN
     * @param vlanProtocol the VLAN tag protocol
     * @param minTxRate the guaranteed rate (zero: none)
     * @param maxTxRate the rate limit (zero: none)
     * @param spoofCheck spoof checking; empty when the driver does not report it
     * @param trusted trust; empty when the driver does not report it
     * @param linkState the link state policy
     * @param nodeGuid the InfiniBand node GUID, when the driver reports it
     * @param portGuid the InfiniBand port GUID, when the driver reports it
     * @param stats the counters, when the driver reports them
     */
    public VfInfo {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(vlan, "vlan");
        Objects.requireNonNull(vlanProtocol, "vlanProtocol");
        Objects.requireNonNull(minTxRate, "minTxRate");
        Objects.requireNonNull(maxTxRate, "maxTxRate");
        Objects.requireNonNull(spoofCheck, "spoofCheck");
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(linkState, "linkState");
        Objects.requireNonNull(nodeGuid, "nodeGuid");
        Objects.requireNonNull(portGuid, "portGuid");
        Objects.requireNonNull(stats, "stats");
    }
}
