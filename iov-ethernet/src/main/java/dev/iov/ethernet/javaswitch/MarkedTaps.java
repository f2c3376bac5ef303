package dev.iov.ethernet.javaswitch;

import dev.iov.api.model.VnicId;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.linux.NoSuchDeviceException;
import dev.iov.linux.TapDevice;
import dev.iov.linux.netlink.LinkChange;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.Rtnetlink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The kernel side of one {@code java-switch} backend's TAPs: how a vNIC's TAP is made (persistent, so that the VM's
 * NIC outlives the manager, and marked with its owner), found again after a restart, reopened, and deleted — over
 * {@code /dev/net/tun} and rtnetlink, in whichever namespace the TAP lives. It knows nothing of the switch.
 *
 * <p>The mark is the interface alias {@code iov:<backend-id>:<vnic-id>} ({@code ip link show} prints it): the host
 * itself says which vNIC a TAP belongs to, so a restarted backend adopts only TAPs marked for the vNIC the store
 * names, and deletes only TAPs marked as its own. A vNIC id has no {@code :}, so the owner is the text after the last
 * one.
 */
final class MarkedTaps {

    /** What every alias iov writes starts with. */
    static final String MARK_PREFIX = "iov:";
    /** The longest vNIC id, which the alias must have room for. */
    private static final int MAX_VNIC_ID = 64;
    /** {@code IFLA_INFO_KIND} of TUN and TAP devices. */
    private static final String TUN_KIND = "tun";

    private final String backendId;
    private final String markPrefix;
    private final boolean persistent;

    /**
     * @param backendId the backend whose TAPs these are
     * @param persistent whether TAPs are made to outlive their descriptors
     * @throws IllegalArgumentException when the backend id cannot be part of an alias, naming it
     */
    MarkedTaps(String backendId, boolean persistent) {
        this.backendId = Objects.requireNonNull(backendId, "backendId");
        this.markPrefix = MARK_PREFIX + backendId + ":";
        this.persistent = persistent;
        int room = LinkChange.MAX_ALIAS_BYTES - MAX_VNIC_ID;
        if (markPrefix.getBytes(StandardCharsets.UTF_8).length > room) {
            throw new IllegalArgumentException("java-switch backend id '" + backendId + "' is too long to mark its "
                    + "TAPs with: the alias " + MARK_PREFIX + "<backend-id>:<vnic-id> must fit in "
                    + LinkChange.MAX_ALIAS_BYTES + " bytes, so the id may have at most "
                    + (room - MARK_PREFIX.length() - 1) + " bytes of UTF-8");
        }
        if (backendId.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("java-switch backend id '" + backendId.replace("\n", "\\n")
                    + "' contains a control character, which a TAP's alias cannot hold");
        }
    }

    /** @return whether TAPs are made persistent */
    boolean persistent() {
        return persistent;
    }

    /**
     * @param vnic a vNIC
     * @return the alias its TAP carries
     */
    String mark(VnicId vnic) {
        return markPrefix + vnic.value();
    }

    /**
     * @param link a link
     * @return the vNIC the link is marked for, when it is a TAP carrying this backend's mark; empty for anything
     *     else (another backend's TAP, a TAP without alias, a device that is not a TAP)
     */
    Optional<VnicId> ownerOf(LinkInfo link) {
        if (!link.kind().equals(Optional.of(TUN_KIND)) || link.alias().isEmpty()
                || !link.alias().get().startsWith(markPrefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(VnicId.of(link.alias().get().substring(markPrefix.length())));
        } catch (IllegalArgumentException notAVnicId) {
            return Optional.empty();
        }
    }

    /**
     * @param link a link
     * @param vnic a vNIC
     * @return whether the link is a TAP of this backend marked for that vNIC
     */
    boolean isMarkedFor(LinkInfo link, VnicId vnic) {
        return ownerOf(link).equals(Optional.of(vnic));
    }

    /**
     * @param link a link
     * @return what it is, for messages: {@code TAP iov1a2b3c4d with alias 'iov:h1/java-switch:web-7'},
     *     {@code TAP iov1a2b3c4d without alias}, {@code veth device iov1a2b3c4d without alias}
     */
    static String describe(LinkInfo link) {
        String what = link.kind().equals(Optional.of(TUN_KIND)) ? "TAP"
                : link.kind().map(k -> k + " device").orElse("device");
        return what + " " + link.name() + link.alias().map(a -> " with alias '" + a + "'").orElse(" without alias");
    }

    /**
     * @param namespace where to look
     * @param name an interface name
     * @return the link of that name there, if any
     */
    Optional<LinkInfo> find(TapNamespace namespace, InterfaceName name) {
        try (Rtnetlink rtnl = namespace.rtnetlink()) {
            return rtnl.link(name);
        }
    }

    /**
     * @param namespace where to look
     * @return every TAP there that carries this backend's mark
     */
    List<LinkInfo> marked(TapNamespace namespace) {
        try (Rtnetlink rtnl = namespace.rtnetlink()) {
            return rtnl.links().stream().filter(link -> ownerOf(link).isPresent()).toList();
        }
    }

    /**
     * Creates a vNIC's TAP: a new device (never one that exists), marked for the vNIC, persistent if so configured,
     * with the vNIC's MAC and the network's MTU, up. On failure the device is removed again.
     *
     * @param namespace where it goes
     * @param name its name
     * @param vnic its owner
     * @param mac the vNIC's MAC
     * @param mtu the network's MTU
     * @return the open device, one descriptor
     * @throws dev.iov.linux.AlreadyExistsException when a device of that name exists there
     * @throws dev.iov.linux.LinuxException when the kernel refuses a step
     */
    TapDevice create(TapNamespace namespace, InterfaceName name, VnicId vnic, MacAddress mac, int mtu) {
        TapDevice tap = namespace.handle().isPresent() ? TapDevice.createNew(name.value(), false,
                namespace.handle().get()) : TapDevice.createNew(name.value(), false);
        try (Rtnetlink rtnl = namespace.rtnetlink()) {
            // Marked before it can outlive this process: a TAP left by a crash is always one iov can tell as its own
            // (and abandon can remove), never an anonymous device.
            rtnl.setAlias(name, mark(vnic));
            if (persistent) {
                tap.setPersistent(true);
            }
            rtnl.change(name, LinkChange.builder().macAddress(mac).mtu(mtu).up(true).build());
            return tap;
        } catch (RuntimeException e) {
            discard(namespace, tap, e);
            throw e;
        }
    }

    /**
     * Opens a descriptor on an existing TAP (never creating one).
     *
     * @param namespace where it is
     * @param name its name
     * @return the open device
     * @throws NoSuchDeviceException when there is no persistent TAP of that name
     * @throws dev.iov.linux.DeviceBusyException when another descriptor has it (a manager still running)
     */
    TapDevice reopen(TapNamespace namespace, InterfaceName name) {
        return namespace.handle().isPresent() ? TapDevice.attach(name.value(), false, namespace.handle().get())
                : TapDevice.attach(name.value(), false);
    }

    /**
     * Gives an existing TAP the vNIC's MAC and the network's MTU, and brings it up.
     *
     * @param namespace where it is
     * @param name its name
     * @param mac the vNIC's MAC
     * @param mtu the network's MTU
     */
    void configure(TapNamespace namespace, InterfaceName name, MacAddress mac, int mtu) {
        try (Rtnetlink rtnl = namespace.rtnetlink()) {
            rtnl.change(name, LinkChange.builder().macAddress(mac).mtu(mtu).up(true).build());
        }
    }

    /**
     * Deletes a TAP if it is marked for the vNIC; leaves anything else alone.
     *
     * @param namespace where to look
     * @param name its name
     * @param vnic the vNIC it must be marked for
     * @return the link that was left because it is not that vNIC's TAP; empty when it was deleted or was not there
     */
    Optional<LinkInfo> deleteIfMarkedFor(TapNamespace namespace, InterfaceName name, VnicId vnic) {
        try (Rtnetlink rtnl = namespace.rtnetlink()) {
            Optional<LinkInfo> link = rtnl.link(name);
            if (link.isEmpty()) {
                return Optional.empty();
            }
            if (!isMarkedFor(link.get(), vnic)) {
                return link;
            }
            try {
                rtnl.deleteLink(name);
            } catch (NoSuchDeviceException goneMeanwhile) {
                // deleted by someone else between the look-up and the delete: what was asked
            }
            return Optional.empty();
        }
    }

    /** Removes a device this process just created, whatever step failed; failures are added to {@code cause}. */
    private void discard(TapNamespace namespace, TapDevice tap, RuntimeException cause) {
        try {
            if (persistent) {
                tap.setPersistent(false);
            }
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            try (Rtnetlink rtnl = namespace.rtnetlink()) {
                rtnl.deleteLink(InterfaceName.of(tap.name()));
            } catch (RuntimeException deleteFailed) {
                cause.addSuppressed(deleteFailed);
            }
        } finally {
            // The only descriptor of a non-persistent device: closing it removes the device.
            tap.close();
        }
    }

    @Override
    public String toString() {
        return "MarkedTaps[" + markPrefix + "*" + (persistent ? ", persistent" : "") + "]";
    }
}
