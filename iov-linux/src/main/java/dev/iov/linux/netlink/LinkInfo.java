package dev.iov.linux.netlink;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A link as rtnetlink reports it ({@code RTM_NEWLINK} reply to a GET or dump).
 *
 * @param index the interface index
 * @param name the interface name
 * @param kind the driver kind from {@code IFLA_INFO_KIND} ({@code veth}, {@code bridge}, {@code vxlan}, ...);
 *     empty for physical and loopback devices
 * @param macAddress the hardware address, when it is a 6-byte Ethernet address
 * @param mtu the MTU
 * @param operState the operational state
 * @param up whether the link is administratively up ({@code IFF_UP})
 * @param flags all {@code IFF_*} flags
 * @param masterIndex the index of the master (bridge, bond), if enslaved
 * @param linkIndex the index of the underlying or peer link ({@code IFLA_LINK}), if any; with
 *     {@code linkNetnsId} it is an index in that other namespace
 * @param linkNetnsId the id, in this namespace's id space, of the namespace where the peer/underlying link lives
 *     ({@code IFLA_LINK_NETNSID}), when it is another namespace
 * @param stats the 64-bit counters, when reported
 * @param numVfs the number of VFs ({@code IFLA_NUM_VF}), when the link is an SR-IOV PF and VF info was requested
 * @param vfs the VFs' settings, when requested with {@code RTEXT_FILTER_VF}; otherwise empty
 * @param alias the link's alias ({@code IFLA_IFALIAS}, {@code ip link set DEV alias TEXT}), when it has one
 */
public record LinkInfo(int index, InterfaceName name, Optional<String> kind, Optional<MacAddress> macAddress,
        int mtu, OperState operState, boolean up, int flags, OptionalInt masterIndex, OptionalInt linkIndex,
        OptionalInt linkNetnsId, Optional<LinkStats> stats, OptionalInt numVfs, List<VfInfo> vfs,
        Optional<String> alias) {

    /**
     * Checks that no part is null and copies the VF list.
     *
     * @param index the interface index
     * @param name the interface name
     * @param kind the driver kind from {@code IFLA_INFO_KIND} ({@code veth}, {@code bridge}, {@code vxlan}, ...);
     *     empty for physical and loopback devices
     * @param macAddress the hardware address, when it is a 6-byte Ethernet address
     * @param mtu the MTU
     * @param operState the operational state
     * @param up whether the link is administratively up ({@code IFF_UP})
     * @param flags all {@code IFF_*} flags
     * @param masterIndex the index of the master (bridge, bond), if enslaved
     * @param linkIndex the index of the underlying or peer link ({@code IFLA_LINK}), if any; with
     *     {@code linkNetnsId} it is an index in that other namespace
     * @param linkNetnsId the id, in this namespace's id space, of the namespace where the peer/underlying link lives
     *     ({@code IFLA_LINK_NETNSID}), when it is another namespace
     * @param stats the 64-bit counters, when reported
     * @param numVfs the number of VFs ({@code IFLA_NUM_VF}), when the link is an SR-IOV PF and VF info was requested
     * @param vfs the VFs' settings, when requested with {@code RTEXT_FILTER_VF}; otherwise empty
     * @param alias the link's alias, when it has one
     */
    public LinkInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(macAddress, "macAddress");
        Objects.requireNonNull(operState, "operState");
        Objects.requireNonNull(masterIndex, "masterIndex");
        Objects.requireNonNull(linkIndex, "linkIndex");
        Objects.requireNonNull(linkNetnsId, "linkNetnsId");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(numVfs, "numVfs");
        vfs = List.copyOf(vfs);
        Objects.requireNonNull(alias, "alias");
    }
}
