package dev.iov.linux.netlink;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.linux.Errno;
import dev.iov.linux.LinuxException;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.NoSuchDeviceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed rtnetlink operations on the links and addresses of one network namespace: what {@code ip link} and
 * {@code ip addr} do, as single netlink round trips instead of forked processes.
 *
 * <pre>{@code
 * try (Rtnetlink rtnl = Rtnetlink.open(namespace)) {
 *     rtnl.createVeth(VethSpec.of(InterfaceName.of("v0"), InterfaceName.of("v1")));
 *     rtnl.setMtu(InterfaceName.of("v0"), 1400);
 *     rtnl.setUp(InterfaceName.of("v0"));
 *     rtnl.links().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Links are addressed by name; the kernel resolves it ({@code IFLA_IFNAME} with {@code ifi_index} 0), which
 * saves the look-up iproute2 makes first. Where the kernel wants an index inside a request (a master, a parent, an
 * address's interface) it is looked up first with one {@code RTM_GETLINK}. Every failure is a
 * {@link LinuxException} subclass naming the operation and the interface, e.g. {@code set VF 0 on 'veth0' failed:
 * EOPNOTSUPP (95) ...}. Requests are serialised on the underlying {@link RtnetlinkClient}, so an instance may be
 * shared between threads.
 */
public final class Rtnetlink implements AutoCloseable {

    private final RtnetlinkClient client;
    private final LinkParser linkParser = new LinkParser();
    private final AddressParser addressParser = new AddressParser();

    /**
     * Wraps a client.
     *
     * @param client the client to send requests with; closed by {@link #close()}
     */
    public Rtnetlink(RtnetlinkClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Opens operations on the caller's network namespace.
     *
     * @return the operations; close them to close the socket
     * @throws LinuxException when the netlink socket cannot be opened
     */
    public static Rtnetlink open() {
        return new Rtnetlink(RtnetlinkClient.open());
    }

    /**
     * Opens operations on another network namespace.
     *
     * @param namespace the namespace every operation acts in
     * @return the operations; close them to close the socket
     * @throws LinuxException when the netlink socket cannot be opened
     */
    public static Rtnetlink open(NetworkNamespace namespace) {
        return new Rtnetlink(RtnetlinkClient.open(namespace));
    }

    /** @return the client underneath, for requests this class does not offer */
    public RtnetlinkClient client() {
        return client;
    }

    // ---- reading ----------------------------------------------------------------------------------------------

    /**
     * Lists every link ({@code ip link show}).
     *
     * @return the links in the kernel's order (by index)
     */
    public List<LinkInfo> links() {
        List<LinkInfo> links = new ArrayList<>();
        client.execute((w, b) -> LinkRequests.dump(w, b, 0), new ResponseHandler() {
            @Override
            public void onMessage(MessageReader message) {
                if (message.type() == NetlinkConstants.RTM_NEWLINK) {
                    links.add(linkParser.parse(message));
                }
            }

            @Override
            public void onRestart() {
                links.clear();
            }
        }, "list links", null);
        return links;
    }

    /**
     * Reads one link.
     *
     * @param name the interface name
     * @return the link, or empty when there is none of that name
     */
    public Optional<LinkInfo> link(InterfaceName name) {
        return get(LinkSelector.byName(name), 0, "get link");
    }

    /**
     * Reads one link.
     *
     * @param index the interface index
     * @return the link, or empty when there is none with that index
     */
    public Optional<LinkInfo> link(int index) {
        return get(LinkSelector.byIndex(index), 0, "get link");
    }

    /**
     * Looks up an interface index.
     *
     * @param name the interface name
     * @return its index
     * @throws NoSuchDeviceException when there is no such interface
     */
    public int indexOf(InterfaceName name) {
        return require(name, get(LinkSelector.byName(name), NetlinkConstants.RTEXT_FILTER_SKIP_STATS,
                "look up link")).index();
    }

    /**
     * Reads the VF settings of an SR-IOV PF ({@code ip link show PF}, VF lines).
     *
     * @param pf the PF
     * @return its VFs; empty for a link without VFs (or a driver that reports none)
     * @throws NoSuchDeviceException when there is no such interface
     */
    public List<VfInfo> vfs(InterfaceName pf) {
        return require(pf, get(LinkSelector.byName(pf), NetlinkConstants.RTEXT_FILTER_VF, "get VF info")).vfs();
    }

    /**
     * Lists the IPv4 and IPv6 addresses of an interface ({@code ip addr show dev DEV}).
     *
     * @param name the interface
     * @return its addresses, including kernel-assigned ones such as IPv6 link-local
     * @throws NoSuchDeviceException when there is no such interface
     */
    public List<CidrAddress> addresses(InterfaceName name) {
        int index = indexOf(name);
        List<CidrAddress> addresses = new ArrayList<>();
        client.execute((w, b) -> AddressRequests.dump(w, b, NetlinkConstants.AF_UNSPEC), new ResponseHandler() {
            @Override
            public void onMessage(MessageReader message) {
                // The dump covers every interface: the kernel filters by index only in strict mode.
                if (message.type() == NetlinkConstants.RTM_NEWADDR && addressParser.parse(message).index() == index) {
                    addresses.add(addressParser.address());
                }
            }

            @Override
            public void onRestart() {
                addresses.clear();
            }
        }, "list addresses", name.value());
        return addresses;
    }

    // ---- creating and deleting --------------------------------------------------------------------------------

    /**
     * Creates a veth pair ({@code ip link add NAME type veth peer name PEER [netns NS]}).
     *
     * @param spec the pair
     * @throws dev.iov.linux.AlreadyExistsException when a link of either name exists
     */
    public void createVeth(VethSpec spec) {
        client.execute((w, b) -> LinkRequests.createVeth(w, b, spec), "create veth", spec.name().value());
    }

    /**
     * Creates a bridge ({@code ip link add NAME type bridge}).
     *
     * @param name the bridge
     * @throws dev.iov.linux.AlreadyExistsException when a link of that name exists
     */
    public void createBridge(InterfaceName name) {
        client.execute((w, b) -> LinkRequests.createBridge(w, b, name), "create bridge", name.value());
    }

    /**
     * Creates a VXLAN link ({@code ip link add NAME type vxlan id VNI ...}).
     *
     * @param spec the tunnel
     * @throws NoSuchDeviceException when its device does not exist
     */
    public void createVxlan(VxlanSpec spec) {
        int device = spec.device().isPresent() ? indexOf(spec.device().get()) : 0;
        client.execute((w, b) -> LinkRequests.createVxlan(w, b, spec, device), "create vxlan", spec.name().value());
    }

    /**
     * Creates a macvlan ({@code ip link add NAME link PARENT type macvlan mode MODE}).
     *
     * @param spec the macvlan
     * @throws NoSuchDeviceException when its parent does not exist
     */
    public void createMacvlan(MacvlanSpec spec) {
        int parent = indexOf(spec.parent());
        client.execute((w, b) -> LinkRequests.createMacvlan(w, b, spec, parent), "create macvlan",
                spec.name().value());
    }

    /**
     * Creates an IPoIB child for a partition ({@code ip link add link PARENT name NAME type ipoib pkey P}).
     *
     * @param spec the child
     * @throws NoSuchDeviceException when its parent does not exist
     * @throws dev.iov.linux.NotSupportedException when the kernel has no IPoIB driver
     */
    public void createIpoibChild(IpoibSpec spec) {
        int parent = indexOf(spec.parent());
        client.execute((w, b) -> LinkRequests.createIpoib(w, b, spec, parent), "create IPoIB child",
                spec.name().value());
    }

    /**
     * Deletes a link ({@code ip link del DEV}); deleting one end of a veth deletes both.
     *
     * @param name the link
     * @throws NoSuchDeviceException when there is no such link
     */
    public void deleteLink(InterfaceName name) {
        client.execute((w, b) -> LinkRequests.delete(w, b, LinkSelector.byName(name)), "delete link", name.value());
    }

    // ---- changing ---------------------------------------------------------------------------------------------

    /**
     * Applies several changes in one request ({@code ip link set DEV ...}).
     *
     * @param name the link
     * @param change the changes
     */
    public void change(InterfaceName name, LinkChange change) {
        change(name, change, "change link");
    }

    /**
     * Sets a link administratively up ({@code ip link set DEV up}).
     *
     * @param name the link
     */
    public void setUp(InterfaceName name) {
        change(name, LinkChange.builder().up(true).build(), "set up");
    }

    /**
     * Sets a link administratively down ({@code ip link set DEV down}).
     *
     * @param name the link
     */
    public void setDown(InterfaceName name) {
        change(name, LinkChange.builder().up(false).build(), "set down");
    }

    /**
     * Sets the MTU ({@code ip link set DEV mtu N}).
     *
     * @param name the link
     * @param mtu the MTU in bytes
     * @throws dev.iov.linux.InvalidArgumentException when the driver does not accept the MTU
     */
    public void setMtu(InterfaceName name, int mtu) {
        change(name, LinkChange.builder().mtu(mtu).build(), "set MTU");
    }

    /**
     * Sets the MAC address ({@code ip link set DEV address M}).
     *
     * @param name the link
     * @param mac the address
     */
    public void setMacAddress(InterfaceName name, MacAddress mac) {
        change(name, LinkChange.builder().macAddress(mac).build(), "set MAC address");
    }

    /**
     * Sets the link's alias ({@code ip link set DEV alias TEXT}); {@link LinkInfo#alias()} reads it back.
     *
     * @param name the link
     * @param alias 1 to {@value LinkChange#MAX_ALIAS_BYTES} bytes, see {@link LinkChange.Builder#alias}
     * @throws IllegalArgumentException when the alias is not acceptable, naming it
     */
    public void setAlias(InterfaceName name, String alias) {
        change(name, LinkChange.builder().alias(alias).build(), "set alias");
    }

    /**
     * Enslaves a link to a bridge or bond ({@code ip link set DEV master M}).
     *
     * @param name the link
     * @param master the master
     * @throws NoSuchDeviceException when the master does not exist
     */
    public void setMaster(InterfaceName name, InterfaceName master) {
        change(name, LinkChange.builder().master(indexOf(master)).build(), "set master");
    }

    /**
     * Releases a link from its master ({@code ip link set DEV nomaster}).
     *
     * @param name the link
     */
    public void clearMaster(InterfaceName name) {
        change(name, LinkChange.builder().noMaster().build(), "clear master");
    }

    /**
     * Moves a link to another network namespace ({@code ip link set DEV netns NS}). It keeps its name there and
     * disappears from this namespace.
     *
     * @param name the link
     * @param target the namespace
     */
    public void moveToNamespace(InterfaceName name, TargetNamespace target) {
        change(name, LinkChange.builder().namespace(target).build(), "move to namespace");
    }

    /**
     * Adds an address ({@code ip addr add ADDRESS/LEN dev DEV}).
     *
     * @param name the interface
     * @param address the address and prefix length
     * @throws dev.iov.linux.AlreadyExistsException when the interface already has the address
     */
    public void addAddress(InterfaceName name, CidrAddress address) {
        int index = indexOf(name);
        client.execute((w, b) -> AddressRequests.add(w, b, index, address), "add address " + address,
                name.value());
    }

    /**
     * Removes an address ({@code ip addr del ADDRESS/LEN dev DEV}).
     *
     * @param name the interface
     * @param address the address and prefix length
     * @throws dev.iov.linux.LinuxException {@code EADDRNOTAVAIL} when the interface does not have the address
     */
    public void removeAddress(InterfaceName name, CidrAddress address) {
        int index = indexOf(name);
        client.execute((w, b) -> AddressRequests.remove(w, b, index, address), "remove address " + address,
                name.value());
    }

    /**
     * Changes the settings of one VF of an SR-IOV PF ({@code ip link set PF vf N ...}). When only one of the two
     * rates is given, the VF's current rates are read first (one {@code RTM_GETLINK} of the PF with
     * {@code RTEXT_FILTER_VF}; iproute2 6.1 dumps every link for this) and the other is kept, as iproute2 does; a VF
     * the PF does not report counts as having no limits (iproute2 sends 0 then too). Reading and writing are two
     * requests, so a concurrent change of the other rate in between is overwritten, as with iproute2.
     *
     * @param pf the PF
     * @param config the settings
     * @throws dev.iov.linux.NotSupportedException when the device has no VFs of that kind (e.g. a veth)
     */
    public void setVf(InterfaceName pf, VfConfig config) {
        VfConfig complete = config;
        if (config.needsCurrentRates()) {
            Bandwidth min = Bandwidth.ZERO;
            Bandwidth max = Bandwidth.ZERO;
            for (VfInfo vf : vfs(pf)) {
                if (vf.vf() == config.vf()) {
                    min = vf.minTxRate();
                    max = vf.maxTxRate();
                }
            }
            complete = config.withCurrentRates(min, max);
        }
        VfConfig request = complete;
        client.execute((w, b) -> VfRequests.set(w, b, LinkSelector.byName(pf), request), "set VF " + config.vf(),
                pf.value());
    }

    /** Closes the netlink socket. */
    @Override
    public void close() {
        client.close();
    }

    private void change(InterfaceName name, LinkChange change, String operation) {
        client.execute((w, b) -> LinkRequests.change(w, b, LinkSelector.byName(name), change), operation,
                name.value());
    }

    private Optional<LinkInfo> get(LinkSelector link, int extMask, String operation) {
        LinkInfo[] found = new LinkInfo[1];
        try {
            client.execute((w, b) -> LinkRequests.get(w, b, link, extMask), message -> {
                if (message.type() == NetlinkConstants.RTM_NEWLINK) {
                    found[0] = linkParser.parse(message);
                }
            }, operation, link.toString());
        } catch (NoSuchDeviceException absent) {
            return Optional.empty();
        }
        return Optional.ofNullable(found[0]);
    }

    private static LinkInfo require(InterfaceName name, Optional<LinkInfo> link) {
        return link.orElseThrow(() -> LinuxException.of(Errno.ENODEV.number(), "look up link", name.value()));
    }

    @Override
    public String toString() {
        return "Rtnetlink[" + client + "]";
    }
}
