package dev.iov.linux.netlink;

import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.PKey;
import java.util.Objects;

/**
 * An IPoIB child interface to create for a partition: {@code ip link add link PARENT name NAME type ipoib pkey P}.
 *
 * @param name the new link
 * @param parent the IPoIB parent (e.g. {@code ib0})
 * @param pkey the partition key the child joins
 */
public record IpoibSpec(InterfaceName name, InterfaceName parent, PKey pkey) {

    /**
     * Checks that no part is null.
     *
     * @param name the new link
     * @param parent the IPoIB parent (e.g. {@code ib0})
     * @param pkey the partition key the child joins
     */
    public IpoibSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(pkey, "pkey");
    }
}
