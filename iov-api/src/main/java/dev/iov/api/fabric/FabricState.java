package dev.iov.api.fabric;

import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.spi.IoBackend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric's model in memory: hosts with their backends and the admission sums of their uplinks, the declared
 * networks, the vNICs with their records' versions, and which vNICs an operation is changing ("busy") or has left in
 * doubt. Everything is guarded by one lock, held only for in-memory work and never across a backend call or a store
 * write, so that operations on different vNICs overlap. Methods other than {@link #locked} expect the caller to hold
 * the lock.
 */
final class FabricState {
    private static final Logger LOG = LoggerFactory.getLogger(FabricState.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<HostId, HostEntry> hosts = new TreeMap<>();
    private final Map<String, IoBackend> backendsById = new HashMap<>();
    private final Map<NetworkId, Stored<Network>> networks = new TreeMap<>();
    private final Map<VnicId, VnicEntry> vnics = new HashMap<>();
    /** vNICs an operation of this process is changing, with their network (so it cannot be removed meanwhile). */
    private final Map<VnicId, NetworkId> busy = new HashMap<>();
    /** vNICs whose store record may hold an intent of this node that nothing in this process is working on. */
    private final Set<VnicId> inDoubt = new HashSet<>();
    /**
     * Addresses of in-doubt provisions that were taken apart from the record write whose outcome is unknown:
     * resolution frees them if the record turns out not to be there.
     */
    private final Map<VnicId, VnicAddresses> unrecorded = new HashMap<>();

    /** A host, the backends that serve it, and the running admission sums of its uplinks. */
    static final class HostEntry {
        final Host host;
        final List<IoBackend> backends;
        final Map<String, UplinkUsage> usage = new LinkedHashMap<>();

        HostEntry(Host host, List<IoBackend> backends) {
            this.host = host;
            this.backends = List.copyOf(backends);
            host.uplinks().forEach(u -> usage.put(u.name(), new UplinkUsage(host.id(), u)));
        }

        List<UplinkUsage> usages() {
            return new ArrayList<>(usage.values());
        }
    }

    void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------- hosts

    /** Adds a host; vNICs already known on it are charged to its uplinks. */
    HostEntry addHost(Host host, List<IoBackend> backends) {
        if (hosts.containsKey(host.id())) {
            throw new IllegalArgumentException("host '" + host.id() + "' is already in the fabric");
        }
        if (host.uplinks().isEmpty()) {
            throw new IllegalArgumentException("host '" + host.id() + "' has no uplinks; a vNIC needs an uplink to "
                    + "be admitted on");
        }
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("host '" + host.id() + "' has no backends; give it at least one "
                    + "(java-switch, ovs, sriov, infiniband, embedded)");
        }
        Set<String> ids = new HashSet<>();
        for (IoBackend backend : backends) {
            Objects.requireNonNull(backend, "backend of host " + host.id());
            if (backendsById.containsKey(backend.id()) || !ids.add(backend.id())) {
                throw new IllegalArgumentException("host '" + host.id() + "': backend id '" + backend.id()
                        + "' is already in use");
            }
        }
        HostEntry entry = new HostEntry(host, backends);
        hosts.put(host.id(), entry);
        backends.forEach(b -> backendsById.put(b.id(), b));
        for (VnicEntry vnic : List.copyOf(vnics.values())) {
            if (vnic.vnic().host().equals(host.id())) {
                vnics.put(vnic.record().id(), charged(vnic));
            }
        }
        return entry;
    }

    HostEntry removeHost(HostId id) {
        HostEntry entry = requireHost(id);
        hosts.remove(id);
        entry.backends.forEach(b -> backendsById.remove(b.id()));
        return entry;
    }

    Optional<HostEntry> host(HostId id) {
        return Optional.ofNullable(hosts.get(id));
    }

    HostEntry requireHost(HostId id) {
        HostEntry host = hosts.get(Objects.requireNonNull(id, "host id"));
        if (host == null) {
            throw new IllegalArgumentException("unknown host '" + id + "'; hosts: " + names(hosts.keySet()));
        }
        return host;
    }

    Collection<HostEntry> hosts() {
        return hosts.values();
    }

    /** @return the sums of a host's uplink, or null when the host or uplink is not in this fabric */
    UplinkUsage usage(HostId host, String uplink) {
        HostEntry entry = hosts.get(host);
        return entry == null ? null : entry.usage.get(uplink);
    }

    Optional<IoBackend> backend(String id) {
        return Optional.ofNullable(backendsById.get(id));
    }

    IoBackend requireBackend(Vnic vnic) {
        IoBackend backend = backendsById.get(vnic.attachment().backendId());
        if (backend == null) {
            throw new FabricException("use " + vnic.id(), "vNIC '" + vnic.id() + "' is on host '" + vnic.host()
                    + "', whose backend '" + vnic.attachment().backendId() + "' is not in the fabric");
        }
        return backend;
    }

    // ---------------------------------------------------------------------------------------------- networks

    Optional<Stored<Network>> network(NetworkId id) {
        return Optional.ofNullable(networks.get(id));
    }

    Network requireNetwork(NetworkId id) {
        Stored<Network> network = networks.get(Objects.requireNonNull(id, "network id"));
        if (network == null) {
            throw new IllegalArgumentException("unknown network '" + id + "'; networks: "
                    + names(networks.keySet()));
        }
        return network.value();
    }

    Collection<Stored<Network>> networks() {
        return networks.values();
    }

    void putNetwork(Network network, long version) {
        networks.put(network.id(), new Stored<>(network, version));
    }

    void removeNetwork(NetworkId id) {
        networks.remove(id);
    }

    /** @return how many vNICs use the network, counting those being provisioned into it */
    long usersOf(NetworkId id) {
        return vnics.values().stream().filter(v -> v.record().spec().network().equals(id)).count()
                + busy.entrySet().stream().filter(b -> b.getValue().equals(id) && !vnics.containsKey(b.getKey()))
                .count();
    }

    // ------------------------------------------------------------------------------------------------- vNICs

    Optional<VnicEntry> vnic(VnicId id) {
        return Optional.ofNullable(vnics.get(Objects.requireNonNull(id, "vNIC id")));
    }

    VnicEntry requireVnic(VnicId id) {
        return vnic(id).orElseThrow(() -> new IllegalArgumentException("unknown vNIC '" + id + "'"));
    }

    Collection<VnicEntry> vnics() {
        return vnics.values();
    }

    boolean exists(VnicId id) {
        return vnics.containsKey(id) || busy.containsKey(id) || inDoubt.contains(id);
    }

    void putVnic(VnicEntry entry) {
        vnics.put(entry.record().id(), entry);
    }

    /** Puts a vNIC read from the store, charged to its uplink when its host is known. */
    void putRecovered(VnicRecord record, long version) {
        vnics.put(record.id(), charged(new VnicEntry(record, version, null)));
    }

    void removeVnic(VnicId id) {
        VnicEntry entry = vnics.remove(id);
        if (entry != null) {
            uncharge(entry.vnic(), entry.charge());
        }
    }

    /**
     * Marks a vNIC as being changed by the calling operation.
     *
     * @throws VnicBusyException when another operation is changing it, or an interrupted one waits for repair
     */
    void markBusy(VnicId id, NetworkId network, String operation) {
        refuseIfBusy(id, operation);
        busy.put(id, network);
    }

    /** @throws VnicBusyException when an operation is changing the vNIC, or an interrupted one waits for repair */
    void refuseIfBusy(VnicId id, String operation) {
        if (inDoubt.contains(id)) {
            throw new VnicBusyException(operation, id, "an interrupted operation on it waits for repair "
                    + "(Fabric.repair(driftReport()) finishes or undoes it)");
        }
        if (busy.containsKey(id)) {
            throw new VnicBusyException(operation, id, "another operation is changing it; try again");
        }
    }

    void clearBusy(VnicId id) {
        busy.remove(id);
    }

    boolean anyBusy() {
        return !busy.isEmpty();
    }

    boolean isBusy(VnicId id) {
        return busy.containsKey(id);
    }

    void addInDoubt(VnicId id) {
        inDoubt.add(id);
    }

    void removeInDoubt(VnicId id) {
        inDoubt.remove(id);
        unrecorded.remove(id);
    }

    /** Marks a provision in doubt; {@code addresses}, if any, were taken apart from its unknown record write. */
    void addInDoubt(VnicId id, Optional<VnicAddresses> addresses) {
        inDoubt.add(id);
        addresses.ifPresent(a -> unrecorded.put(id, a));
    }

    /** @return the addresses an in-doubt provision took apart from its record write, if any */
    Optional<VnicAddresses> unrecorded(VnicId id) {
        return Optional.ofNullable(unrecorded.get(id));
    }

    boolean isInDoubt(VnicId id) {
        return inDoubt.contains(id);
    }

    List<VnicId> inDoubt() {
        return List.copyOf(inDoubt);
    }

    // ------------------------------------------------------------------------------------------------ charges

    /** Charges a vNIC read back from the store, without admission: it exists, whatever the policy says now. */
    private VnicEntry charged(VnicEntry entry) {
        Vnic vnic = entry.vnic();
        if (entry.charge() != null) {
            return entry;
        }
        HostEntry host = hosts.get(vnic.host());
        UplinkUsage usage = host == null ? null : host.usage.get(vnic.uplink());
        if (usage == null) {
            if (host != null) {
                LOG.warn("vNIC {} is on {} uplink '{}', which this fabric does not know; not charged", vnic.id(),
                        vnic.host(), vnic.uplink());
            }
            return entry;
        }
        Charge charge = Charge.of(vnic.spec(), requireNetwork(vnic.spec().network()), usage.uplink);
        usage.add(charge);
        return new VnicEntry(entry.record(), entry.version(), charge);
    }

    /** Takes a vNIC's charge off its uplink; a vNIC on a host the fabric does not know has none. */
    void uncharge(Vnic vnic, Charge charge) {
        if (charge != null) {
            host(vnic.host()).map(h -> h.usage.get(vnic.uplink())).ifPresent(u -> u.remove(charge));
        }
    }

    static String names(Collection<?> ids) {
        return ids.isEmpty() ? "none" : ids.stream().map(Object::toString).reduce((a, b) -> a + ", " + b).get();
    }
}
