package dev.iov.linux.netlink;

import dev.iov.api.net.InterfaceName;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A VXLAN link to create: {@code ip link add NAME type vxlan id VNI [local A] [remote B | group G] [dev D]
 * dstport P}. Built with {@link #builder(InterfaceName, int)}.
 *
 * <p>The rules are iproute2's: the remote is unicast, the group multicast, at most one of them; a group needs an
 * underlying device; local and remote/group are the same address family. The destination port defaults to 4789
 * (IANA), not the kernel's legacy 8472. Learning is on by default and, like iproute2, always sent.
 */
public final class VxlanSpec {

    /** The IANA VXLAN port. */
    public static final int IANA_PORT = 4789;

    private final InterfaceName name;
    private final int vni;
    private final InetAddress local;
    private final InetAddress remote;
    private final InterfaceName device;
    private final int dstPort;
    private final boolean learning;

    private VxlanSpec(Builder b) {
        this.name = b.name;
        this.vni = b.vni;
        this.local = b.local;
        this.remote = b.remote;
        this.device = b.device;
        this.dstPort = b.dstPort;
        this.learning = b.learning;
    }

    /**
     * Starts a spec.
     *
     * @param name the new link
     * @param vni the VXLAN network identifier, 0 to 2<sup>24</sup>-1
     * @return a builder
     * @throws IllegalArgumentException when the VNI is out of range
     */
    public static Builder builder(InterfaceName name, int vni) {
        return new Builder(name, vni);
    }

    /** @return the new link's name */
    public InterfaceName name() {
        return name;
    }

    /** @return the VXLAN network identifier */
    public int vni() {
        return vni;
    }

    /** @return the local tunnel address, if set */
    public Optional<InetAddress> local() {
        return Optional.ofNullable(local);
    }

    /** @return the remote (unicast) or group (multicast) address, if set */
    public Optional<InetAddress> remote() {
        return Optional.ofNullable(remote);
    }

    /** @return whether {@link #remote()} is a multicast group */
    public boolean isGroup() {
        return remote != null && remote.isMulticastAddress();
    }

    /** @return the underlying device, if set */
    public Optional<InterfaceName> device() {
        return Optional.ofNullable(device);
    }

    /** @return the UDP destination port */
    public int dstPort() {
        return dstPort;
    }

    /** @return whether the FDB learns remote MACs */
    public boolean learning() {
        return learning;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VxlanSpec other && name.equals(other.name) && vni == other.vni
                && Objects.equals(local, other.local) && Objects.equals(remote, other.remote)
                && Objects.equals(device, other.device) && dstPort == other.dstPort && learning == other.learning;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, vni, local, remote, device, dstPort, learning);
    }

    @Override
    public String toString() {
        return "VxlanSpec[" + name + " id " + vni + (local == null ? "" : " local " + local.getHostAddress())
                + (remote == null ? "" : (isGroup() ? " group " : " remote ") + remote.getHostAddress())
                + (device == null ? "" : " dev " + device) + " dstport " + dstPort
                + (learning ? "" : " nolearning") + "]";
    }

    /** Collects the parts of a {@link VxlanSpec}. */
    public static final class Builder {

        private final InterfaceName name;
        private final int vni;
        private InetAddress local;
        private InetAddress remote;
        private InterfaceName device;
        private int dstPort = IANA_PORT;
        private boolean learning = true;

        private Builder(InterfaceName name, int vni) {
            this.name = Objects.requireNonNull(name, "name");
            if (vni < 0 || vni > 0xFF_FFFF) {
                throw new IllegalArgumentException("VXLAN VNI must be 0 to 16777215: '" + vni + "'");
            }
            this.vni = vni;
        }

        /**
         * Sets the local tunnel address.
         *
         * @param address a unicast address
         * @return this builder
         */
        public Builder local(InetAddress address) {
            requireUnicast(address, "local");
            this.local = address;
            return this;
        }

        /**
         * Sets a unicast remote tunnel endpoint.
         *
         * @param address a unicast address
         * @return this builder
         */
        public Builder remote(InetAddress address) {
            requireUnicast(address, "remote");
            this.remote = address;
            return this;
        }

        /**
         * Sets a multicast group for flooding (needs {@link #device}).
         *
         * @param address a multicast address
         * @return this builder
         */
        public Builder group(InetAddress address) {
            if (!Objects.requireNonNull(address, "group").isMulticastAddress()) {
                throw new IllegalArgumentException("VXLAN group must be multicast: '" + address.getHostAddress()
                        + "'");
            }
            this.remote = address;
            return this;
        }

        /**
         * Sets the underlying device.
         *
         * @param device the device the tunnel's packets leave by
         * @return this builder
         */
        public Builder device(InterfaceName device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * Sets the UDP destination port.
         *
         * @param port 1 to 65535
         * @return this builder
         */
        public Builder dstPort(int port) {
            if (port <= 0 || port > 0xffff) {
                throw new IllegalArgumentException("VXLAN port must be 1 to 65535: '" + port + "'");
            }
            this.dstPort = port;
            return this;
        }

        /**
         * Turns source-MAC learning on or off.
         *
         * @param learning false for {@code nolearning}
         * @return this builder
         */
        public Builder learning(boolean learning) {
            this.learning = learning;
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalStateException when a group has no device, or local and remote differ in family
         */
        public VxlanSpec build() {
            if (remote != null && remote.isMulticastAddress() && device == null) {
                throw new IllegalStateException("VXLAN group " + remote.getHostAddress() + " needs a device");
            }
            if (local != null && remote != null && (local instanceof Inet4Address) != (remote instanceof Inet4Address)) {
                throw new IllegalStateException("VXLAN local " + local.getHostAddress() + " and remote "
                        + remote.getHostAddress() + " are of different address families");
            }
            return new VxlanSpec(this);
        }

        private static void requireUnicast(InetAddress address, String what) {
            Objects.requireNonNull(address, what);
            if (address.isMulticastAddress() || address.isAnyLocalAddress()) {
                throw new IllegalArgumentException("VXLAN " + what + " must be a unicast address: '"
                        + address.getHostAddress() + "'");
            }
        }
    }
}
