package dev.iov.linux.netlink;

import dev.iov.api.net.InterfaceName;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which existing link a request acts on: by interface index, as iproute2 does after looking the name up, or by
 * name, which the kernel resolves itself from {@code IFLA_IFNAME} when {@code ifi_index} is 0. Selecting by name
 * saves the look-up round trip and cannot act on a link that was renamed in between.
 */
public final class LinkSelector {

    private final int index;
    private final InterfaceName name;

    private LinkSelector(int index, InterfaceName name) {
        this.index = index;
        this.name = name;
    }

    /**
     * Selects a link by interface index.
     *
     * @param index the index, positive
     * @return the selector
     * @throws IllegalArgumentException when the index is not positive
     */
    public static LinkSelector byIndex(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("interface index must be positive: '" + index + "'");
        }
        return new LinkSelector(index, null);
    }

    /**
     * Selects a link by name.
     *
     * @param name the interface name
     * @return the selector
     */
    public static LinkSelector byName(InterfaceName name) {
        return new LinkSelector(0, Objects.requireNonNull(name, "name"));
    }

    /** @return the index, when selecting by index */
    public OptionalInt index() {
        return name == null ? OptionalInt.of(index) : OptionalInt.empty();
    }

    /** @return the name, when selecting by name */
    public Optional<InterfaceName> name() {
        return Optional.ofNullable(name);
    }

    /**
     * Writes the selection into a link request: the index into {@code ifi_index}, or 0 there and an
     * {@code IFLA_IFNAME} attribute at the writer's position.
     */
    void writeTo(IfInfoMsg ifinfo, NetlinkMessageWriter writer) {
        ifinfo.index(index);
        if (name != null) {
            writer.putCString(NetlinkConstants.IFLA_IFNAME, name.value());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkSelector other && index == other.index && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, name);
    }

    /** @return the name, or {@code ifindex N} */
    @Override
    public String toString() {
        return name != null ? name.value() : "ifindex " + index;
    }
}
