package dev.iov.ethernet.ovs;

import dev.iov.linux.NetworkNamespace;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test fixture: private OVS daemons with ovs-vswitchd in a namespace of its own, so the bridges' devices never
 * appear in the host's namespace. Closing stops the daemons, then deletes the namespace.
 */
public final class PrivateOvs implements AutoCloseable {

    private final NetworkNamespace namespace;
    private final OvsDaemons daemons;

    private PrivateOvs(NetworkNamespace namespace, OvsDaemons daemons) {
        this.namespace = namespace;
        this.daemons = daemons;
    }

    /** @return running daemons in a new namespace */
    public static PrivateOvs start() {
        NetworkNamespace namespace = NetworkNamespace.create("iov-t-ovsd-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000)));
        try {
            return new PrivateOvs(namespace, OvsDaemons.start(namespace));
        } catch (RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
    }

    /** @return the daemons */
    public OvsDaemons daemons() {
        return daemons;
    }

    /** @return ovs-vswitchd's namespace */
    public NetworkNamespace namespace() {
        return namespace;
    }

    @Override
    public void close() {
        try {
            daemons.close();
        } finally {
            namespace.close();
        }
    }
}
