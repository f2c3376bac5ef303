package dev.iov.linux.netlink;

import dev.iov.api.net.InterfaceName;
import java.util.Objects;
import java.util.Optional;

/**
 * A veth pair to create: {@code ip link add NAME type veth peer name PEER [netns NS]}.
 *
 * @param name the end created in the requester's namespace
 * @param peerName the other end
 * @param peerNamespace where the other end is created; empty for the requester's namespace
 */
public record VethSpec(InterfaceName name, InterfaceName peerName, Optional<TargetNamespace> peerNamespace) {

    /**
     * Validates the parts.
     *
     * @param name the end created in the requester's namespace
     * @param peerName the other end
     * @param peerNamespace where the other end is created; empty for the requester's namespace
     * @throws IllegalArgumentException when both ends have the same name and no peer namespace is given
     */
    public VethSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(peerName, "peerName");
        Objects.requireNonNull(peerNamespace, "peerNamespace");
        if (name.equals(peerName) && peerNamespace.isEmpty()) {
            throw new IllegalArgumentException("veth ends need different names in one namespace: '" + name + "'");
        }
    }

    /**
     * A pair with both ends in the requester's namespace.
     *
     * @param name one end
     * @param peerName the other end
     * @return the spec
     */
    public static VethSpec of(InterfaceName name, InterfaceName peerName) {
        return new VethSpec(name, peerName, Optional.empty());
    }
}
