package dev.iov.api.fabric;

import dev.iov.api.event.FabricEvent;
import dev.iov.api.event.FabricListener;
import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.UplinkKind;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PKey;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.pool.MacPool;
import dev.iov.api.pool.PKeyPool;
import dev.iov.api.pool.VlanPool;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.store.StateStore;
import dev.iov.api.store.VersionedValue;
import java.time.Clock;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator: the one object an application talks to. It keeps the declared model (networks and vNICs) in a
 * {@link StateStore}, hands out addresses from pools, admits vNICs against uplink capacity, and drives the
 * {@link IoBackend}s of each host.
 *
 * <p>Every operation that changes the world is a sequence of steps (for provision: admit, allocate addresses,
 * attach, record, notify). When step <i>k</i> fails, steps <i>k-1</i> to 1 are undone, newest first, and the
 * original exception is rethrown: a failed call leaves pools, store and backends as they were. Release runs the same
 * steps in reverse order (un-record, detach, free addresses, un-admit), so that its undo is exact too.
 *
 * <p>One case cannot be undone: when undoing a store write fails too (the disk that refused a step refuses its
 * undo), the fabric follows what the store says, reports the port left behind as a
 * {@link FabricEvent.BackendFailed} event, and {@link #driftReport()} lists it for {@link #repair} to remove.
 *
 * <p>Thread-safe. Bookkeeping (admission sums, the vNIC index) is guarded by one lock; vNIC operations hold it only
 * for in-memory work, so backend calls and store writes of different vNICs overlap. Network changes, which are rare,
 * write the store under the lock. A vNIC being changed is marked busy, and a second operation on it fails fast
 * instead of waiting.
 *
 * <p>A fabric reads its store when it is built and then owns the keys under its prefix: admission sums and its index
 * of vNICs live in this process. Several management nodes may share one key prefix when the store and the pools are
 * shared too (iov-store-zookeeper: a {@code ZooKeeperStateStore} and {@code SharedAddressPool}s): compare-and-set
 * on the records and on the pools' bitmaps keeps two nodes from recording the same vNIC or handing out the same
 * address, and each node loads the stored addresses with {@link AddressPool#adopt}. Each node's {@link #vnics()}
 * lists what was in the store when it was built plus what it provisioned since; the store lists every node's.
 */
public final class Fabric implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fabric.class);

    private final StateStore store;
    private final String networkKeys;
    private final String vnicKeys;
    private final AddressPool<MacAddress> macPool;
    private final AddressPool<Guid> guidPool;
    private final AddressPool<VlanId> vlanPool;
    private final AddressPool<PKey> pkeyPool;
    private final Admission admission;
    private final Clock clock;
    private final List<FabricListener> listeners = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    // Everything below is guarded by lock.
    private final Map<HostId, HostEntry> hosts = new TreeMap<>();
    private final Map<String, IoBackend> backendsById = new HashMap<>();
    private final Map<NetworkId, Stored<Network>> networks = new TreeMap<>();
    private final Map<VnicId, VnicEntry> vnics = new HashMap<>();
    private final Map<VnicId, NetworkId> busy = new HashMap<>();
    /** Addresses still held by ports an undo could not remove, by port handle; repair frees them with the port. */
    private final Map<String, VnicAddresses> leftovers = new HashMap<>();

    private record Stored<T>(T value, long version) {
    }

    /** A vNIC, its record's version, and what it is charged on its uplink (null while its host is unknown). */
    private record VnicEntry(Vnic vnic, long version, Charge charge) {
        VnicEntry withVersion(long newVersion) {
            return new VnicEntry(vnic, newVersion, charge);
        }
    }

    private static final class HostEntry {
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

    private Fabric(Builder builder) {
        this.store = builder.store;
        this.networkKeys = builder.keyPrefix + "networks/";
        this.vnicKeys = builder.keyPrefix + "vnics/";
        this.macPool = builder.macPool;
        this.guidPool = builder.guidPool;
        this.vlanPool = builder.vlanPool;
        this.pkeyPool = builder.pkeyPool;
        this.admission = new Admission(builder.policy);
        this.clock = builder.clock;
        this.listeners.addAll(builder.listeners);
    }

    /** @return a builder; a state store is required, everything else has a default */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------------------ hosts

    /**
     * Adds a host and the backends that serve it. vNIC records of that host already in the store are charged to
     * its uplinks.
     *
     * @param host the host
     * @param backends its backends, with ids unique in the fabric
     * @throws IllegalArgumentException when the host is already known or a backend id is taken
     */
    public void addHost(Host host, List<IoBackend> backends) {
        Objects.requireNonNull(host, "host");
        lock.lock();
        try {
            if (hosts.containsKey(host.id())) {
                throw new IllegalArgumentException("host '" + host.id() + "' is already in the fabric");
            }
            Set<String> ids = new HashSet<>();
            for (IoBackend backend : backends) {
                if (backendsById.containsKey(backend.id()) || !ids.add(backend.id())) {
                    throw new IllegalArgumentException("backend id '" + backend.id() + "' is already in use");
                }
            }
            HostEntry entry = new HostEntry(host, backends);
            hosts.put(host.id(), entry);
            backends.forEach(b -> backendsById.put(b.id(), b));
            for (VnicEntry vnic : List.copyOf(vnics.values())) {
                if (vnic.vnic().host().equals(host.id())) {
                    vnics.put(vnic.vnic().id(), chargeRecovered(vnic.vnic(), vnic.version()));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return the hosts, in id order */
    public List<Host> hosts() {
        return locked(() -> hosts.values().stream().map(h -> h.host).toList());
    }

    // --------------------------------------------------------------------------------------------- networks

    /**
     * Declares a network with a chosen segment. Declaring the same network again is a no-op.
     *
     * @param network the network
     * @return the network
     * @throws IllegalArgumentException when the id is taken by a different network or another network of the same
     *     kind has the same segment
     */
    public Network defineNetwork(Network network) {
        Objects.requireNonNull(network, "network");
        lock.lock();
        try {
            Stored<Network> existing = networks.get(network.id());
            if (existing != null) {
                if (existing.value().equals(network)) {
                    return network;
                }
                throw new IllegalArgumentException("network '" + network.id() + "' is already defined as "
                        + existing.value() + ", not " + network);
            }
            for (Stored<Network> other : networks.values()) {
                if (other.value().kind() == network.kind() && other.value().segment() == network.segment()) {
                    throw new IllegalArgumentException(network.kind() + " segment " + network.segment()
                            + " of network '" + network.id() + "' is already used by network '"
                            + other.value().id() + "'");
                }
            }
            Runnable releaseSegment = reserveSegment(network);
            insertNetworkLocked(network, releaseSegment);
            return network;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Declares a network whose segment the fabric chooses from its VLAN or P_Key pool.
     *
     * @param id the network's id
     * @param kind {@link NetworkKind#VLAN} or {@link NetworkKind#IB_PARTITION}
     * @return the network, with its segment
     * @throws IllegalArgumentException when the id is taken, or the kind is VXLAN (whose VNI must be chosen)
     * @throws dev.iov.api.pool.PoolExhaustedException when no segment is free
     */
    public Network createNetwork(NetworkId id, NetworkKind kind) {
        Objects.requireNonNull(id, "network id");
        lock.lock();
        try {
            if (networks.containsKey(id)) {
                throw new IllegalArgumentException("network '" + id + "' is already defined");
            }
            Network network;
            Runnable releaseSegment;
            switch (kind) {
                case VLAN -> {
                    VlanId vlan = vlanPool.allocate();
                    network = new Network(id, kind, vlan.value(), Network.DEFAULT_MTU, Optional.empty());
                    releaseSegment = () -> vlanPool.release(vlan);
                }
                case IB_PARTITION -> {
                    PKey pkey = pkeyPool.allocate();
                    network = Network.ibPartition(id.value(), pkey);
                    releaseSegment = () -> pkeyPool.release(pkey);
                }
                default -> throw new IllegalArgumentException("network '" + id
                        + "': choose the VNI of a VXLAN network and use defineNetwork");
            }
            insertNetworkLocked(network, releaseSegment);
            return network;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a network no vNIC uses.
     *
     * @param id the network
     * @return true when it was removed, false when it was not defined
     * @throws IllegalStateException when vNICs are still attached to it
     */
    public boolean removeNetwork(NetworkId id) {
        lock.lock();
        try {
            Stored<Network> stored = networks.get(id);
            if (stored == null) {
                return false;
            }
            long users = vnics.values().stream().filter(v -> v.vnic().spec().network().equals(id)).count()
                    + busy.entrySet().stream().filter(b -> b.getValue().equals(id) && !vnics.containsKey(b.getKey()))
                    .count();
            if (users > 0) {
                throw new IllegalStateException("network '" + id + "' is in use by " + users + " vNIC(s)");
            }
            store.delete(networkKeys + id, stored.version());
            networks.remove(id);
            releaseSegment(stored.value());
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** @return the declared networks, in id order */
    public List<Network> networks() {
        return locked(() -> networks.values().stream().map(Stored::value).toList());
    }

    /**
     * @param id a network id
     * @return the network, if declared
     */
    public Optional<Network> network(NetworkId id) {
        return locked(() -> Optional.ofNullable(networks.get(id)).map(Stored::value));
    }

    // ------------------------------------------------------------------------------------------------ vNICs

    /**
     * Provisions a vNIC on a host: admission control, addresses from the pools, the backend's port, the record.
     *
     * @param hostId the host the VM runs on
     * @param spec what the VM needs
     * @return the vNIC
     * @throws IllegalArgumentException when the host or network is unknown, the vNIC id is taken, or a fixed
     *     address is outside its pool or in use
     * @throws AdmissionException when no backend and uplink of the host can take the vNIC
     * @throws dev.iov.api.pool.PoolExhaustedException when no address is free
     * @throws dev.iov.api.spi.BackendException when the backend fails
     * @throws dev.iov.api.store.StoreException when the record cannot be written
     */
    public Vnic provision(HostId hostId, VnicSpec spec) {
        Objects.requireNonNull(spec, "spec");
        VnicId id = spec.id();
        Network network;
        Admission.Placement placement;
        lock.lock();
        try {
            HostEntry host = requireHost(hostId);
            network = requireNetwork(spec.network());
            if (vnics.containsKey(id) || busy.containsKey(id)) {
                throw new IllegalArgumentException("vNIC '" + id + "' already exists");
            }
            checkFitsNetwork(spec, network);
            List<String> reasons = new ArrayList<>();
            placement = admission.place(spec, network, host.backends, host.usages(),
                    Admission.candidateKinds(spec, network), reasons);
            if (placement == null) {
                throw new AdmissionException("vNIC '" + id + "' on host '" + hostId + "'", reasons);
            }
            placement.usage().add(placement.charge());
            busy.put(id, network.id());
        } finally {
            lock.unlock();
        }
        UndoLog undo = new UndoLog("provision " + id);
        undo.pushAlways("admission on " + placement.usage().uplink.name(), () -> locked(() -> {
            placement.usage().remove(placement.charge());
            busy.remove(id);
        }));
        IoBackend backend = placement.backend();
        Vnic vnic;
        long version;
        try {
            VnicAddresses addresses = allocateAddresses(spec, network, undo);
            AttachRequest request = new AttachRequest(spec, hostId, placement.usage().uplink.name(), network,
                    addresses);
            Attachment attachment = backend.attach(request);
            undo.push("attach on " + backend.id(), () -> {
                try {
                    backend.detach(attachment);
                } catch (RuntimeException | Error e) {
                    // The port keeps its addresses, so their undo is skipped; repair frees them with the port.
                    locked(() -> leftovers.put(attachment.handle(), addresses));
                    throw e;
                }
            });
            vnic = new Vnic(spec, hostId, request.uplink(), backend.kind(), attachment, addresses);
            version = store.put(vnicKeys + id, RecordCodec.encode(vnic), StateStore.ABSENT);
        } catch (RuntimeException | Error e) {
            undo.undoAll(e, (step, failure) -> reportUndoFailure(hostId, backend.id(), id, step, failure));
            throw e;
        }
        locked(() -> {
            vnics.put(id, new VnicEntry(vnic, version, placement.charge()));
            busy.remove(id);
        });
        LOG.info("provisioned {} on {} via {} ({})", id, hostId, backend.id(), vnic.attachment().handle());
        publish(new FabricEvent.VnicProvisioned(clock.instant(), vnic));
        return vnic;
    }

    /**
     * Provisions a vNIC on a host.
     *
     * @param hostId the host's id
     * @param spec what the VM needs
     * @return the vNIC
     * @see #provision(HostId, VnicSpec)
     */
    public Vnic provision(String hostId, VnicSpec spec) {
        return provision(HostId.of(hostId), spec);
    }

    /**
     * Releases a vNIC: removes its record, detaches its port, frees its addresses and capacity. Releasing a vNIC
     * that does not exist does nothing.
     *
     * @param id the vNIC
     * @return true when a vNIC was released
     * @throws FabricException when another operation is changing the vNIC, or its host is not in the fabric
     * @throws dev.iov.api.spi.BackendException when the backend cannot detach it (the vNIC stays)
     * @throws dev.iov.api.store.StoreException when the record cannot be removed (the vNIC stays)
     */
    public boolean release(VnicId id) {
        VnicEntry entry;
        IoBackend backend;
        lock.lock();
        try {
            entry = vnics.get(id);
            if (entry == null) {
                if (busy.containsKey(id)) {
                    throw busyFailure(id);
                }
                return false;
            }
            markBusy(entry.vnic());
            backend = backendsById.get(entry.vnic().attachment().backendId());
            if (backend == null) {
                busy.remove(id);
                throw new FabricException("release " + id, "vNIC '" + id + "' is on host '" + entry.vnic().host()
                        + "', whose backend '" + entry.vnic().attachment().backendId() + "' is not in the fabric");
            }
        } finally {
            lock.unlock();
        }
        Vnic vnic = entry.vnic();
        String key = vnicKeys + id;
        try {
            store.delete(key, entry.version());
        } catch (RuntimeException | Error e) {
            locked(() -> busy.remove(id));
            throw e;
        }
        try {
            backend.detach(vnic.attachment());
        } catch (RuntimeException | Error e) {
            try {
                long restored = store.put(key, RecordCodec.encode(vnic), StateStore.ABSENT);
                locked(() -> {
                    vnics.put(id, entry.withVersion(restored));
                    busy.remove(id);
                });
            } catch (RuntimeException | Error restoreFailure) {
                // The store no longer has the vNIC and cannot be told otherwise: follow the store. The port, and the
                // addresses it still holds, are left to drift repair.
                e.addSuppressed(restoreFailure);
                locked(() -> {
                    vnics.remove(id);
                    uncharge(vnic, entry.charge());
                    busy.remove(id);
                });
                locked(() -> leftovers.put(vnic.attachment().handle(), vnic.addresses()));
                reportLeftBehind(vnic, "release", restoreFailure);
            }
            throw e;
        }
        locked(() -> {
            vnics.remove(id);
            uncharge(vnic, entry.charge());
            busy.remove(id);
        });
        releaseAddresses(vnic.addresses());
        LOG.info("released {} from {}", id, vnic.host());
        publish(new FabricEvent.VnicReleased(clock.instant(), vnic));
        return true;
    }

    /**
     * Checks where a vNIC would land on another host, without changing anything.
     *
     * @param id the vNIC
     * @param target the host to move it to
     * @return the plan
     * @throws IllegalArgumentException when the vNIC or host is unknown, or the vNIC is already there
     * @throws AdmissionException when the target cannot give the vNIC the same network within its capacity
     */
    public MigrationPlan planMigration(VnicId id, HostId target) {
        lock.lock();
        try {
            VnicEntry entry = requireVnic(id);
            Admission.Placement placement = placeOnTarget(entry.vnic(), target);
            return toPlan(entry.vnic(), target, placement);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a vNIC to another host, keeping its network and addresses: attach on the target, switch the record
     * over, detach on the source. When any step fails the earlier ones are undone and the vNIC stays on its source.
     *
     * @param id the vNIC
     * @param target the host to move it to
     * @return the vNIC on its new host
     * @throws IllegalArgumentException when the vNIC or host is unknown, or the vNIC is already there
     * @throws AdmissionException when the target cannot give the vNIC the same network within its capacity
     * @throws dev.iov.api.spi.BackendException when a backend fails
     * @throws dev.iov.api.store.StoreException when the record cannot be switched
     */
    public Vnic migrate(VnicId id, HostId target) {
        VnicEntry entry;
        Admission.Placement placement;
        IoBackend source;
        Network network;
        lock.lock();
        try {
            entry = requireVnic(id);
            markBusy(entry.vnic());
            try {
                placement = placeOnTarget(entry.vnic(), target);
            } catch (RuntimeException e) {
                busy.remove(id);
                throw e;
            }
            source = backendsById.get(entry.vnic().attachment().backendId());
            network = networks.get(entry.vnic().spec().network()).value();
            placement.usage().add(placement.charge());
        } finally {
            lock.unlock();
        }
        Vnic from = entry.vnic();
        String key = vnicKeys + id;
        IoBackend backend = placement.backend();
        Runnable unreserveTarget = () -> locked(() -> {
            placement.usage().remove(placement.charge());
            busy.remove(id);
        });
        AttachRequest request = new AttachRequest(from.spec(), target, placement.usage().uplink.name(), network,
                from.addresses());
        Attachment attachment;
        try {
            attachment = backend.attach(request);
        } catch (RuntimeException | Error e) {
            unreserveTarget.run();
            throw e;
        }
        Vnic to = new Vnic(from.spec(), target, request.uplink(), backend.kind(), attachment, from.addresses());
        long version;
        try {
            version = store.put(key, RecordCodec.encode(to), entry.version());
        } catch (RuntimeException | Error e) {
            detachQuietly(backend, to, e);
            unreserveTarget.run();
            throw e;
        }
        try {
            source.detach(from.attachment());
        } catch (RuntimeException | Error e) {
            long restored;
            try {
                restored = store.put(key, RecordCodec.encode(from), version);
            } catch (RuntimeException | Error restoreFailure) {
                // The store says the vNIC is on the target and cannot be told otherwise: follow the store and leave
                // the source port to drift repair.
                e.addSuppressed(restoreFailure);
                commitMigration(entry, to, version, placement.charge());
                reportLeftBehind(from, "migration", restoreFailure);
                throw e;
            }
            locked(() -> vnics.put(id, entry.withVersion(restored)));
            detachQuietly(backend, to, e);
            unreserveTarget.run();
            throw e;
        }
        commitMigration(entry, to, version, placement.charge());
        LOG.info("migrated {} from {} to {} via {}", id, from.host(), target, backend.id());
        publish(new FabricEvent.VnicMigrated(clock.instant(), from, to));
        return to;
    }

    /**
     * @param id a vNIC id
     * @return the vNIC, if provisioned
     */
    public Optional<Vnic> vnic(VnicId id) {
        return locked(() -> Optional.ofNullable(vnics.get(id)).map(VnicEntry::vnic));
    }

    /** @return every provisioned vNIC, in id order */
    public List<Vnic> vnics() {
        return locked(() -> vnics.values().stream().map(VnicEntry::vnic)
                .sorted((a, b) -> a.id().compareTo(b.id())).toList());
    }

    /**
     * Reads a vNIC's counters from its backend.
     *
     * @param id the vNIC
     * @return its counters
     * @throws IllegalArgumentException when the vNIC is unknown
     * @throws dev.iov.api.spi.BackendException when the backend cannot read them
     */
    public VnicStats stats(VnicId id) {
        Vnic vnic;
        IoBackend backend;
        lock.lock();
        try {
            vnic = requireVnic(id).vnic();
            backend = requireBackend(vnic);
        } finally {
            lock.unlock();
        }
        return backend.stats(vnic.attachment());
    }

    // -------------------------------------------------------------------------------------- reports, repair

    /** @return every uplink's guaranteed and limit sums against its speed and the policy */
    public OversubscriptionReport oversubscriptionReport() {
        return locked(() -> {
            List<UplinkLoad> loads = new ArrayList<>();
            for (HostEntry host : hosts.values()) {
                for (UplinkUsage usage : host.usage.values()) {
                    loads.add(new UplinkLoad(usage.host, usage.uplink.name(), usage.uplink.speed(), usage.vnics,
                            Bandwidth.ofBitsPerSecond(usage.guaranteedBps),
                            Bandwidth.ofBitsPerSecond(usage.limitBps), admission.status(usage)));
                }
            }
            return new OversubscriptionReport(admission.policy(), loads);
        });
    }

    /**
     * Asks every backend of every host what it has and compares it with the declared vNICs. Publishes a
     * {@link FabricEvent.DriftFound} when there is a difference.
     *
     * @return the differences
     */
    public DriftReport driftReport() {
        record Scan(HostId host, IoBackend backend, List<Vnic> declared) {
        }
        List<Scan> scans = new ArrayList<>();
        Map<NetworkId, Network> declaredNetworks = new HashMap<>();
        Map<String, List<Vnic>> byBackend = new HashMap<>();
        int hostCount;
        lock.lock();
        try {
            hostCount = hosts.size();
            networks.forEach((id, stored) -> declaredNetworks.put(id, stored.value()));
            for (VnicEntry entry : vnics.values()) {
                byBackend.computeIfAbsent(entry.vnic().attachment().backendId(), k -> new ArrayList<>())
                        .add(entry.vnic());
            }
            for (HostEntry host : hosts.values()) {
                for (IoBackend backend : host.backends) {
                    scans.add(new Scan(host.host.id(), backend, byBackend.remove(backend.id())));
                }
            }
        } finally {
            lock.unlock();
        }
        List<Drift> drifts = new ArrayList<>();
        byBackend.values().forEach(orphans -> orphans.forEach(vnic -> drifts.add(new Drift(vnic.host(),
                vnic.attachment().backendId(), Drift.Kind.UNREACHABLE, Optional.of(vnic.id()),
                vnic.attachment().handle(), "the vNIC's backend is not in this fabric; its host cannot be checked"))));
        for (Scan scan : scans) {
            List<DiscoveredPort> found;
            try {
                found = scan.backend().discover(scan.host());
            } catch (RuntimeException e) {
                drifts.add(new Drift(scan.host(), scan.backend().id(), Drift.Kind.UNREACHABLE, Optional.empty(), "",
                        String.valueOf(e.getMessage())));
                publish(new FabricEvent.BackendFailed(clock.instant(), scan.host(), scan.backend().id(), null,
                        "discover failed: " + e.getMessage()));
                continue;
            }
            drifts.addAll(DriftDetector.compare(scan.host(), scan.backend().id(),
                    scan.declared() == null ? List.of() : scan.declared(), found,
                    declaredNetworks));
        }
        DriftReport report = new DriftReport(clock.instant(), hostCount, drifts);
        if (!report.isClean()) {
            publish(new FabricEvent.DriftFound(report.time(), report));
        }
        return report;
    }

    /**
     * Brings the hosts back to the declared model for each difference of a report: re-creates missing ports,
     * updates mismatched ones, and removes ports iov made that no record declares. Differences that are gone, or
     * that concern a vNIC another operation is changing, are skipped.
     *
     * @param report a report from {@link #driftReport()}
     * @return one line per difference saying what was done
     */
    public List<String> repair(DriftReport report) {
        List<String> actions = new ArrayList<>();
        for (Drift drift : report.drifts()) {
            try {
                actions.add(repair(drift));
            } catch (RuntimeException e) {
                actions.add("failed to repair " + drift.toText() + ": " + e.getMessage());
                publish(new FabricEvent.BackendFailed(clock.instant(), drift.host(), drift.backendId(),
                        drift.vnic().orElse(null), "repair failed: " + e.getMessage()));
            }
        }
        return actions;
    }

    private String repair(Drift drift) {
        if (drift.kind() == Drift.Kind.UNREACHABLE) {
            return "skipped " + drift.toText() + ": host unreachable";
        }
        if (drift.kind() == Drift.Kind.UNEXPECTED) {
            IoBackend backend;
            lock.lock();
            try {
                backend = backendsById.get(drift.backendId());
                boolean declared = vnics.values().stream().anyMatch(v -> v.vnic().attachment().handle()
                        .equals(drift.handle()) && v.vnic().attachment().backendId().equals(drift.backendId()));
                if (backend == null || declared) {
                    return "skipped " + drift.toText() + ": no longer unexpected";
                }
                if (drift.vnic().map(busy::containsKey).orElse(false)) {
                    // An operation on that vNIC is between attaching the port and recording it.
                    return "skipped " + drift.toText() + ": the vNIC is being changed";
                }
            } finally {
                lock.unlock();
            }
            backend.detach(Attachment.of(drift.vnic().orElseThrow(), drift.backendId(), drift.handle()));
            VnicAddresses held = locked(() -> leftovers.remove(drift.handle()));
            if (held != null) {
                releaseAddresses(held);
            }
            return "removed " + drift.handle() + " from " + drift.host();
        }
        VnicId id = drift.vnic().orElseThrow();
        VnicEntry entry;
        IoBackend backend;
        Network network;
        lock.lock();
        try {
            entry = vnics.get(id);
            if (entry == null || busy.containsKey(id) || !entry.vnic().attachment().handle().equals(drift.handle())) {
                return "skipped " + drift.toText() + ": vNIC changed since the report";
            }
            backend = requireBackend(entry.vnic());
            network = networks.get(entry.vnic().spec().network()).value();
            busy.put(id, network.id());
        } finally {
            lock.unlock();
        }
        try {
            Vnic vnic = entry.vnic();
            AttachRequest request = new AttachRequest(vnic.spec(), vnic.host(), vnic.uplink(), network,
                    vnic.addresses());
            Attachment repaired = drift.kind() == Drift.Kind.MISSING
                    ? backend.attach(request)
                    : backend.update(vnic.attachment(), request);
            if (!repaired.equals(vnic.attachment())) {
                Vnic updated = new Vnic(vnic.spec(), vnic.host(), vnic.uplink(), vnic.backendKind(), repaired,
                        vnic.addresses());
                long version;
                try {
                    version = store.put(vnicKeys + id, RecordCodec.encode(updated), entry.version());
                } catch (RuntimeException e) {
                    if (drift.kind() == Drift.Kind.MISSING) {
                        backend.detach(repaired);
                    }
                    throw e;
                }
                locked(() -> vnics.put(id, new VnicEntry(updated, version, entry.charge())));
            }
            return (drift.kind() == Drift.Kind.MISSING ? "re-attached " : "updated ") + id + " on " + vnic.host();
        } finally {
            locked(() -> busy.remove(id));
        }
    }

    // ---------------------------------------------------------------------------------------------- events

    /**
     * @param listener receives every event from now on
     */
    public void addListener(FabricListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * @param listener a listener added before
     */
    public void removeListener(FabricListener listener) {
        listeners.remove(listener);
    }

    /** Closes every backend. The state store belongs to the caller and stays open. Idempotent. */
    @Override
    public void close() {
        List<IoBackend> all = locked(() -> List.copyOf(backendsById.values()));
        for (IoBackend backend : all) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                LOG.warn("closing backend {} failed", backend.id(), e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- internals

    private void load() {
        for (Map.Entry<String, VersionedValue> record : store.list(networkKeys).entrySet()) {
            Network network = RecordCodec.decodeNetwork(record.getKey(), record.getValue().value());
            try {
                adoptSegment(network);
            } catch (IllegalArgumentException e) {
                throw new FabricException("load", "state store record '" + record.getKey() + "': " + e.getMessage(), e);
            }
            networks.put(network.id(), new Stored<>(network, record.getValue().version()));
        }
        for (Map.Entry<String, VersionedValue> record : store.list(vnicKeys).entrySet()) {
            Vnic vnic = RecordCodec.decodeVnic(record.getKey(), record.getValue().value());
            if (!networks.containsKey(vnic.spec().network())) {
                throw new FabricException("load", "state store record '" + record.getKey() + "': vNIC '" + vnic.id()
                        + "' is on network '" + vnic.spec().network() + "', which is not defined");
            }
            try {
                vnic.addresses().mac().ifPresent(macPool::adopt);
                vnic.addresses().guid().ifPresent(guidPool::adopt);
            } catch (IllegalArgumentException e) {
                throw new FabricException("load", "state store record '" + record.getKey() + "': " + e.getMessage(), e);
            }
            vnics.put(vnic.id(), chargeRecovered(vnic, record.getValue().version()));
        }
        LOG.info("loaded {} network(s) and {} vNIC(s) from the state store", networks.size(), vnics.size());
    }

    /** Charges a vNIC read back from the store, without admission: it exists, whatever the policy says now. */
    private VnicEntry chargeRecovered(Vnic vnic, long version) {
        HostEntry host = hosts.get(vnic.host());
        Stored<Network> network = networks.get(vnic.spec().network());
        UplinkUsage usage = host == null ? null : host.usage.get(vnic.uplink());
        if (usage == null) {
            LOG.warn("vNIC {} is on {} uplink '{}', which this fabric does not know; not charged", vnic.id(),
                    vnic.host(), vnic.uplink());
            return new VnicEntry(vnic, version, null);
        }
        Charge charge = Charge.of(vnic.spec(), network.value(), usage.uplink);
        usage.add(charge);
        return new VnicEntry(vnic, version, charge);
    }

    /** Takes the pooled segment of a network read back from the store (see {@link AddressPool#adopt}). */
    private void adoptSegment(Network network) {
        pooledSegment(network).ifPresent(PooledSegment::adopt);
    }

    /** Takes the pooled segment of a network being defined; the returned step gives it back. */
    private Runnable reserveSegment(Network network) {
        Optional<PooledSegment<?>> segment = pooledSegment(network);
        segment.ifPresent(PooledSegment::reserve);
        return segment.<Runnable>map(s -> s::release).orElse(() -> { });
    }

    /** A network's segment when its kind is pooled and the value lies in the pool (others are not iov's to take). */
    private Optional<PooledSegment<?>> pooledSegment(Network network) {
        return switch (network.kind()) {
            case VLAN -> PooledSegment.of(vlanPool, VlanId.of(network.segment()));
            case IB_PARTITION -> PooledSegment.of(pkeyPool, network.pkey());
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
    }

    private void releaseSegment(Network network) {
        switch (network.kind()) {
            case VLAN -> vlanPool.release(VlanId.of(network.segment()));
            case IB_PARTITION -> pkeyPool.release(network.pkey());
            default -> {
                // not pooled
            }
        }
    }

    private void insertNetworkLocked(Network network, Runnable releaseSegment) {
        long version;
        try {
            version = store.put(networkKeys + network.id(), RecordCodec.encode(network), StateStore.ABSENT);
        } catch (RuntimeException e) {
            releaseSegment.run();
            throw e;
        }
        networks.put(network.id(), new Stored<>(network, version));
        LOG.info("defined network {} ({} {})", network.id(), network.kind(), network.segment());
    }

    /** The checks of a spec that need its network; the spec checked everything else when it was built. */
    private static void checkFitsNetwork(VnicSpec spec, Network network) {
        if (Admission.candidateKinds(spec, network).isEmpty()) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "' accepts only " + spec.backends()
                    + ", none of which can join " + network.kind() + " network '" + network.id() + "'");
        }
        Optional<Bandwidth> maxRate = spec.maxRate().or(network::defaultMaxRate);
        if (spec.minRate().isPresent() && maxRate.isPresent() && spec.minRate().get().compareTo(maxRate.get()) > 0) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "': min rate " + spec.minRate().get()
                    + " is above the max rate " + maxRate.get() + " of network '" + network.id() + "'");
        }
        boolean ethernet = network.kind().uplinkKind() == UplinkKind.ETHERNET;
        if (spec.guid().isPresent() && ethernet) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "' names GUID " + spec.guid().get()
                    + " but network '" + network.id() + "' is " + network.kind());
        }
        if (spec.mac().isPresent() && !ethernet) {
            throw new IllegalArgumentException("vNIC '" + spec.id() + "' names MAC " + spec.mac().get()
                    + " but network '" + network.id() + "' is " + network.kind());
        }
    }

    private VnicAddresses allocateAddresses(VnicSpec spec, Network network, UndoLog undo) {
        if (network.kind().uplinkKind() == UplinkKind.ETHERNET) {
            MacAddress mac = takeAddress(macPool, spec.mac(), "MAC", spec.id());
            undo.push("MAC " + mac, () -> macPool.release(mac));
            return VnicAddresses.ofMac(mac);
        }
        Guid guid = takeAddress(guidPool, spec.guid(), "GUID", spec.id());
        undo.push("GUID " + guid, () -> guidPool.release(guid));
        return VnicAddresses.ofGuid(guid);
    }

    private static <T> T takeAddress(AddressPool<T> pool, Optional<T> fixed, String what, VnicId id) {
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

    private void releaseAddresses(VnicAddresses addresses) {
        addresses.mac().ifPresent(macPool::release);
        addresses.guid().ifPresent(guidPool::release);
    }

    private Admission.Placement placeOnTarget(Vnic vnic, HostId target) {
        HostEntry host = requireHost(target);
        if (vnic.host().equals(target)) {
            throw new IllegalArgumentException("vNIC '" + vnic.id() + "' is already on host '" + target + "'");
        }
        requireBackend(vnic);
        Network network = requireNetwork(vnic.spec().network());
        List<BackendKind> kinds = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        BackendKind current = vnic.backendKind();
        if (current.liveMigratable()) {
            kinds.add(current);
        } else {
            reasons.add("a " + current + " cannot live-migrate (its state is in the device), so only a declared "
                    + "fallback kind can carry the vNIC during the move");
        }
        Admission.candidateKinds(vnic.spec(), network).stream().filter(k -> k != current && k.liveMigratable())
                .forEach(kinds::add);
        if (kinds.isEmpty()) {
            reasons.add("vNIC '" + vnic.id() + "' declares no kind that can live-migrate; declare a fallback, e.g. "
                    + "backends(SRIOV_VF, VSWITCH_PORT)");
            throw new AdmissionException("migration of vNIC '" + vnic.id() + "' to host '" + target + "'", reasons);
        }
        Admission.Placement placement = admission.place(vnic.spec(), network, host.backends, host.usages(), kinds,
                reasons);
        if (placement == null) {
            throw new AdmissionException("migration of vNIC '" + vnic.id() + "' to host '" + target + "'", reasons);
        }
        return placement;
    }

    private static MigrationPlan toPlan(Vnic vnic, HostId target, Admission.Placement placement) {
        BackendKind from = vnic.backendKind();
        BackendKind to = placement.backend().kind();
        String reason;
        if (to == from) {
            reason = "same kind (" + to + ") on the target";
        } else if (!from.liveMigratable()) {
            reason = "a " + from + " cannot live-migrate: the target gets a " + to + " (the declared fallback); the "
                    + "guest keeps its network through its failover device while the " + from + " is unplugged";
        } else {
            reason = "the target has no " + from + " for the network: it gets a " + to + " (the declared fallback)";
        }
        return new MigrationPlan(vnic.id(), vnic.host(), target, placement.usage().uplink.name(),
                placement.backend().id(), to, to != from, reason);
    }

    private HostEntry requireHost(HostId id) {
        HostEntry host = hosts.get(Objects.requireNonNull(id, "host id"));
        if (host == null) {
            throw new IllegalArgumentException("unknown host '" + id + "'; hosts: " + names(hosts.keySet()));
        }
        return host;
    }

    private Network requireNetwork(NetworkId id) {
        Stored<Network> network = networks.get(id);
        if (network == null) {
            throw new IllegalArgumentException("unknown network '" + id + "'; networks: " + names(networks.keySet()));
        }
        return network.value();
    }

    private VnicEntry requireVnic(VnicId id) {
        VnicEntry entry = vnics.get(Objects.requireNonNull(id, "vNIC id"));
        if (entry == null) {
            throw new IllegalArgumentException("unknown vNIC '" + id + "'");
        }
        return entry;
    }

    private IoBackend requireBackend(Vnic vnic) {
        IoBackend backend = backendsById.get(vnic.attachment().backendId());
        if (backend == null) {
            throw new FabricException("use " + vnic.id(), "vNIC '" + vnic.id() + "' is on host '" + vnic.host() + "', whose backend '"
                    + vnic.attachment().backendId() + "' is not in the fabric");
        }
        return backend;
    }

    private void markBusy(Vnic vnic) {
        if (busy.putIfAbsent(vnic.id(), vnic.spec().network()) != null) {
            throw busyFailure(vnic.id());
        }
    }

    private static FabricException busyFailure(VnicId id) {
        return new FabricException("change " + id, "vNIC '" + id + "' is being changed by another operation; try again");
    }

    private static String names(Collection<?> ids) {
        return ids.isEmpty() ? "none" : ids.stream().map(Object::toString).reduce((a, b) -> a + ", " + b).get();
    }

    private void commitMigration(VnicEntry entry, Vnic to, long version, Charge charge) {
        locked(() -> {
            vnics.put(to.id(), new VnicEntry(to, version, charge));
            uncharge(entry.vnic(), entry.charge());
            busy.remove(to.id());
        });
    }

    /** Takes a vNIC's charge off its uplink; a vNIC recovered on a host the fabric did not know has none. */
    private void uncharge(Vnic vnic, Charge charge) {
        if (charge != null) {
            hosts.get(vnic.host()).usage.get(vnic.uplink()).remove(charge);
        }
    }

    /** Undoes an attach while handling another failure; a port that will not go is reported and left to repair. */
    private void detachQuietly(IoBackend backend, Vnic vnic, Throwable cause) {
        try {
            backend.detach(vnic.attachment());
        } catch (RuntimeException | Error e) {
            cause.addSuppressed(e);
            reportLeftBehind(vnic, "undo", e);
        }
    }

    private void reportLeftBehind(Vnic vnic, String operation, Throwable failure) {
        LOG.error("{} of {}: port {} on {} is left behind; drift repair will remove it", operation, vnic.id(),
                vnic.attachment().handle(), vnic.host(), failure);
        publish(new FabricEvent.BackendFailed(clock.instant(), vnic.host(), vnic.attachment().backendId(), vnic.id(),
                operation + " left port " + vnic.attachment().handle() + " behind: " + failure.getMessage()));
    }

    private void reportUndoFailure(HostId host, String backendId, VnicId vnic, String step, Throwable e) {
        publish(new FabricEvent.BackendFailed(clock.instant(), host, backendId, vnic,
                "could not undo " + step + ": " + e.getMessage()));
    }

    private void publish(FabricEvent event) {
        for (FabricListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("fabric listener {} failed on {}", listener, event.getClass().getSimpleName(), e);
            }
        }
    }

    private void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Builds a {@link Fabric}; validation happens in {@link #build()}. */
    public static final class Builder {
        private StateStore store;
        private String keyPrefix = "iov/";
        private AddressPool<MacAddress> macPool;
        private AddressPool<Guid> guidPool;
        private AddressPool<VlanId> vlanPool;
        private AddressPool<PKey> pkeyPool;
        private OversubscriptionPolicy policy = OversubscriptionPolicy.reject();
        private Clock clock = Clock.systemUTC();
        private final Map<Host, List<IoBackend>> hosts = new LinkedHashMap<>();
        private final List<FabricListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param value where the fabric keeps networks and vNICs; required ({@code JournalStateStore} for one
         *     management node, {@code InMemoryStateStore} for tests)
         * @return this builder
         */
        public Builder store(StateStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /**
         * @param value the prefix of every key the fabric writes, so several fabrics can share a store; default
         *     {@code iov/}
         * @return this builder
         */
        public Builder keyPrefix(String value) {
            this.keyPrefix = Objects.requireNonNull(value, "keyPrefix");
            return this;
        }

        /**
         * @param value where vNIC MAC addresses come from; default {@link MacPool#defaultPool()}
         * @return this builder
         */
        public Builder macPool(AddressPool<MacAddress> value) {
            this.macPool = Objects.requireNonNull(value, "macPool");
            return this;
        }

        /**
         * @param value where InfiniBand port GUIDs come from; default {@link GuidPool#defaultPool()}
         * @return this builder
         */
        public Builder guidPool(AddressPool<Guid> value) {
            this.guidPool = Objects.requireNonNull(value, "guidPool");
            return this;
        }

        /**
         * @param value the VLANs {@link Fabric#createNetwork} chooses from; default 1-4094
         * @return this builder
         */
        public Builder vlanPool(AddressPool<VlanId> value) {
            this.vlanPool = Objects.requireNonNull(value, "vlanPool");
            return this;
        }

        /**
         * @param value the partitions {@link Fabric#createNetwork} chooses from; default 0x0001-0x7ffe
         * @return this builder
         */
        public Builder pkeyPool(AddressPool<PKey> value) {
            this.pkeyPool = Objects.requireNonNull(value, "pkeyPool");
            return this;
        }

        /**
         * @param value how far vNICs may oversubscribe an uplink; default {@link OversubscriptionPolicy#reject()}
         * @return this builder
         */
        public Builder oversubscription(OversubscriptionPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /**
         * @param value the clock that stamps events; default the system UTC clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @param host a host of the fabric
         * @param backends the backends that serve it
         * @return this builder
         */
        public Builder host(Host host, IoBackend... backends) {
            this.hosts.put(Objects.requireNonNull(host, "host"), List.of(backends));
            return this;
        }

        /**
         * @param listener receives every event
         * @return this builder
         */
        public Builder listener(FabricListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the fabric and loads the networks and vNICs already in the store, re-reserving their segments and
         * addresses and charging their uplinks.
         *
         * @return the fabric
         * @throws IllegalStateException when no store was given
         * @throws IllegalArgumentException when hosts or backends clash
         * @throws FabricException when a stored record cannot be read or clashes with another
         */
        public Fabric build() {
            if (store == null) {
                throw new IllegalStateException("a Fabric needs a state store: call store(...)");
            }
            if (macPool == null) {
                macPool = MacPool.defaultPool();
            }
            if (guidPool == null) {
                guidPool = GuidPool.defaultPool();
            }
            if (vlanPool == null) {
                vlanPool = VlanPool.all();
            }
            if (pkeyPool == null) {
                pkeyPool = PKeyPool.defaultPool();
            }
            Fabric fabric = new Fabric(this);
            fabric.lock.lock();
            try {
                hosts.forEach(fabric::addHost);
                fabric.load();
            } finally {
                fabric.lock.unlock();
            }
            return fabric;
        }
    }
}
