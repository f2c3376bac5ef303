package dev.iov.api.fabric;

import dev.iov.api.event.FabricEvent;
import dev.iov.api.event.FabricListener;
import dev.iov.api.model.Host;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.NetworkId;
import dev.iov.api.model.NetworkKind;
import dev.iov.api.model.Vnic;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.store.StateStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator: the one object an application talks to. It keeps the declared model (networks and vNICs) in a
 * {@link StateStore}, hands out addresses from pools, admits vNICs against uplink capacity, and drives the
 * {@link IoBackend}s of each host. This class is a facade; each job lives in a part of its own (provisioning,
 * migration, updates, networks, drift, recovery, counters) over one in-memory model ({@code FabricState}) and the
 * store's records ({@code FabricRecords}).
 *
 * <p><b>Failures.</b> Every operation that changes the world is a sequence of steps; when one fails, the earlier ones
 * are undone newest first and the original exception is rethrown: a failed call leaves pools, store and backends as
 * they were. When an undo fails too (the disk that refused a step refuses its undo), the vNIC is left
 * <i>interrupted</i>: it is busy ({@link VnicBusyException}) until {@link #repair} finishes or undoes the operation,
 * and {@link #driftReport()} lists it as {@link Drift.Kind#INTERRUPTED}.
 *
 * <p><b>Restart.</b> Before a vNIC operation touches a host it writes its intent into the vNIC's record. A fabric
 * built on a store that already has records re-reserves their segments and addresses, charges their uplinks, hands
 * every backend the ports it owns ({@link IoBackend#restore}) so that none is given to anyone else, and resolves the
 * intents its node (see {@link FabricBuilder#nodeId}) left behind; {@link #recoveryReport()} says what it found. A fabric
 * must not share its store's key prefix with another live fabric of the same node id.
 *
 * <p><b>Threads.</b> Thread-safe. Bookkeeping is guarded by one lock, held only for in-memory work, so backend calls
 * and store writes of different vNICs overlap. A second operation on a vNIC being changed fails fast with
 * {@link VnicBusyException} instead of waiting. After {@link #close()} every call throws
 * {@link IllegalStateException}.
 *
 * <p><b>Several management nodes.</b> Several fabrics, one per management node, may share one store and key prefix
 * (iov-store-zookeeper), each with its own {@link FabricBuilder#nodeId}. Each follows the store: what another node
 * records (networks, provisions, migrations, updates, releases) reaches its model and raises the same events, whose
 * {@code node()} names the node that made the change. Compare-and-set on the records keeps two nodes from recording
 * the same vNIC, a segment is claimed in the store with its network so no two networks share one, and MAC and GUID
 * addresses come from pools shared through the store. See {@link FabricBuilder#membership} for admission across
 * nodes and for taking over the operations of a node that died.
 */
public final class Fabric implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fabric.class);

    private final FabricState state;
    private final Events events;
    private final NetworkRegistry networks;
    private final Provisioning provisioning;
    private final Migration migration;
    private final VnicUpdates updates;
    private final DriftService drift;
    private final Recovery recovery;
    private final Counters counters;
    private final Admission admission;
    private final StoreFollower follower;
    /** Takes over the operations of gone management nodes; null without a membership. */
    private final Takeover takeover;
    private final FabricContext context;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile RecoveryReport recoveryReport = RecoveryReport.EMPTY;

    Fabric(FabricBuilder builder) {
        this.state = new FabricState();
        this.events = new Events(builder.clock, builder.nodeId, builder.listeners);
        this.admission = new Admission(builder.policy);
        FabricContext context = new FabricContext(state, new FabricRecords(builder.store, builder.keyPrefix, builder.nodeId),
                new AddressBook(builder.macPool, builder.guidPool, builder.vlanPool, builder.pkeyPool), admission,
                events, builder.nodeId);
        this.context = context;
        if (builder.membership != null) {
            context.records().shareAdmission(new UplinkLedger(builder.store, builder.keyPrefix, admission));
        }
        Resolution resolution = new Resolution(context);
        this.networks = new NetworkRegistry(context);
        this.provisioning = new Provisioning(context);
        this.migration = new Migration(context);
        this.updates = new VnicUpdates(context);
        this.drift = new DriftService(context, resolution, builder.repairGrace);
        this.recovery = new Recovery(context, resolution);
        this.counters = new Counters(context);
        this.follower = new StoreFollower(context, networks, builder.store);
        this.takeover = builder.membership == null ? null : new Takeover(context, resolution, builder.membership);
    }

    /** @return a builder; a state store is required, everything else has a default */
    public static FabricBuilder builder() {
        return new FabricBuilder();
    }

    // ------------------------------------------------------------------------------------------------ hosts

    /**
     * Adds a host and the backends that serve it; the fabric closes them when it closes. vNICs of that host already
     * in the store are charged to its uplinks, and its backends restore the ports the store says they own.
     *
     * @param host the host, with at least one uplink
     * @param backends its backends (at least one), with ids unique in the fabric
     * @return what the backends restored and which recorded ports they could not find
     * @throws IllegalArgumentException when the host is already known, has no uplink or no backend, or a backend id
     *     is taken
     * @throws FabricException when a backend cannot restore what it owns (the host is not added)
     */
    public RecoveryReport addHost(Host host, IoBackend... backends) {
        checkOpen();
        Objects.requireNonNull(host, "host");
        List<IoBackend> list = List.of(Objects.requireNonNull(backends, "backends"));
        FabricState.HostEntry entry = state.locked(() -> state.addHost(host, list));
        RecoveryReport report;
        try {
            report = recovery.restore(entry).plus(recovery.resolvePending());
        } catch (RuntimeException e) {
            state.locked(() -> state.removeHost(host.id()));
            throw e;
        }
        recoveryReport = recoveryReport.plus(report);
        return report;
    }

    /**
     * Removes a host no vNIC lives on, and closes its backends.
     *
     * @param id the host
     * @throws IllegalArgumentException when the host is unknown
     * @throws IllegalStateException when vNICs live there or an operation is under way
     */
    public void removeHost(HostId id) {
        checkOpen();
        FabricState.HostEntry entry = state.locked(() -> {
            state.requireHost(id);
            long living = state.vnics().stream().filter(v -> v.vnic().host().equals(id)).count();
            if (living > 0 || state.anyBusy()) {
                throw new IllegalStateException("host '" + id + "' cannot be removed: " + (living > 0
                        ? living + " vNIC(s) live there; migrate or release them first"
                        : "an operation is under way; try again"));
            }
            return state.removeHost(id);
        });
        entry.backends.forEach(Fabric::closeQuietly);
    }

    /** @return the hosts, in id order */
    public List<Host> hosts() {
        checkOpen();
        return state.locked(() -> state.hosts().stream().map(h -> h.host).toList());
    }

    // --------------------------------------------------------------------------------------------- networks

    /**
     * Declares a network with a chosen segment. Declaring the same network again is a no-op.
     *
     * @param network the network
     * @return the network
     * @throws IllegalArgumentException when the id is taken by a different network or another network of the same
     *     kind has the same segment
     * @throws dev.iov.api.store.StoreException when the record cannot be written
     */
    public Network defineNetwork(Network network) {
        checkOpen();
        return networks.define(network);
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
        checkOpen();
        return networks.create(id, kind);
    }

    /**
     * Removes a network no vNIC uses.
     *
     * @param id the network
     * @return true when it was removed, false when it was not defined
     * @throws IllegalStateException when vNICs are still attached to it
     */
    public boolean removeNetwork(NetworkId id) {
        checkOpen();
        return networks.remove(id);
    }

    /** @return the declared networks, in id order */
    public List<Network> networks() {
        checkOpen();
        return state.locked(() -> state.networks().stream().map(Stored::value).toList());
    }

    /**
     * @param id a network id
     * @return the network, if declared
     */
    public Optional<Network> network(NetworkId id) {
        checkOpen();
        Objects.requireNonNull(id, "network id");
        return state.locked(() -> state.network(id).map(Stored::value));
    }

    // ------------------------------------------------------------------------------------------------ vNICs

    /**
     * Provisions a vNIC on a host: admission control, addresses from the pools, the backend's port, the record.
     *
     * @param host the host the VM runs on
     * @param spec what the VM needs
     * @return the vNIC
     * @throws IllegalArgumentException when the host or network is unknown, the vNIC id is taken, or a fixed
     *     address is outside its pool or in use
     * @throws AdmissionException when no backend and uplink of the host can take the vNIC
     * @throws dev.iov.api.pool.PoolExhaustedException when no address is free
     * @throws dev.iov.api.spi.BackendException when the backend fails
     * @throws dev.iov.api.store.StoreException when the record cannot be written
     */
    public Vnic provision(HostId host, VnicSpec spec) {
        checkOpen();
        return provisioning.provision(host, spec);
    }

    /**
     * A convenience for {@link #provision(HostId, VnicSpec)} with the host's id as a string (as {@code VnicSpec}
     * takes its network's), the only {@code String} overload of the fabric.
     *
     * @param host the host's id
     * @param spec what the VM needs
     * @return the vNIC
     * @throws IllegalArgumentException when the id is not a valid host id, or as {@link #provision(HostId, VnicSpec)}
     */
    public Vnic provision(String host, VnicSpec spec) {
        return provision(HostId.of(host), spec);
    }

    /**
     * Changes a live vNIC in place: rates, spoof check, trust. The new spec is admitted again on the vNIC's uplink,
     * applied by its backend and recorded; when a step fails, the earlier ones are undone.
     *
     * @param id the vNIC
     * @param spec its new spec: same id and network; a MAC or GUID, if named, must be the one it holds
     * @return the vNIC as updated
     * @throws IllegalArgumentException when the vNIC is unknown or the change cannot be made in place
     * @throws AdmissionException when the uplink or backend cannot take the new spec
     * @throws VnicBusyException when another operation is changing the vNIC
     * @throws dev.iov.api.spi.BackendException when the backend fails
     * @throws dev.iov.api.store.StoreException when the record cannot be written
     */
    public Vnic update(VnicId id, VnicSpec spec) {
        checkOpen();
        return updates.update(id, spec);
    }

    /**
     * Releases a vNIC: detaches its port, removes its record, frees its addresses and capacity. Releasing a vNIC
     * that does not exist does nothing.
     *
     * @param id the vNIC
     * @return true when a vNIC was released
     * @throws VnicBusyException when another operation is changing the vNIC
     * @throws FabricException when its backend is not in the fabric
     * @throws dev.iov.api.spi.BackendException when the backend cannot detach it (the vNIC stays)
     * @throws dev.iov.api.store.StoreException when the store refuses: before the detach the vNIC stays; after it
     *     the vNIC is interrupted and {@link #repair} finishes the release
     */
    public boolean release(VnicId id) {
        checkOpen();
        return provisioning.release(id);
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
        checkOpen();
        return migration.plan(id, target);
    }

    /**
     * Moves a vNIC to another host, keeping its network, addresses and counters: attach on the target, switch the
     * record over, detach on the source. When a step before the switch fails, the earlier ones are undone and the
     * vNIC stays on its source. After the switch the vNIC has moved: an old port that will not go is reported
     * ({@link FabricEvent.BackendFailed}) and left for {@link #repair}.
     *
     * @param id the vNIC
     * @param target the host to move it to
     * @return the vNIC on its new host
     * @throws IllegalArgumentException when the vNIC or host is unknown, or the vNIC is already there
     * @throws AdmissionException when the target cannot give the vNIC the same network within its capacity
     * @throws VnicBusyException when another operation is changing the vNIC
     * @throws dev.iov.api.spi.BackendException when the target's backend fails
     * @throws dev.iov.api.store.StoreException when the record cannot be switched
     */
    public Vnic migrate(VnicId id, HostId target) {
        checkOpen();
        return migration.migrate(id, target);
    }

    /**
     * @param id a vNIC id
     * @return the vNIC, if provisioned
     */
    public Optional<Vnic> vnic(VnicId id) {
        checkOpen();
        return state.locked(() -> state.vnic(id).map(VnicEntry::vnic));
    }

    /** @return every provisioned vNIC, in id order */
    public List<Vnic> vnics() {
        return vnicsWhere(v -> true);
    }

    /**
     * @param host a host
     * @return the vNICs on that host, in id order
     */
    public List<Vnic> vnics(HostId host) {
        Objects.requireNonNull(host, "host id");
        return vnicsWhere(v -> v.host().equals(host));
    }

    /**
     * @param network a network
     * @return the vNICs on that network, in id order
     */
    public List<Vnic> vnics(NetworkId network) {
        Objects.requireNonNull(network, "network id");
        return vnicsWhere(v -> v.spec().network().equals(network));
    }

    private List<Vnic> vnicsWhere(Predicate<Vnic> filter) {
        checkOpen();
        return state.locked(() -> state.vnics().stream().map(VnicEntry::vnic).filter(filter)
                .sorted(Comparator.comparing(Vnic::id)).toList());
    }

    /**
     * A vNIC's counters over its whole life: across migrations and {@link #close() closed} manager restarts, never
     * decreasing while its port exists (a port re-created by {@link #repair} starts from the counters recorded
     * before). A manager killed without {@code close()} loses what a backend that {@linkplain
     * IoBackend#countersLiveInProcess counts in its own process} counted since the fabric was built.
     *
     * @param id the vNIC
     * @return its counters
     * @throws IllegalArgumentException when the vNIC is unknown
     * @throws dev.iov.api.spi.BackendException when the backend cannot read them
     */
    public VnicStats stats(VnicId id) {
        checkOpen();
        return counters.stats(id);
    }

    // -------------------------------------------------------------------------------------- reports, repair

    /** @return every uplink's guaranteed and limit sums against its speed and the policy */
    public OversubscriptionReport oversubscriptionReport() {
        checkOpen();
        return state.locked(() -> admission.report(state.hosts()));
    }

    /**
     * Asks every backend of every host what it has and compares it with the declared vNICs. Publishes a
     * {@link FabricEvent.DriftFound} when there is a difference.
     *
     * @return the differences
     */
    public DriftReport driftReport() {
        checkOpen();
        return drift.report();
    }

    /**
     * Brings the hosts back to the declared model for each difference of a report: re-creates missing ports,
     * updates mismatched ones, removes ports iov made that no record declares (each backend checks the port is the
     * named vNIC's first), and finishes or undoes interrupted operations. Differences that are gone, or that concern
     * a vNIC another operation is changing, are skipped.
     *
     * @param report a report from {@link #driftReport()}
     * @return one line per difference saying what was done
     */
    public List<String> repair(DriftReport report) {
        checkOpen();
        return drift.repair(Objects.requireNonNull(report, "report"));
    }

    /** @return what the fabric found in its store when it was built and when hosts were added since */
    public RecoveryReport recoveryReport() {
        checkOpen();
        return recoveryReport;
    }

    // ---------------------------------------------------------------------------------------------- events

    /** @param listener receives every event from now on */
    public void addListener(FabricListener listener) {
        checkOpen();
        events.add(listener);
    }

    /** @param listener a listener added before */
    public void removeListener(FabricListener listener) {
        events.remove(listener);
    }

    /**
     * Keeps the counters of backends that count in their own process in the records, then closes every backend;
     * ports stay on their hosts for the next fabric to restore. The state store belongs to the caller and stays
     * open. Idempotent; every other call fails from now on.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (takeover != null) {
            takeover.close();
        }
        follower.close();
        counters.checkpoint();
        state.locked(() -> state.hosts().stream().flatMap(h -> h.backends.stream()).toList())
                .forEach(Fabric::closeQuietly);
    }

    private static void closeQuietly(IoBackend backend) {
        try {
            backend.close();
        } catch (RuntimeException e) {
            LOG.warn("closing backend {} failed", backend.id(), e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Fabric is closed; build a new one on the same store to go on");
        }
    }

    void start(Map<Host, List<IoBackend>> hosts) {
        recoveryReport = recovery.start(networks, hosts);
        UplinkLedger ledger = context.records().ledger();
        if (ledger != null) {
            ledger.initialize(state.locked(() -> state.hosts().stream().flatMap(h -> h.usages().stream())
                    .toList()));
        }
        follower.start();
        if (takeover != null) {
            takeover.start();
        }
    }
}
