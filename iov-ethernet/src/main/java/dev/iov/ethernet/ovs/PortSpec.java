package dev.iov.ethernet.ovs;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A port with one interface of the same name, as {@link OvsSwitch#addPort} creates it.
 *
 * @param name the port's and interface's name
 * @param type the interface type
 * @param vlan the VLAN configuration
 * @param mac the MAC address: {@code Interface.mac} for internal interfaces, and always
 *     {@code external_ids:attached-mac}
 * @param policingRateKbps ingress policing rate in kbit/s; 0 for none
 * @param policingBurstKbit ingress policing burst in kbit; 0 for OVS's default
 * @param externalIds more {@code external_ids} for both rows (iov adds its owner mark itself)
 */
public record PortSpec(InterfaceName name, InterfaceType type, PortVlan vlan, Optional<MacAddress> mac,
        long policingRateKbps, long policingBurstKbit, Map<String, String> externalIds) {

    /**
     * @param name the name
     * @param type the interface type
     * @param vlan the VLAN configuration
     * @param mac the MAC address, if any
     * @param policingRateKbps policing rate, kbit/s
     * @param policingBurstKbit policing burst, kbit
     * @param externalIds more external ids
     * @throws IllegalArgumentException on a negative rate or burst
     */
    public PortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(vlan, "vlan");
        Objects.requireNonNull(mac, "mac");
        externalIds = Map.copyOf(externalIds);
        if (policingRateKbps < 0 || policingBurstKbit < 0) {
            throw new IllegalArgumentException("port " + name + ": policing rate and burst must not be negative, got "
                    + policingRateKbps + " kbit/s, " + policingBurstKbit + " kbit");
        }
    }
}
