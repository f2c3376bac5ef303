package dev.iov.ethernet.ovs;

import dev.iov.api.net.Bandwidth;
import dev.iov.api.net.VlanId;
import dev.iov.ethernet.ovsdb.Condition;
import dev.iov.ethernet.ovsdb.Mutation;
import dev.iov.ethernet.ovsdb.NamedUuid;
import dev.iov.ethernet.ovsdb.Operation;
import dev.iov.ethernet.ovsdb.OperationResult;
import dev.iov.ethernet.ovsdb.OvsdbClient;
import dev.iov.ethernet.ovsdb.OvsdbException;
import dev.iov.ethernet.ovsdb.OvsdbMap;
import dev.iov.ethernet.ovsdb.OvsdbSet;
import dev.iov.ethernet.ovsdb.OvsdbWaitFailedException;
import dev.iov.ethernet.ovsdb.Row;
import dev.iov.ethernet.ovsdb.Uuid;
import dev.iov.ethernet.switching.VlanMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Open vSwitch operations over an {@link OvsdbClient}: bridges, ports with their interface, VLAN settings, ingress
 * policing, {@code linux-htb} QoS, mirrors and interface statistics.
 *
 * <p>Ownership: every row this class creates carries {@code external_ids:iov-owner=<owner>}, and it changes or
 * deletes only rows that carry its owner's mark. Each change is one transaction whose first operations are
 * {@code wait}s that the rows it touches are still iov's, so a row an operator took over meanwhile aborts the whole
 * change ({@link OvsdbException} with error {@value #NOT_OWNED}). The only foreign rows it writes are the reference
 * sets that link iov's rows in: {@code Open_vSwitch.bridges}, {@code Bridge.ports} and {@code Bridge.mirrors}.
 *
 * <p>Each change also bumps {@code next_cfg} and returns only after ovs-vswitchd has applied it (as {@code ovs-vsctl}
 * without {@code --no-wait} does), so a created port exists as a device when {@link #addPort} returns, or the port is
 * removed again and the interface's error is reported. When ovs-vswitchd does not catch up in time the change is
 * committed but not yet in effect: that {@link OvsdbException} has error {@value #NOT_APPLIED} ({@link #addPort} then
 * removes the port again).
 */
public final class OvsSwitch {

    /** The {@code external_ids} key that marks iov's rows; its value is the owner. */
    public static final String OWNER_KEY = "iov-owner";
    /** The error of an {@link OvsdbException} when a row exists but is not this owner's. */
    public static final String NOT_OWNED = "not owned by iov";
    /** The error of an {@link OvsdbException} when ovs-vswitchd did not apply a committed change in time. */
    public static final String NOT_APPLIED = "not applied";
    private static final String DB = "Open_vSwitch";

    private final OvsdbClient client;
    private final String owner;
    private final Duration applyTimeout;

    /**
     * @param client the database connection (not closed by this class)
     * @param owner the value of {@value #OWNER_KEY} on the rows this switch creates and may change
     * @param applyTimeout how long to wait for ovs-vswitchd to apply a change
     */
    public OvsSwitch(OvsdbClient client, String owner, Duration applyTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.applyTimeout = Objects.requireNonNull(applyTimeout, "applyTimeout");
        if (owner.isEmpty()) {
            throw new IllegalArgumentException("OVS owner mark must not be empty");
        }
    }

    /** @return the owner mark */
    public String owner() {
        return owner;
    }

    /**
     * Creates a bridge (with its local internal port) unless iov already made it.
     *
     * @param name the bridge's name
     * @param datapathType {@code netdev} (userspace), {@code system} or {@code ""} (the kernel module)
     * @return true if it was created, false if iov's bridge of that name already existed
     * @throws OvsdbException ({@value #NOT_OWNED}) when a bridge of that name exists that iov did not make
     */
    public boolean createBridge(String name, String datapathType) {
        Optional<Row> existing = selectOne("Bridge", name, List.of("name", "external_ids"));
        if (existing.isPresent()) {
            requireOwned("Bridge", name, existing.get());
            return false;
        }
        NamedUuid iface = new NamedUuid("iface");
        NamedUuid port = new NamedUuid("port");
        NamedUuid bridge = new NamedUuid("bridge");
        OvsdbMap mark = mark(Map.of());
        apply("create bridge " + name, List.of(
                Operation.insert("Interface", Map.of("name", name, "type", "internal", "external_ids", mark), iface),
                Operation.insert("Port", Map.of("name", name, "interfaces", OvsdbSet.of(iface), "external_ids",
                        mark), port),
                Operation.insert("Bridge", Map.of("name", name, "ports", OvsdbSet.of(port), "datapath_type",
                        datapathType, "external_ids", mark), bridge),
                Operation.mutate(DB, List.of(), List.of(Mutation.insert("bridges", OvsdbSet.of(bridge))))));
        return true;
    }

    /**
     * @param name a bridge name
     * @return whether the bridge exists (iov's or not)
     */
    public boolean hasBridge(String name) {
        return selectOne("Bridge", name, List.of("name")).isPresent();
    }

    /**
     * Deletes one of iov's bridges with all its ports.
     *
     * @param name the bridge
     * @return false if there was no such bridge
     * @throws OvsdbException ({@value #NOT_OWNED}) when the bridge is not iov's
     */
    public boolean deleteBridge(String name) {
        Optional<Row> existing = selectOne("Bridge", name, List.of("_uuid", "name", "external_ids"));
        if (existing.isEmpty()) {
            return false;
        }
        requireOwned("Bridge", name, existing.get());
        apply("delete bridge " + name, List.of(guard("Bridge", name),
                Operation.mutate(DB, List.of(), List.of(Mutation.delete("bridges",
                        OvsdbSet.of(existing.get().uuid()))))));
        return true;
    }

    /**
     * Adds a port with one interface to a bridge and waits until ovs-vswitchd has it. That is two steps: one
     * transaction inserts the rows, then ovs-vswitchd creates the device (asynchronously, reporting a failure in
     * {@code Interface.error}). When the second step fails or does not finish in time, the inserted port is removed
     * again (by its UUID, so nothing anyone else made meanwhile is touched) before the failure is thrown.
     *
     * @param bridge the bridge (iov's or not: only its port list changes)
     * @param spec the port
     * @return the port row's UUID
     * @throws OvsdbException when the bridge does not exist, the name is taken, ovs-vswitchd cannot create the
     *     interface (error {@code "interface failed"}; the message quotes the interface's error) or does not apply
     *     the change in time (error {@value #NOT_APPLIED}); in the last two cases the port was removed again
     */
    public Uuid addPort(String bridge, PortSpec spec) {
        String name = spec.name().value();
        String what = "add port " + name + " to bridge " + bridge;
        Map<String, String> ids = new LinkedHashMap<>(spec.externalIds());
        spec.mac().ifPresent(mac -> ids.put("attached-mac", mac.toString()));
        OvsdbMap mark = mark(ids);
        Map<String, Object> iface = new HashMap<>();
        iface.put("name", name);
        iface.put("type", spec.type().ovsName());
        iface.put("ingress_policing_rate", spec.policingRateKbps());
        iface.put("ingress_policing_burst", spec.policingBurstKbit());
        iface.put("external_ids", mark);
        if (spec.type() == InterfaceType.INTERNAL) {
            spec.mac().ifPresent(mac -> iface.put("mac", mac.toString()));
        }
        Map<String, Object> port = new HashMap<>(vlanColumns(spec.vlan()));
        port.put("name", name);
        port.put("interfaces", OvsdbSet.of(new NamedUuid("iface")));
        port.put("external_ids", mark);
        Committed committed = commit(what, List.of(
                Operation.waitUntil("Bridge", List.of(Condition.eq("name", bridge)), List.of("name"),
                        List.of(Map.of("name", bridge)), true, 0),
                Operation.insert("Interface", iface, new NamedUuid("iface")),
                Operation.insert("Port", port, new NamedUuid("port")),
                Operation.mutate("Bridge", List.of(Condition.eq("name", bridge)),
                        List.of(Mutation.insert("ports", OvsdbSet.of(new NamedUuid("port")))))),
                "no such bridge", "bridge " + bridge + " does not exist");
        Uuid uuid = committed.results().get(2).uuid();
        try {
            awaitApplied(what, committed.configuration());
        } catch (OvsdbException notApplied) {
            throw undoInsert(name, uuid, notApplied.error(), notApplied.details().orElse(""), what, notApplied);
        }
        Row state = selectOne("Interface", name, List.of("error", "ofport")).orElseThrow(
                () -> new OvsdbException("row missing", "Interface " + name + " vanished", what));
        Optional<String> error = state.string("error");
        if (error.isPresent() || state.integer("ofport").orElse(0L) < 0) {
            throw undoInsert(name, uuid, "interface failed", "ovs-vswitchd could not create interface " + name
                    + ": " + error.orElse("ofport -1"), what, null);
        }
        return uuid;
    }

    /**
     * Undoes the insert of {@link #addPort}: the port row it made (and with it its interface) leaves the bridge. When
     * ovs-vswitchd does not apply that in time either, the port is still gone from the database, which is what
     * ovs-vswitchd follows once it catches up.
     *
     * @return the failure of the add, saying whether the port is gone again
     */
    private OvsdbException undoInsert(String name, Uuid port, String error, String details, String what,
            Throwable cause) {
        String undone;
        OvsdbException undoFailure = null;
        try {
            apply("remove port " + name + " again", List.of(Operation.mutate("Bridge",
                    List.of(Condition.includes("ports", OvsdbSet.of(port))),
                    List.of(Mutation.delete("ports", OvsdbSet.of(port))))));
            undone = "port " + name + " was removed again";
        } catch (OvsdbException e) {
            if (NOT_APPLIED.equals(e.error())) {
                undone = "port " + name + " was removed from the database again (ovs-vswitchd has not applied that "
                        + "yet)";
            } else {
                undone = "removing port " + name + " again failed too: " + e.getMessage();
                undoFailure = e;
            }
        }
        OvsdbException failure = new OvsdbException(error, details + "; " + undone, what, cause);
        if (undoFailure != null) {
            failure.addSuppressed(undoFailure);
        }
        return failure;
    }

    /**
     * Removes one of iov's ports (and its interfaces) from its bridge.
     *
     * @param name the port
     * @return false if there was no such port
     * @throws OvsdbException ({@value #NOT_OWNED}) when the port is not iov's
     */
    public boolean removePort(String name) {
        return removePort(name, Map.of());
    }

    /**
     * Removes one of iov's ports (and its interfaces) from its bridge if it carries the given marks besides the
     * owner's, in one transaction that re-checks the marks: a port whose marks change between the check and the
     * removal is not removed.
     *
     * @param name the port
     * @param marks {@code external_ids} the port must carry as well, such as {@code iov-vnic=web-7}
     * @return false if there was no such port
     * @throws OvsdbException ({@value #NOT_OWNED}) when the port is not iov's or lacks a mark; nothing was changed
     */
    public boolean removePort(String name, Map<String, String> marks) {
        Optional<Row> existing = selectOne("Port", name, List.of("_uuid", "name", "external_ids"));
        if (existing.isEmpty()) {
            return false;
        }
        requireOwned("Port", name, existing.get(), marks);
        removePort(name, existing.get().uuid(), marks);
        return true;
    }

    /**
     * The removal of {@link #removePort(String, Map)} once the port's row was read: the transaction waits that the
     * row of that UUID still has that name and carries the marks, so a row changed or replaced since the read is
     * left alone ({@value #NOT_OWNED}).
     */
    void removePort(String name, Uuid port, Map<String, String> marks) {
        apply("remove port " + name, List.of(guard("Port", name, port, marks),
                Operation.mutate("Bridge", List.of(Condition.includes("ports", OvsdbSet.of(port))),
                        List.of(Mutation.delete("ports", OvsdbSet.of(port))))));
    }

    /**
     * Brings one of iov's ports in line with a spec, in one transaction: VLAN settings, ingress policing, the MAC it
     * records, and the spec's {@code external_ids} (added to the owner mark). The interface type cannot change.
     *
     * @param spec what the port should be
     * @throws OvsdbException ({@value #NOT_OWNED}) when the port is not iov's, or when it does not exist
     */
    public void updatePort(PortSpec spec) {
        updatePort(spec, Map.of());
    }

    /**
     * Like {@link #updatePort(PortSpec)}, for a port and interface that carry the given marks besides the owner's;
     * the transaction re-checks them, so a port whose marks change meanwhile is not changed.
     *
     * @param spec what the port should be
     * @param marks {@code external_ids} the port and its interface must carry as well, such as
     *     {@code iov-vnic=web-7}
     * @throws OvsdbException ({@value #NOT_OWNED}) when the port is not iov's, lacks a mark, or does not exist;
     *     nothing was changed
     */
    public void updatePort(PortSpec spec, Map<String, String> marks) {
        String name = spec.name().value();
        requireOwned("Port", name, marks);
        requireOwned("Interface", name, marks);
        Map<String, String> ids = new LinkedHashMap<>(spec.externalIds());
        spec.mac().ifPresent(mac -> ids.put("attached-mac", mac.toString()));
        ids.remove(OWNER_KEY);
        Map<String, Object> iface = new HashMap<>();
        iface.put("ingress_policing_rate", spec.policingRateKbps());
        iface.put("ingress_policing_burst", spec.policingBurstKbit());
        if (spec.type() == InterfaceType.INTERNAL) {
            iface.put("mac", spec.mac().map(m -> (Object) OvsdbSet.of(m.toString())).orElse(OvsdbSet.EMPTY));
        }
        List<Condition> byName = List.of(Condition.eq("name", name));
        apply("update port " + name, List.of(guard("Port", name, marks), guard("Interface", name, marks),
                Operation.update("Port", byName, vlanColumns(spec.vlan())),
                Operation.mutate("Port", byName, replaceIds(ids)),
                Operation.update("Interface", byName, iface),
                Operation.mutate("Interface", byName, replaceIds(ids))));
    }

    /** Map "insert" keeps a key's old value, so the keys are deleted first; the owner mark is never touched. */
    private static List<Mutation> replaceIds(Map<String, String> ids) {
        return List.of(Mutation.delete("external_ids", OvsdbSet.copyOf(ids.keySet())),
                Mutation.insert("external_ids", OvsdbMap.ofStrings(ids)));
    }

    /**
     * @param port one of iov's ports
     * @param vlan its new VLAN configuration
     */
    public void setVlan(String port, PortVlan vlan) {
        requireOwned("Port", port);
        apply("set VLAN of port " + port, List.of(guard("Port", port),
                Operation.update("Port", List.of(Condition.eq("name", port)), vlanColumns(vlan))));
    }

    /**
     * Sets ingress policing (what the switch accepts from the port: the VM's transmit rate).
     *
     * @param iface one of iov's interfaces
     * @param rateKbps rate in kbit/s; 0 turns policing off
     * @param burstKbit burst in kbit; 0 for OVS's default
     */
    public void setIngressPolicing(String iface, long rateKbps, long burstKbit) {
        if (rateKbps < 0 || burstKbit < 0) {
            throw new IllegalArgumentException("interface " + iface + ": policing rate and burst must not be "
                    + "negative, got " + rateKbps + " kbit/s, " + burstKbit + " kbit");
        }
        requireOwned("Interface", iface);
        apply("set policing of interface " + iface, List.of(guard("Interface", iface),
                Operation.update("Interface", List.of(Condition.eq("name", iface)),
                        Map.of("ingress_policing_rate", rateKbps, "ingress_policing_burst", burstKbit))));
    }

    /**
     * Shapes what the switch sends out of a port (the VM's receive rate) with a {@code linux-htb} QoS row, replacing
     * iov's previous one; {@link Bandwidth#ZERO} removes it. {@code linux-htb} is Linux {@code tc} on the port's
     * kernel device: it applies to {@code system}, {@code tap} and {@code internal} interfaces whose device exists in
     * ovs-vswitchd's namespace, on both datapaths; DPDK ports ignore it (ovs-vswitchd then only logs a warning).
     *
     * @param port one of iov's ports
     * @param maxRate the rate, or zero for none
     */
    public void setMaxRate(String port, Bandwidth maxRate) {
        requireOwned("Port", port);
        List<Operation> ops = new ArrayList<>();
        ops.add(guard("Port", port));
        List<Object> oldQos = selectColumns("Port", port, List.of("qos")).set("qos");
        if (maxRate.bitsPerSecond() == 0) {
            ops.add(Operation.update("Port", List.of(Condition.eq("name", port)), Map.of("qos", OvsdbSet.EMPTY)));
        } else {
            NamedUuid qos = new NamedUuid("qos");
            ops.add(Operation.insert("QoS", Map.of("type", "linux-htb", "other_config", OvsdbMap.ofStrings(Map.of(
                    "max-rate", Long.toString(maxRate.bitsPerSecond()))), "external_ids", mark(Map.of())), qos));
            ops.add(Operation.update("Port", List.of(Condition.eq("name", port)), Map.of("qos", OvsdbSet.of(qos))));
        }
        for (Object old : oldQos) {
            // QoS is a root table: a replaced row would stay behind. Delete it only if it is iov's.
            ops.add(Operation.delete("QoS", List.of(Condition.uuid((Uuid) old),
                    Condition.includes("external_ids", mark(Map.of())))));
        }
        apply("set max rate of port " + port, ops);
    }

    /**
     * Adds a mirror to a bridge; every port it names must exist.
     *
     * @param bridge the bridge
     * @param mirror what to copy where
     * @return the mirror row's UUID
     */
    public Uuid addMirror(String bridge, MirrorSpec mirror) {
        Set<String> names = new java.util.TreeSet<>(mirror.selectSrcPorts());
        names.addAll(mirror.selectDstPorts());
        names.add(mirror.outputPort());
        Map<String, Uuid> ports = new HashMap<>();
        for (String name : names) {
            ports.put(name, selectOne("Port", name, List.of("_uuid")).orElseThrow(() -> new OvsdbException(
                    "no such port", "mirror " + mirror.name() + " names port " + name, "add mirror")).uuid());
        }
        Map<String, Object> row = new HashMap<>();
        row.put("name", mirror.name());
        row.put("select_src_port", OvsdbSet.copyOf(mirror.selectSrcPorts().stream().map(ports::get).toList()));
        row.put("select_dst_port", OvsdbSet.copyOf(mirror.selectDstPorts().stream().map(ports::get).toList()));
        row.put("select_vlan", OvsdbSet.copyOf(mirror.selectVlans().stream().map(v -> (long) v.value()).toList()));
        row.put("output_port", ports.get(mirror.outputPort()));
        row.put("external_ids", mark(Map.of()));
        List<Operation> ops = new ArrayList<>();
        for (Map.Entry<String, Uuid> p : ports.entrySet()) {
            // The ports must still be the ones just read, or the mirror would reference rows that are gone.
            ops.add(Operation.waitUntil("Port", List.of(Condition.uuid(p.getValue())), List.of("name"),
                    List.of(Map.of("name", p.getKey())), true, 0));
        }
        ops.add(Operation.insert("Mirror", row, new NamedUuid("mirror")));
        ops.add(Operation.mutate("Bridge", List.of(Condition.eq("name", bridge)),
                List.of(Mutation.insert("mirrors", OvsdbSet.of(new NamedUuid("mirror"))))));
        List<OperationResult> results = apply("add mirror " + mirror.name() + " to bridge " + bridge, ops,
                "no such port", "a port the mirror names was deleted meanwhile");
        if (results.get(ops.size() - 1).count() != 1) {
            throw new OvsdbException("no such bridge", bridge, "add mirror " + mirror.name());
        }
        return results.get(ops.size() - 2).uuid();
    }

    /**
     * @param bridge the bridge
     * @param name one of iov's mirrors on it
     * @return false if there was no such mirror
     */
    public boolean removeMirror(String bridge, String name) {
        Optional<Row> existing = selectOne("Mirror", name, List.of("_uuid", "name", "external_ids"));
        if (existing.isEmpty()) {
            return false;
        }
        requireOwned("Mirror", name, existing.get());
        apply("remove mirror " + name, List.of(guard("Mirror", name),
                Operation.mutate("Bridge", List.of(Condition.eq("name", bridge)),
                        List.of(Mutation.delete("mirrors", OvsdbSet.of(existing.get().uuid()))))));
        return true;
    }

    /**
     * @param iface an interface (anyone's: reading changes nothing)
     * @return its {@code statistics} as ovs-vswitchd last stored them (every 5 s by default), from the switch's
     *     side: {@code rx_*} is what the switch received from the port
     * @throws OvsdbException when there is no such interface
     */
    public Map<String, Long> statistics(String iface) {
        return selectOne("Interface", iface, List.of("statistics")).orElseThrow(() -> new OvsdbException(
                "no such interface", iface, "read statistics")).map("statistics").longs();
    }

    /**
     * @param name a port
     * @return the port, if it exists
     */
    public Optional<OvsPort> port(String name) {
        return selectOne("Port", name, List.of()).map(this::toPort);
    }

    /**
     * @param bridge a bridge
     * @return its ports, iov's and others
     * @throws OvsdbException when there is no such bridge
     */
    public List<OvsPort> ports(String bridge) {
        Row row = selectOne("Bridge", bridge, List.of("ports")).orElseThrow(() -> new OvsdbException(
                "no such bridge", bridge, "list ports"));
        List<Condition> none = List.of();
        List<OperationResult> results = client.transact(DB, Operation.select("Port", none, List.of()),
                Operation.select("Interface", none, List.of()));
        Set<Object> wanted = Set.copyOf(row.set("ports"));
        Map<Uuid, Row> interfaces = results.get(1).rows().stream().collect(Collectors.toMap(Row::uuid, r -> r));
        List<OvsPort> out = new ArrayList<>();
        for (Row port : results.get(0).rows()) {
            if (wanted.contains(port.uuid())) {
                out.add(toPort(port, interfaces));
            }
        }
        return out;
    }

    /**
     * Every bridge with its ports and their interfaces, read in one transaction (a consistent picture).
     *
     * @return the bridges (iov's and others) sorted by name, each with its ports sorted by name
     */
    public List<OvsBridge> bridges() {
        List<Condition> none = List.of();
        List<OperationResult> results = client.transact(DB,
                Operation.select("Bridge", none, List.of("name", "datapath_type", "external_ids", "ports")),
                Operation.select("Port", none, List.of()), Operation.select("Interface", none, List.of()));
        Map<Uuid, Row> ports = results.get(1).rows().stream().collect(Collectors.toMap(Row::uuid, r -> r));
        Map<Uuid, Row> interfaces = results.get(2).rows().stream().collect(Collectors.toMap(Row::uuid, r -> r));
        List<OvsBridge> bridges = new ArrayList<>();
        for (Row bridge : results.get(0).rows()) {
            List<OvsPort> bridgePorts = new ArrayList<>();
            for (Object ref : bridge.set("ports")) {
                Row port = ports.get((Uuid) ref);
                if (port != null) {
                    bridgePorts.add(toPort(port, interfaces));
                }
            }
            bridgePorts.sort(Comparator.comparing(OvsPort::name));
            bridges.add(new OvsBridge(bridge.string("name").orElse(""), bridge.string("datapath_type").orElse(""),
                    bridge.map("external_ids").strings(), bridgePorts));
        }
        bridges.sort(Comparator.comparing(OvsBridge::name));
        return bridges;
    }

    private OvsPort toPort(Row port) {
        List<Object> ifaces = port.set("interfaces");
        Map<Uuid, Row> interfaces = new HashMap<>();
        if (!ifaces.isEmpty()) {
            List<Operation> selects = ifaces.stream()
                    .map(ref -> Operation.select("Interface", List.of(Condition.uuid((Uuid) ref)), List.of()))
                    .toList();
            client.transact(DB, selects).forEach(result -> result.rows().forEach(r -> interfaces.put(r.uuid(), r)));
        }
        return toPort(port, interfaces);
    }

    private OvsPort toPort(Row port, Map<Uuid, Row> interfaces) {
        Map<String, String> ids = port.map("external_ids").strings();
        List<Object> ifaceRefs = port.set("interfaces");
        Row iface = ifaceRefs.isEmpty() ? null : interfaces.get((Uuid) ifaceRefs.get(0));
        Optional<String> mac = Optional.empty();
        String type = "";
        long rate = 0;
        OptionalLong ofport = OptionalLong.empty();
        Optional<String> error = Optional.empty();
        if (iface != null) {
            mac = iface.string("mac").or(() -> Optional.ofNullable(
                    iface.map("external_ids").strings().get("attached-mac")));
            type = iface.string("type").orElse("");
            rate = iface.integer("ingress_policing_rate").orElse(0L);
            Optional<Long> of = iface.integer("ofport");
            ofport = of.isPresent() ? OptionalLong.of(of.get()) : OptionalLong.empty();
            error = iface.string("error");
        }
        Optional<Long> tag = port.integer("tag");
        List<String> names = ifaceRefs.stream().map(ref -> interfaces.get((Uuid) ref)).filter(Objects::nonNull)
                .map(r -> r.string("name").orElse("")).sorted().toList();
        return new OvsPort(port.string("name").orElse(""), owner.equals(ids.get(OWNER_KEY)), ids,
                tag.isPresent() ? OptionalInt.of(tag.get().intValue()) : OptionalInt.empty(),
                port.set("trunks").stream().map(t -> ((Long) t).intValue()).sorted().toList(),
                port.string("vlan_mode"), type, mac, rate, ofport, error, names);
    }

    private static Map<String, Object> vlanColumns(PortVlan vlan) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("vlan_mode", PortVlan.ovsName(vlan.mode()));
        columns.put("tag", vlan.tag().map(t -> (Object) OvsdbSet.of((long) t.value())).orElse(OvsdbSet.EMPTY));
        columns.put("trunks", OvsdbSet.copyOf(vlan.trunks().stream().map(VlanId::value).map(Integer::longValue)
                .toList()));
        if (vlan.mode() == VlanMode.ACCESS) {
            // OVS's default for a tagged port without vlan_mode is access too; being explicit keeps drift visible.
            columns.put("trunks", OvsdbSet.EMPTY);
        }
        return columns;
    }

    private OvsdbMap mark(Map<String, String> more) {
        Map<String, String> ids = new LinkedHashMap<>(more);
        ids.put(OWNER_KEY, owner);
        return OvsdbMap.ofStrings(ids);
    }

    /** A wait that aborts the transaction unless the named row still carries this owner's mark. */
    private Operation guard(String table, String name) {
        return guard(table, name, Map.of());
    }

    /** A wait that aborts the transaction unless the named row still carries this owner's mark and {@code marks}. */
    private Operation guard(String table, String name, Map<String, String> marks) {
        return Operation.waitUntil(table, List.of(Condition.eq("name", name),
                Condition.includes("external_ids", mark(marks))), List.of("name"), List.of(Map.of("name", name)),
                true, 0);
    }

    /** Like {@link #guard(String, String, Map)}, for one row by its UUID: a row replaced since it was read fails. */
    private Operation guard(String table, String name, Uuid row, Map<String, String> marks) {
        return Operation.waitUntil(table, List.of(Condition.uuid(row), Condition.eq("name", name),
                Condition.includes("external_ids", mark(marks))), List.of("name"), List.of(Map.of("name", name)),
                true, 0);
    }

    private Row requireOwned(String table, String name) {
        return requireOwned(table, name, Map.of());
    }

    private Row requireOwned(String table, String name, Map<String, String> marks) {
        Row row = selectOne(table, name, List.of("name", "external_ids")).orElseThrow(() -> new OvsdbException(
                "no such row", table + " " + name, "change " + table + " " + name));
        requireOwned(table, name, row, marks);
        return row;
    }

    private void requireOwned(String table, String name, Row row) {
        requireOwned(table, name, row, Map.of());
    }

    private void requireOwned(String table, String name, Row row, Map<String, String> marks) {
        Map<String, String> ids = row.map("external_ids").strings();
        if (!owner.equals(ids.get(OWNER_KEY))) {
            throw new OvsdbException(NOT_OWNED, table + " " + name + " has " + OWNER_KEY + "="
                    + ids.getOrDefault(OWNER_KEY, "(none)") + ", this is " + owner, "change " + table + " " + name);
        }
        for (Map.Entry<String, String> mark : marks.entrySet()) {
            if (!mark.getValue().equals(ids.get(mark.getKey()))) {
                throw new OvsdbException(NOT_OWNED, table + " " + name + " has " + mark.getKey() + "="
                        + ids.getOrDefault(mark.getKey(), "(none)") + ", expected " + mark.getValue(),
                        "change " + table + " " + name);
            }
        }
    }

    private Optional<Row> selectOne(String table, String name, List<String> columns) {
        List<Row> rows = client.transact(DB, Operation.select(table, List.of(Condition.eq("name", name)), columns))
                .get(0).rows();
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private Row selectColumns(String table, String name, List<String> columns) {
        return selectOne(table, name, columns).orElseThrow(() -> new OvsdbException("no such row",
                table + " " + name, "read " + table));
    }

    /**
     * Commits the operations plus a {@code next_cfg} bump, then waits until ovs-vswitchd reports it applied that
     * configuration ({@code cur_cfg}).
     */
    private List<OperationResult> apply(String what, List<Operation> operations) {
        return apply(what, operations, NOT_OWNED, "a row it touches changed or is no longer iov's");
    }

    private List<OperationResult> apply(String what, List<Operation> operations, String waitError,
            String waitDetails) {
        Committed committed = commit(what, operations, waitError, waitDetails);
        awaitApplied(what, committed.configuration());
        return committed.results();
    }

    /** The results of a committed change, and the configuration number ovs-vswitchd reports once it applied it. */
    private record Committed(List<OperationResult> results, long configuration) {
    }

    /** Commits the operations plus a {@code next_cfg} bump (the first step of {@link #apply}). */
    private Committed commit(String what, List<Operation> operations, String waitError, String waitDetails) {
        List<Operation> all = new ArrayList<>(operations.size() + 3);
        all.add(Operation.comment("iov " + owner + ": " + what));
        all.addAll(operations);
        all.add(Operation.mutate(DB, List.of(), List.of(Mutation.add("next_cfg", 1))));
        all.add(Operation.select(DB, List.of(), List.of("next_cfg")));
        List<OperationResult> results;
        try {
            results = client.transact(DB, all);
        } catch (OvsdbWaitFailedException e) {
            throw new OvsdbException(waitError, waitDetails, what, e);
        }
        long target = results.get(all.size() - 1).rows().get(0).integer("next_cfg").orElse(0L);
        return new Committed(results.subList(1, 1 + operations.size()), target);
    }

    /** Waits until ovs-vswitchd has applied a configuration (the second step of {@link #apply}). */
    private void awaitApplied(String what, long target) {
        long deadline = System.nanoTime() + applyTimeout.toNanos();
        while (true) {
            long current = client.transact(DB, Operation.select(DB, List.of(), List.of("cur_cfg"))).get(0).rows()
                    .get(0).integer("cur_cfg").orElse(0L);
            if (current >= target) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new OvsdbException(NOT_APPLIED, "ovs-vswitchd did not apply configuration " + target
                        + " within " + applyTimeout + " (is it running?)", what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OvsdbException("interrupted", null, what, e);
            }
        }
    }
}
