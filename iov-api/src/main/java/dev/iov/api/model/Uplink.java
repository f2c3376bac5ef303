package dev.iov.api.model;

import dev.iov.api.net.Bandwidth;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A physical port of a host that vNICs share: its speed is the budget admission control divides.
 *
 * @param name the port's name on its host ({@code ens1f0}, {@code mlx5_0/1})
 * @param kind Ethernet or InfiniBand
 * @param speed the link speed
 * @param backendKinds which kinds of vNIC ride on this port (an SR-IOV NIC offers {@code SRIOV_VF}, and a virtual
 *     switch bridged to it offers {@code VSWITCH_PORT})
 */
public record Uplink(String name, UplinkKind kind, Bandwidth speed, Set<BackendKind> backendKinds) {
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:-]{0,63}");

    /**
     * Validates the uplink.
     *
     * @param name the port's name on its host
     * @param kind Ethernet or InfiniBand
     * @param speed the link speed, more than zero
     * @param backendKinds the kinds of vNIC it carries, each matching {@code kind}
     * @throws IllegalArgumentException when a value is invalid (the message names it)
     */
    public Uplink {
        Objects.requireNonNull(name, "uplink name");
        Objects.requireNonNull(kind, "uplink kind");
        Objects.requireNonNull(speed, "uplink speed");
        Objects.requireNonNull(backendKinds, "uplink backend kinds");
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid uplink name '" + name
                    + "': use 1-64 characters of letters, digits, '.', '_', '/', ':' and '-'");
        }
        if (speed.bitsPerSecond() == 0) {
            throw new IllegalArgumentException("uplink '" + name + "' has speed 0; admission needs a real speed");
        }
        if (backendKinds.isEmpty()) {
            throw new IllegalArgumentException("uplink '" + name + "' carries no kind of vNIC");
        }
        for (BackendKind backendKind : backendKinds) {
            if (backendKind.uplinkKind() != kind) {
                throw new IllegalArgumentException("uplink '" + name + "' is " + kind + " and cannot carry "
                        + backendKind + " vNICs");
            }
        }
        backendKinds = Set.copyOf(EnumSet.copyOf(backendKinds));
    }

    /**
     * An Ethernet uplink.
     *
     * @param name the port's name
     * @param speed the link speed
     * @param kinds the kinds of vNIC it carries
     * @return the uplink
     */
    public static Uplink ethernet(String name, Bandwidth speed, BackendKind... kinds) {
        return new Uplink(name, UplinkKind.ETHERNET, speed, Set.of(kinds));
    }

    /**
     * An InfiniBand uplink carrying {@link BackendKind#IB_VF} vNICs.
     *
     * @param name the port's name ({@code mlx5_0/1})
     * @param speed the link speed
     * @return the uplink
     */
    public static Uplink infiniband(String name, Bandwidth speed) {
        return new Uplink(name, UplinkKind.INFINIBAND, speed, Set.of(BackendKind.IB_VF));
    }
}
