package dev.iov.linux.netlink;

import dev.iov.api.net.MacAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Changes to an existing link that one {@code RTM_NEWLINK} request can carry together, like
 * {@code ip link set DEV up mtu 1400 master br0}: administrative state, MTU, MAC address, master (or no master),
 * network namespace and alias. Built with {@link #builder()}; every part is optional but at least one is required.
 *
 * <p>The master is an interface index because that is what the kernel takes; {@link Rtnetlink} resolves names.
 */
public final class LinkChange {

    /** The longest alias the kernel keeps, in bytes ({@code IFALIASZ} - 1). */
    public static final int MAX_ALIAS_BYTES = 255;

    private final Boolean up;
    private final Integer mtu;
    private final MacAddress macAddress;
    private final Integer masterIndex;
    private final TargetNamespace namespace;
    private final String alias;

    private LinkChange(Builder b) {
        this.up = b.up;
        this.mtu = b.mtu;
        this.macAddress = b.macAddress;
        this.masterIndex = b.masterIndex;
        this.namespace = b.namespace;
        this.alias = b.alias;
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the administrative state to set (true = up), if any */
    public Optional<Boolean> up() {
        return Optional.ofNullable(up);
    }

    /** @return the MTU to set, if any */
    public OptionalInt mtu() {
        return mtu == null ? OptionalInt.empty() : OptionalInt.of(mtu);
    }

    /** @return the MAC address to set, if any */
    public Optional<MacAddress> macAddress() {
        return Optional.ofNullable(macAddress);
    }

    /** @return the master's interface index to set, 0 to release from the master, or empty to leave it */
    public OptionalInt masterIndex() {
        return masterIndex == null ? OptionalInt.empty() : OptionalInt.of(masterIndex);
    }

    /** @return the namespace to move the link to, if any */
    public Optional<TargetNamespace> namespace() {
        return Optional.ofNullable(namespace);
    }

    /** @return the alias to set ({@code IFLA_IFALIAS}), if any */
    public Optional<String> alias() {
        return Optional.ofNullable(alias);
    }

    /**
     * Writes the change into a link request: up/down into {@code ifi_flags}/{@code ifi_change}, then
     * {@code IFLA_ADDRESS}, {@code IFLA_MTU}, {@code IFLA_NET_NS_*}, {@code IFLA_MASTER} and {@code IFLA_IFALIAS}
     * (iproute2 writes them in command-line order; the kernel does not care). The alias goes without a terminating
     * NUL, as iproute2 sends it.
     */
    void writeTo(IfInfoMsg ifinfo, NetlinkMessageWriter writer) {
        if (up != null) {
            ifinfo.change(ifinfo.change() | NetlinkConstants.IFF_UP);
            ifinfo.flags(up ? ifinfo.flags() | NetlinkConstants.IFF_UP : ifinfo.flags() & ~NetlinkConstants.IFF_UP);
        }
        if (macAddress != null) {
            writer.putMac(NetlinkConstants.IFLA_ADDRESS, macAddress);
        }
        if (mtu != null) {
            writer.putU32(NetlinkConstants.IFLA_MTU, mtu);
        }
        if (namespace != null) {
            namespace.writeTo(writer);
        }
        if (masterIndex != null) {
            writer.putU32(NetlinkConstants.IFLA_MASTER, masterIndex);
        }
        if (alias != null) {
            writer.putString(NetlinkConstants.IFLA_IFALIAS, alias);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkChange other && Objects.equals(up, other.up) && Objects.equals(mtu, other.mtu)
                && Objects.equals(macAddress, other.macAddress) && Objects.equals(masterIndex, other.masterIndex)
                && Objects.equals(namespace, other.namespace) && Objects.equals(alias, other.alias);
    }

    @Override
    public int hashCode() {
        return Objects.hash(up, mtu, macAddress, masterIndex, namespace, alias);
    }

    /** @return the change in {@code ip link set} words, e.g. {@code LinkChange[up mtu 1400]} */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (up != null) {
            parts.add(up ? "up" : "down");
        }
        if (macAddress != null) {
            parts.add("address " + macAddress);
        }
        if (mtu != null) {
            parts.add("mtu " + mtu);
        }
        if (namespace != null) {
            parts.add(namespace.toString());
        }
        if (masterIndex != null) {
            parts.add(masterIndex == 0 ? "nomaster" : "master ifindex " + masterIndex);
        }
        if (alias != null) {
            parts.add("alias '" + alias + "'");
        }
        return "LinkChange[" + String.join(" ", parts) + "]";
    }

    /** Collects the parts of a {@link LinkChange}. */
    public static final class Builder {

        private Boolean up;
        private Integer mtu;
        private MacAddress macAddress;
        private Integer masterIndex;
        private TargetNamespace namespace;
        private String alias;

        private Builder() {
        }

        /**
         * Sets the administrative state.
         *
         * @param up true for up, false for down
         * @return this builder
         */
        public Builder up(boolean up) {
            this.up = up;
            return this;
        }

        /**
         * Sets the MTU.
         *
         * @param mtu the MTU in bytes, 68 to 2<sup>31</sup>-1 (the driver enforces its own range)
         * @return this builder
         * @throws IllegalArgumentException when below 68, the IPv4 minimum
         */
        public Builder mtu(int mtu) {
            if (mtu < 68) {
                throw new IllegalArgumentException("MTU must be at least 68: '" + mtu + "'");
            }
            this.mtu = mtu;
            return this;
        }

        /**
         * Sets the MAC address.
         *
         * @param mac the address (unicast, or the kernel refuses it)
         * @return this builder
         */
        public Builder macAddress(MacAddress mac) {
            this.macAddress = Objects.requireNonNull(mac, "mac");
            return this;
        }

        /**
         * Enslaves the link to a master (bridge, bond).
         *
         * @param masterIndex the master's interface index, positive
         * @return this builder
         */
        public Builder master(int masterIndex) {
            if (masterIndex <= 0) {
                throw new IllegalArgumentException("master index must be positive: '" + masterIndex + "'");
            }
            this.masterIndex = masterIndex;
            return this;
        }

        /**
         * Releases the link from its master ({@code ip link set DEV nomaster}: {@code IFLA_MASTER} 0).
         *
         * @return this builder
         */
        public Builder noMaster() {
            this.masterIndex = 0;
            return this;
        }

        /**
         * Moves the link to another network namespace.
         *
         * @param namespace the target
         * @return this builder
         */
        public Builder namespace(TargetNamespace namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /**
         * Sets the link's alias ({@code ip link set DEV alias TEXT}), a free-form note the kernel keeps with the link
         * and reports back in {@link LinkInfo#alias()}.
         *
         * @param alias 1 to {@value LinkChange#MAX_ALIAS_BYTES} bytes of UTF-8 without NUL or line breaks (the kernel shows
         *     the alias one per line in {@code /sys/class/net/DEV/ifalias})
         * @return this builder
         * @throws IllegalArgumentException naming the alias when it is empty, too long or contains such a character
         */
        public Builder alias(String alias) {
            Objects.requireNonNull(alias, "alias");
            int bytes = alias.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > MAX_ALIAS_BYTES) {
                throw new IllegalArgumentException("alias must be 1-" + MAX_ALIAS_BYTES + " bytes of UTF-8, got "
                        + bytes + ": '" + alias + "'");
            }
            if (alias.indexOf('\0') >= 0 || alias.indexOf('\n') >= 0 || alias.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("alias must not contain NUL or line breaks: '"
                        + alias.replace("\0", "\\0").replace("\n", "\\n").replace("\r", "\\r") + "'");
            }
            this.alias = alias;
            return this;
        }

        /**
         * @return the change
         * @throws IllegalStateException when nothing was set
         */
        public LinkChange build() {
            if (up == null && mtu == null && macAddress == null && masterIndex == null && namespace == null
                    && alias == null) {
                throw new IllegalStateException("a link change needs at least one part");
            }
            return new LinkChange(this);
        }
    }
}
