package dev.iov.sriov;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.linux.netlink.VethSpec;
import dev.iov.testing.TestNamespaces;

/**
 * A network namespace of the test's own ({@code iov-t-…}) holding one veth pair, and a netlink connection into it:
 * the stand-in for a PF netdev when a test proves that a VF request reaches the real kernel (a veth has no VFs, so
 * the kernel answers EOPNOTSUPP). Closing it deletes the namespace and with it the pair.
 */
public final class VethNamespace implements AutoCloseable {

    private final NetworkNamespace namespace;
    private final Rtnetlink rtnl;
    private final InterfaceName name;

    private VethNamespace(NetworkNamespace namespace, Rtnetlink rtnl, InterfaceName name) {
        this.namespace = namespace;
        this.rtnl = rtnl;
        this.name = name;
    }

    /**
     * @param name the veth end tests use; its peer is {@code name + "p"}
     * @return the namespace with the pair in it
     */
    public static VethNamespace create(String name) {
        NetworkNamespace namespace = NetworkNamespace.create(
                TestNamespaces.uniqueName());
        Rtnetlink rtnl = null;
        try {
            rtnl = Rtnetlink.open(namespace);
            rtnl.createVeth(VethSpec.of(InterfaceName.of(name), InterfaceName.of(name + "p")));
            return new VethNamespace(namespace, rtnl, InterfaceName.of(name));
        } catch (RuntimeException e) {
            if (rtnl != null) {
                rtnl.close();
            }
            namespace.close();
            throw e;
        }
    }

    /** @return the namespace, for running code inside it */
    public NetworkNamespace namespace() {
        return namespace;
    }

    /** @return the netlink connection inside the namespace */
    public Rtnetlink rtnl() {
        return rtnl;
    }

    /** @return the veth end's name */
    public InterfaceName name() {
        return name;
    }

    @Override
    public void close() {
        try {
            rtnl.close();
        } finally {
            namespace.close();
        }
    }
}
