package dev.iov.api.model;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.PKey;
import dev.iov.api.net.VlanId;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant network, declared once for the whole fabric: every host that carries it carries the same segment and
 * MTU, which is what keeps live migration from landing a VM on a host where its network differs.
 *
 * @param id the network's identifier
 * @param kind VLAN, VXLAN or InfiniBand partition
 * @param segment the VLAN ID, VNI or 15-bit partition number, valid for {@code kind}
 * @param mtu the MTU in bytes, 68-65535
 * @param defaultMaxRate the maximum rate of a vNIC on this network whose spec names none
 */
public record Network(NetworkId id, NetworkKind kind, int segment, int mtu, Optional<Bandwidth> defaultMaxRate) {

    /** The MTU of a network that declares none. */
    public static final int DEFAULT_MTU = 1500;

    /**
     * Validates the network.
     *
     * @param id the network's identifier
     * @param kind VLAN, VXLAN or InfiniBand partition
     * @param segment the segment number, valid for {@code kind}
     * @param mtu the MTU in bytes
     * @param defaultMaxRate the maximum rate of a vNIC whose spec names none
     * @throws IllegalArgumentException when the segment or MTU is out of range (the message names the value)
     */
    public Network {
        Objects.requireNonNull(id, "network id");
        Objects.requireNonNull(kind, "network kind");
        Objects.requireNonNull(defaultMaxRate, "default max rate");
        if (segment < kind.minSegment() || segment > kind.maxSegment()) {
            throw new IllegalArgumentException("network '" + id + "': " + kind + " segment " + segment
                    + " is outside " + kind.minSegment() + "-" + kind.maxSegment());
        }
        if (defaultMaxRate.isPresent() && defaultMaxRate.get().bitsPerSecond() == 0) {
            throw new IllegalArgumentException("network '" + id + "': default max rate 0 would stop all traffic");
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("network '" + id + "': MTU " + mtu + " is outside 68-65535");
        }
    }

    /**
     * @param id the network's identifier
     * @param vlan its VLAN
     * @return a VLAN network with the default MTU and no default rate limit
     */
    public static Network vlan(String id, VlanId vlan) {
        return new Network(NetworkId.of(id), NetworkKind.VLAN, vlan.value(), DEFAULT_MTU, Optional.empty());
    }

    /**
     * @param id the network's identifier
     * @param vni its VXLAN network identifier
     * @return a VXLAN network with the default MTU and no default rate limit
     */
    public static Network vxlan(String id, int vni) {
        return new Network(NetworkId.of(id), NetworkKind.VXLAN, vni, DEFAULT_MTU, Optional.empty());
    }

    /**
     * @param id the network's identifier
     * @param pkey its partition key; only the partition number counts, membership is per port
     * @return an InfiniBand partition network with the IPoIB datagram MTU 2044
     */
    public static Network ibPartition(String id, PKey pkey) {
        return new Network(NetworkId.of(id), NetworkKind.IB_PARTITION, pkey.partition(), 2044, Optional.empty());
    }

    /**
     * @param newMtu the MTU in bytes
     * @return this network with another MTU
     */
    public Network withMtu(int newMtu) {
        return new Network(id, kind, segment, newMtu, defaultMaxRate);
    }

    /**
     * @param rate the maximum rate of vNICs whose spec names none
     * @return this network with a default rate limit
     */
    public Network withDefaultMaxRate(Bandwidth rate) {
        return new Network(id, kind, segment, mtu, Optional.of(rate));
    }

    /**
     * @return the VLAN of a VLAN network
     * @throws IllegalStateException when this is not a VLAN network
     */
    public VlanId vlanId() {
        if (kind != NetworkKind.VLAN) {
            throw new IllegalStateException("network '" + id + "' is " + kind + ", not VLAN");
        }
        return VlanId.of(segment);
    }

    /**
     * @return the full-membership P_Key of an InfiniBand partition network
     * @throws IllegalStateException when this is not an InfiniBand partition
     */
    public PKey pkey() {
        if (kind != NetworkKind.IB_PARTITION) {
            throw new IllegalStateException("network '" + id + "' is " + kind + ", not IB_PARTITION");
        }
        return PKey.of(0x8000 | segment);
    }
}
