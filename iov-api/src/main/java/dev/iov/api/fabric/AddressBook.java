package dev.iov.api.fabric;

import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.UplinkKind;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PKey;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.store.StoreOp;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric's four pools: vNIC MACs and GUIDs, network VLANs and P_Keys. After a restart the pools are rebuilt from
 * the store ({@link #adopt(VnicAddresses, String)}, {@link #adoptSegment}), so the caller need not keep pool
 * instances: a value recorded outside the pool given now cannot be allocated from it anyway and is only logged.
 */
final class AddressBook {
    private static final Logger LOG = LoggerFactory.getLogger(AddressBook.class);

    private final AddressPool<MacAddress> macs;
    private final AddressPool<Guid> guids;
    private final AddressPool<VlanId> vlans;
    private final AddressPool<PKey> pkeys;

    AddressBook(AddressPool<MacAddress> macs, AddressPool<Guid> guids, AddressPool<VlanId> vlans,
            AddressPool<PKey> pkeys) {
        this.macs = macs;
        this.guids = guids;
        this.vlans = vlans;
        this.pkeys = pkeys;
    }

    // -------------------------------------------------------------------------------------------- addresses

    /** Takes a vNIC's MAC or GUID (the spec's fixed one, or the next free); the undo log gives it back. */
    VnicAddresses allocate(VnicSpec spec, Network network, UndoLog undo) {
        if (network.kind().uplinkKind() == UplinkKind.ETHERNET) {
            MacAddress mac = take(macs, spec.mac(), "MAC", spec.id());
            undo.push("MAC " + mac, () -> macs.release(mac));
            return VnicAddresses.ofMac(mac);
        }
        Guid guid = take(guids, spec.guid(), "GUID", spec.id());
        undo.push("GUID " + guid, () -> guids.release(guid));
        return VnicAddresses.ofGuid(guid);
    }

    /**
     * Takes a vNIC's MAC or GUID in the same store transaction as its record: {@code transaction} gets the addresses
     * and the pool's steps to commit with its own. A fixed address is reserved first (no steps). The undo log gives
     * the address back.
     */
    <R> R allocateWith(VnicSpec spec, Network network, UndoLog undo,
            BiFunction<VnicAddresses, List<StoreOp>, R> transaction) {
        boolean ethernet = network.kind().uplinkKind() == UplinkKind.ETHERNET;
        Optional<?> fixed = ethernet ? spec.mac() : spec.guid();
        if (fixed.isPresent()) {
            VnicAddresses addresses = allocate(spec, network, undo);
            return transaction.apply(addresses, List.of());
        }
        if (ethernet) {
            record Taken<R>(MacAddress mac, R result) {
            }
            Taken<R> taken = macs.allocateWith((mac, ops) -> new Taken<>(mac, transaction.apply(
                    VnicAddresses.ofMac(mac), ops)));
            undo.push("MAC " + taken.mac(), () -> macs.release(taken.mac()));
            return taken.result();
        }
        record Taken<R>(Guid guid, R result) {
        }
        Taken<R> taken = guids.allocateWith((guid, ops) -> new Taken<>(guid, transaction.apply(
                VnicAddresses.ofGuid(guid), ops)));
        undo.push("GUID " + taken.guid(), () -> guids.release(taken.guid()));
        return taken.result();
    }

    /** @return true when a vNIC's address is taken by the same store transaction as its record (a shared pool) */
    boolean takenInTransaction(VnicSpec spec, Network network) {
        boolean ethernet = network.kind().uplinkKind() == UplinkKind.ETHERNET;
        boolean fixed = ethernet ? spec.mac().isPresent() : spec.guid().isPresent();
        return !fixed && (ethernet ? macs : guids).isShared();
    }

    private static <T> T take(AddressPool<T> pool, Optional<T> fixed, String what, VnicId id) {
        if (fixed.isEmpty()) {
            return pool.allocate();
        }
        T value = fixed.get();
        if (!pool.contains(value)) {
            throw new IllegalArgumentException("vNIC '" + id + "': " + what + " " + value + " is outside the "
                    + pool.name() + "; fixed addresses must come from the pool so that no two vNICs share one");
        }
        pool.reserve(value);
        return value;
    }

    void release(VnicAddresses addresses) {
        addresses.mac().ifPresent(macs::release);
        addresses.guid().ifPresent(guids::release);
    }

    /** Marks a recorded vNIC's addresses as taken. */
    void adopt(VnicAddresses addresses, String source) {
        addresses.mac().ifPresent(mac -> adopt(macs, mac, source));
        addresses.guid().ifPresent(guid -> adopt(guids, guid, source));
    }

    private static <T> void adopt(AddressPool<T> pool, T value, String source) {
        if (!pool.contains(value)) {
            LOG.warn("{}: {} is outside the {}; it stays with its vNIC and the pool cannot hand it out", source, value,
                    pool.name());
            return;
        }
        try {
            pool.adopt(value);
        } catch (IllegalArgumentException e) {
            throw new FabricException("load", source + ": " + e.getMessage(), e);
        }
    }

    // --------------------------------------------------------------------------------------------- segments

    /** Takes a network's segment from the VLAN or P_Key pool, for {@code createNetwork}. */
    Network allocateNetwork(NetworkId id, NetworkKind kind) {
        return switch (kind) {
            case VLAN -> new Network(id, kind, vlans.allocate().value(), Network.DEFAULT_MTU, Optional.empty());
            case IB_PARTITION -> Network.ibPartition(id.value(), pkeys.allocate());
            default -> throw new IllegalArgumentException("network '" + id
                    + "': choose the VNI of a VXLAN network and use defineNetwork");
        };
    }

    /** Takes the segment of a network being defined, when it lies in a pool (others are not iov's to take). */
    void reserveSegment(Network network) {
        pooledSegment(network).ifPresent(PooledSegment::reserve);
    }

    /** Marks the segment of a recorded network as taken. */
    void adoptSegment(Network network, String source) {
        try {
            pooledSegment(network).ifPresent(PooledSegment::adopt);
        } catch (IllegalArgumentException e) {
            throw new FabricException("load", source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes the segment of a network another management node defined, so that this node's pool does not hand it
     * out. A shared pool already knows it; a value taken here meanwhile is left as it is (its claim in the store
     * decides).
     */
    void followSegment(Network network) {
        pooledSegment(network).filter(PooledSegment::isFreeHere).ifPresent(PooledSegment::adopt);
    }

    /** Gives back the segment of a network another management node removed; a shared pool was told already. */
    void unfollowSegment(Network network) {
        pooledSegment(network).filter(s -> !s.pool().isShared()).ifPresent(PooledSegment::release);
    }

    /**
     * Takes the addresses of a vNIC another management node recorded, in this node's pools; a shared pool already
     * knows them.
     */
    void follow(VnicAddresses addresses) {
        addresses.mac().ifPresent(mac -> follow(macs, mac));
        addresses.guid().ifPresent(guid -> follow(guids, guid));
    }

    /** Gives back the addresses of a vNIC another management node released; a shared pool was told already. */
    void unfollow(VnicAddresses addresses) {
        if (!macs.isShared()) {
            addresses.mac().ifPresent(macs::release);
        }
        if (!guids.isShared()) {
            addresses.guid().ifPresent(guids::release);
        }
    }

    private static <T> void follow(AddressPool<T> pool, T value) {
        if (!pool.isShared() && pool.contains(value) && !pool.isAllocated(value)) {
            pool.adopt(value);
        }
    }

    void releaseSegment(Network network) {
        pooledSegment(network).ifPresent(PooledSegment::release);
    }

    private Optional<PooledSegment<?>> pooledSegment(Network network) {
        return switch (network.kind()) {
            case VLAN -> PooledSegment.of(vlans, VlanId.of(network.segment()));
            case IB_PARTITION -> PooledSegment.of(pkeys, network.pkey());
            default -> Optional.empty(); // VNIs are not pooled; defineNetwork checks them for uniqueness.
        };
    }

    /** One value of one pool, so that reserve, adopt and release need no switch over network kinds each. */
    private record PooledSegment<T>(AddressPool<T> pool, T value) {
        static <T> Optional<PooledSegment<?>> of(AddressPool<T> pool, T value) {
            return pool.contains(value) ? Optional.of(new PooledSegment<>(pool, value)) : Optional.empty();
        }

        void reserve() {
            pool.reserve(value);
        }

        void adopt() {
            pool.adopt(value);
        }

        void release() {
            pool.release(value);
        }

        /** @return true when the pool is this process's own and the value is free in it */
        boolean isFreeHere() {
            return !pool.isShared() && !pool.isAllocated(value);
        }
    }
}
