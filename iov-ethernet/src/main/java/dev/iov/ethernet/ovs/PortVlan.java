package dev.iov.ethernet.ovs;

import dev.iov.api.net.VlanId;
import dev.iov.ethernet.switching.VlanMode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A port's VLAN configuration in OVS terms: {@code vlan_mode}, {@code tag} and {@code trunks}.
 *
 * @param mode the VLAN mode
 * @param tag the access VLAN, native VLAN or service VLAN; required except in {@link VlanMode#TRUNK}
 * @param trunks the VLANs a trunk carries; empty carries all; not allowed in {@link VlanMode#ACCESS}
 */
public record PortVlan(VlanMode mode, Optional<VlanId> tag, Set<VlanId> trunks) {

    /**
     * @param mode the mode
     * @param tag the tag
     * @param trunks the trunk VLANs
     * @throws IllegalArgumentException when the combination is not valid
     */
    public PortVlan {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(tag, "tag");
        trunks = Set.copyOf(new TreeSet<>(trunks));
        if (mode != VlanMode.TRUNK && tag.isEmpty()) {
            throw new IllegalArgumentException("VLAN mode " + ovsName(mode) + " needs a tag");
        }
        if (mode == VlanMode.TRUNK && tag.isPresent()) {
            throw new IllegalArgumentException("VLAN mode trunk takes no tag, got " + tag.get());
        }
        if (mode == VlanMode.ACCESS && !trunks.isEmpty()) {
            throw new IllegalArgumentException("VLAN mode access takes no trunks, got " + trunks);
        }
    }

    /**
     * @param vlan the VLAN
     * @return an access port in it
     */
    public static PortVlan access(VlanId vlan) {
        return new PortVlan(VlanMode.ACCESS, Optional.of(vlan), Set.of());
    }

    /**
     * @param vlans the VLANs it carries; empty for all
     * @return a trunk
     */
    public static PortVlan trunk(Set<VlanId> vlans) {
        return new PortVlan(VlanMode.TRUNK, Optional.empty(), vlans);
    }

    /**
     * @param mode a VLAN mode
     * @return its OVS {@code vlan_mode} name ({@code native-untagged})
     */
    public static String ovsName(VlanMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
