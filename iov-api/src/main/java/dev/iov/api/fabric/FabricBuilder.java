package dev.iov.api.fabric;

import dev.iov.api.cluster.Membership;
import dev.iov.api.event.FabricListener;
import dev.iov.api.model.Host;
import dev.iov.api.net.Guid;
import dev.iov.api.net.MacAddress;
import dev.iov.api.net.PKey;
import dev.iov.api.net.VlanId;
import dev.iov.api.pool.AddressPool;
import dev.iov.api.pool.GuidPool;
import dev.iov.api.pool.MacPool;
import dev.iov.api.pool.PKeyPool;
import dev.iov.api.pool.VlanPool;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.store.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds a {@link Fabric} ({@link Fabric#builder()}); validation happens in {@link #build()}. */
public final class FabricBuilder {
    StateStore store;
    String keyPrefix = "iov/";
    AddressPool<MacAddress> macPool;
    AddressPool<Guid> guidPool;
    AddressPool<VlanId> vlanPool;
    AddressPool<PKey> pkeyPool;
    OversubscriptionPolicy policy = OversubscriptionPolicy.reject();
    Clock clock = Clock.systemUTC();
    /** The repair grace of a cluster member unless set. */
    static final Duration DEFAULT_CLUSTER_REPAIR_GRACE = Duration.ofSeconds(10);

    String nodeId = "local";
    private boolean nodeIdSet;
    Membership membership;
    Duration repairGrace = Duration.ZERO;
    private boolean repairGraceSet;
    final Map<Host, List<IoBackend>> hosts = new LinkedHashMap<>();
    final List<FabricListener> listeners = new ArrayList<>();

    FabricBuilder() {
    }

    /**
     * @param value where the fabric keeps networks and vNICs; required ({@code JournalStateStore} for one
     *     management node, {@code InMemoryStateStore} for tests)
     * @return this builder
     */
    public FabricBuilder store(StateStore value) {
        this.store = Objects.requireNonNull(value, "store");
        return this;
    }

    /**
     * @param value the prefix of every key the fabric writes, so several fabrics can share a store; default
     *     {@code iov/}
     * @return this builder
     */
    public FabricBuilder keyPrefix(String value) {
        this.keyPrefix = Objects.requireNonNull(value, "keyPrefix");
        return this;
    }

    /**
     * @param value where vNIC MAC addresses come from; default {@link MacPool#defaultPool()}
     * @return this builder
     */
    public FabricBuilder macPool(AddressPool<MacAddress> value) {
        this.macPool = Objects.requireNonNull(value, "macPool");
        return this;
    }

    /**
     * @param value where InfiniBand port GUIDs come from; default {@link GuidPool#defaultPool()}
     * @return this builder
     */
    public FabricBuilder guidPool(AddressPool<Guid> value) {
        this.guidPool = Objects.requireNonNull(value, "guidPool");
        return this;
    }

    /**
     * @param value the VLANs {@link Fabric#createNetwork} chooses from; default 1-4094
     * @return this builder
     */
    public FabricBuilder vlanPool(AddressPool<VlanId> value) {
        this.vlanPool = Objects.requireNonNull(value, "vlanPool");
        return this;
    }

    /**
     * @param value the partitions {@link Fabric#createNetwork} chooses from; default 0x0001-0x7ffe
     * @return this builder
     */
    public FabricBuilder pkeyPool(AddressPool<PKey> value) {
        this.pkeyPool = Objects.requireNonNull(value, "pkeyPool");
        return this;
    }

    /**
     * @param value how far vNICs may oversubscribe an uplink; default {@link OversubscriptionPolicy#reject()}
     * @return this builder
     */
    public FabricBuilder oversubscription(OversubscriptionPolicy value) {
        this.policy = Objects.requireNonNull(value, "policy");
        return this;
    }

    /**
     * @param value the clock that stamps events; default the system UTC clock
     * @return this builder
     */
    public FabricBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /**
     * @param value this management node's name, written into the intent of every vNIC operation so that, after
     *     a restart, the node finishes or undoes only what it left half done; default {@code local}. Give each
     *     node sharing a store its own, stable across restarts.
     * @return this builder
     * @throws IllegalArgumentException when blank
     */
    public FabricBuilder nodeId(String value) {
        Objects.requireNonNull(value, "nodeId");
        if (value.isBlank()) {
            throw new IllegalArgumentException("nodeId must not be blank");
        }
        this.nodeId = value;
        this.nodeIdSet = true;
        return this;
    }

    /**
     * Makes this fabric one management node of several sharing the store. With a membership:
     * <ul>
     *   <li>admission counts every node's vNICs: each uplink's sums live in the store and change in the same
     *       transaction as the vNIC record that changes them, so nodes racing for one uplink never admit more than
     *       the policy allows between them;</li>
     *   <li>when a node leaves the membership (it died, or was cut off past its session), a surviving node takes
     *       over the operations it left half done (compare-and-set on their records decides which survivor) and
     *       finishes or undoes them, as the node itself would on restart;</li>
     *   <li>{@link #repairGrace} defaults to 10 seconds.</li>
     * </ul>
     * The node id is the membership's {@link Membership#self()}. The membership belongs to the caller, who closes it
     * after the fabric.
     *
     * @param value this node's membership
     * @return this builder
     */
    public FabricBuilder membership(Membership value) {
        this.membership = Objects.requireNonNull(value, "membership");
        return this;
    }

    /**
     * @param value how long a port iov made must have been seen without a record before {@link Fabric#repair}
     *     removes it: another management node may have made it a moment before its record reached this one.
     *     Default zero for a single node, 10 seconds with a {@link #membership}
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public FabricBuilder repairGrace(Duration value) {
        Objects.requireNonNull(value, "repairGrace");
        if (value.isNegative()) {
            throw new IllegalArgumentException("repairGrace must not be negative: " + value);
        }
        this.repairGrace = value;
        this.repairGraceSet = true;
        return this;
    }

    /**
     * @param host a host of the fabric
     * @param backends the backends that serve it
     * @return this builder
     */
    public FabricBuilder host(Host host, IoBackend... backends) {
        this.hosts.put(Objects.requireNonNull(host, "host"), List.of(Objects.requireNonNull(backends,
                "backends")));
        return this;
    }

    /**
     * @param listener receives every event
     * @return this builder
     */
    public FabricBuilder listener(FabricListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Builds the fabric and recovers what the store holds: networks and vNICs are loaded, their segments and
     * addresses re-reserved, their uplinks charged, every backend restores the ports it owns, and the
     * operations this node left half done are finished or undone (see {@link Fabric#recoveryReport()}).
     *
     * @return the fabric
     * @throws IllegalStateException when no store was given
     * @throws IllegalArgumentException when a host has no uplink or no backend, or hosts or backends clash
     * @throws FabricException when a stored record cannot be read or clashes with another, or a backend cannot
     *     restore what it owns
     */
    public Fabric build() {
        if (store == null) {
            throw new IllegalStateException("a Fabric needs a state store: call store(...)");
        }
        if (membership != null) {
            if (nodeIdSet && !nodeId.equals(membership.self())) {
                throw new IllegalArgumentException("nodeId '" + nodeId + "' differs from the membership's node '"
                        + membership.self() + "'; give one of them");
            }
            nodeId = membership.self();
            if (!repairGraceSet) {
                repairGrace = DEFAULT_CLUSTER_REPAIR_GRACE;
            }
        }
        macPool = macPool != null ? macPool : MacPool.defaultPool();
        guidPool = guidPool != null ? guidPool : GuidPool.defaultPool();
        vlanPool = vlanPool != null ? vlanPool : VlanPool.all();
        pkeyPool = pkeyPool != null ? pkeyPool : PKeyPool.defaultPool();
        Fabric fabric = new Fabric(this);
        fabric.start(hosts);
        return fabric;
    }
}
