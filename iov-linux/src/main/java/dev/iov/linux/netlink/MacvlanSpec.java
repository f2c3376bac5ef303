package dev.iov.linux.netlink;

import dev.iov.api.net.InterfaceName;
import java.util.Objects;

/**
 * A macvlan to create: {@code ip link add NAME link PARENT type macvlan mode MODE}.
 *
 * @param name the new link
 * @param parent the link it sits on
 * @param mode how it forwards to its siblings
 */
public record MacvlanSpec(InterfaceName name, InterfaceName parent, MacvlanMode mode) {

    /**
     * Checks that no part is null.
     *
     * @param name the new link
     * @param parent the link it sits on
     * @param mode how it forwards to its siblings
     */
    public MacvlanSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(mode, "mode");
    }
}
