package dev.iov.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.Network;
import dev.iov.api.model.VnicAddresses;
import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.Bandwidth;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.BackendException;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.IoBackend;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IoBackend} promises, as one JUnit 5 suite: each implementation's test extends this class
 * and says how to make a host and a backend on it; nothing here depends on how a backend works inside.
 *
 * <p>What it checks: attach, update and detach (idempotent) as {@link IoBackend#discover discover} sees them; stats;
 * the declared capabilities honoured; a half-done attach rolled back; ownership (no call touches another vNIC's
 * port); and a restart: a new backend instance over the same host state, given what the store recorded
 * ({@link IoBackend#restore}), adopts it from the host, reports what is gone as missing, never hands an owned
 * resource to another vNIC, and releases only what it is asked to; an attach cut short by the restart is cleaned up
 * by {@link IoBackend#abandon}.
 *
 * <p>Every test runs on a fresh host ({@link #createHost()}, {@link #destroyHost()}); each {@link #newBackend()} is a
 * new backend instance on that host, as after a restart of the manager. Backends the suite creates are closed by the
 * suite.
 *
 * <pre>{@code
 * class EmbeddedBackendContractTest extends IoBackendContract {
 *     private EmbeddedDevice device;
 *     protected void createHost() { device = new EmbeddedDevice(); }
 *     protected IoBackend newBackend() { return new EmbeddedBackend("h1/embedded", VSWITCH_PORT, ALL, device); }
 *     ...
 * }
 * }</pre>
 */
public abstract class IoBackendContract {

    /** The rate limit vNICs get when the backend declares {@link Capability#MAX_RATE}. */
    protected static final Bandwidth RATE = Bandwidth.ofMbps(100);
    /** The rate an update changes it to. */
    protected static final Bandwidth NEW_RATE = Bandwidth.ofMbps(300);

    private final List<IoBackend> opened = new ArrayList<>();

    /**
     * Prepares a fresh host for one test: an empty device, a new network namespace, an empty bridge.
     *
     * @throws Exception when the host cannot be prepared
     */
    protected abstract void createHost() throws Exception;

    /**
     * Removes whatever the test left on the host; called after every test, also a failed one, once the suite has
     * closed its backends.
     *
     * @throws Exception when the host cannot be cleaned
     */
    protected abstract void destroyHost() throws Exception;

    /**
     * Starts a new backend instance on the current host. The first call of a test finds the host empty; every later
     * call simulates the manager starting again over the host as the earlier instances left it.
     *
     * @return the backend; the suite closes it
     * @throws Exception when it cannot be started
     */
    protected abstract IoBackend newBackend() throws Exception;

    /**
     * @return the networks vNICs may join, at least one; with a second one of the same kind, update moves a port
     *     between their segments (leave it out for a backend that cannot, such as an InfiniBand partition)
     */
    protected abstract List<Network> networks();

    /**
     * @param n the vNIC's number in the test, from 0
     * @return the addresses the fabric would give it (a MAC for Ethernet networks, a GUID for InfiniBand ones),
     *     different for every {@code n}
     */
    protected abstract VnicAddresses addresses(int n);

    /** Makes the next attach fail after it has changed something on the host (the step before its last). */
    protected abstract void failNextAttachMidway();

    /**
     * Removes an attachment's resource behind the backend's back, as a person with a shell or a reboot would: the
     * port deleted, the VF reset, the membership dropped.
     *
     * @param attachment the attachment
     */
    protected abstract void removeBehindTheBackendsBack(Attachment attachment);

    /**
     * @return everything on the host a backend of this kind could have made, each as a line naming the resource and
     *     its state (a port and its VLAN, a VF and its MAC, a GUID and its partition): the suite compares these sets
     *     to prove that a call changed nothing, or only one vNIC's resource
     */
    protected abstract Set<String> hostResources();

    /**
     * The host resources an attachment holds, for the check that no two vNICs ever hold the same one. By default
     * its handle; backends whose handle does not name everything (a VF's PCI address) add it.
     *
     * @param attachment an attachment
     * @return the resources it holds
     */
    protected Set<String> resourcesOf(Attachment attachment) {
        return Set.of(attachment.handle());
    }

    /** @return the host the backend serves */
    protected HostId host() {
        return HostId.of("h1");
    }

    /** @return the uplink vNICs are charged to */
    protected String uplink() {
        return "uplink0";
    }

    @BeforeEach
    void createTheHost() throws Exception {
        createHost();
    }

    @AfterEach
    void closeBackendsAndDestroyTheHost() throws Exception {
        try {
            for (IoBackend backend : opened) {
                try {
                    backend.close();
                } catch (RuntimeException e) {
                    // a backend closed by the test already, or one whose host is half gone: the host goes next
                }
            }
            opened.clear();
        } finally {
            destroyHost();
        }
    }

    // ------------------------------------------------------------------------------------------ attach, discover

    @Test
    void attachMakesAPortThatDiscoverShowsAsTheVnics() throws Exception {
        IoBackend backend = start();
        AttachRequest request = request(0);

        Attachment a = backend.attach(request);

        assertEquals(request.spec().id(), a.vnic(), "the attachment names its vNIC");
        assertEquals(backend.id(), a.backendId(), "the attachment names its backend");
        DiscoveredPort port = discovered(backend, a);
        assertEquals(Optional.of(a.vnic()), port.owner(), "discover shows the port as the vNIC's");
        port.mac().ifPresent(mac -> assertEquals(request.addresses().mac(), Optional.of(mac), "MAC on the port"));
        port.guid().ifPresent(guid -> assertEquals(request.addresses().guid(), Optional.of(guid), "GUID"));
    }

    @Test
    void declaredCapabilitiesAreHonoured() throws Exception {
        IoBackend backend = start();
        AttachRequest request = request(0);
        Attachment a = backend.attach(request);
        DiscoveredPort port = discovered(backend, a);
        Set<Capability> caps = backend.capabilities();

        if (caps.contains(Capability.VLAN) || caps.contains(Capability.VXLAN)
                || caps.contains(Capability.IB_PARTITION)) {
            assertTrue(port.segment().isPresent(), "a backend that joins segments reports a port's segment");
            assertEquals(request.network().segment(), port.segment().getAsInt(), "segment of the port");
        }
        if (caps.contains(Capability.MAX_RATE) && port.maxRate().isPresent()) {
            assertEquals(RATE, port.maxRate().get(), "rate limit enforced on the port");
        }
        if (caps.contains(Capability.STATS)) {
            VnicStats stats = backend.stats(a);
            assertNotNull(stats);
            for (long counter : counters(stats)) {
                assertTrue(counter >= 0, "counters are never negative: " + stats);
            }
        }
    }

    @Test
    void attachingAnAttachedVnicAgainGivesTheSamePort() throws Exception {
        IoBackend backend = start();
        Attachment first = backend.attach(request(0));
        Set<String> before = hostResources();

        Attachment again = backend.attach(request(0));

        assertEquals(first.handle(), again.handle(), "one vNIC, one port");
        assertEquals(before, hostResources(), "nothing new on the host");
    }

    @Test
    void vnicsNeverShareAResource() throws Exception {
        IoBackend backend = start();
        Attachment a = backend.attach(request(0));
        Attachment b = backend.attach(request(1));

        assertDisjoint(a, b);
        assertEquals(Optional.of(a.vnic()), discovered(backend, a).owner());
        assertEquals(Optional.of(b.vnic()), discovered(backend, b).owner());
    }

    // -------------------------------------------------------------------------------------------------- update

    @Test
    void updateBringsThePortInLineWithTheRequest() throws Exception {
        IoBackend backend = start();
        Attachment a = backend.attach(request(0));
        Network target = networks().size() > 1 ? networks().get(1) : networks().get(0);
        AttachRequest changed = request(0, target, Optional.of(NEW_RATE));

        Attachment updated = backend.update(a, changed);

        assertEquals(a.vnic(), updated.vnic());
        DiscoveredPort port = discovered(backend, updated);
        port.segment().ifPresent(s -> assertEquals(target.segment(), s, "segment after the update"));
        if (backend.capabilities().contains(Capability.MAX_RATE)) {
            port.maxRate().ifPresent(r -> assertEquals(NEW_RATE, r, "rate limit after the update"));
        }
    }

    // -------------------------------------------------------------------------------------------------- detach

    @Test
    void detachRemovesOnlyThatPortAndIsIdempotent() throws Exception {
        IoBackend backend = start();
        Set<String> empty = hostResources();
        Attachment a = backend.attach(request(0));
        Set<String> withA = hostResources();
        Attachment b = backend.attach(request(1));

        backend.detach(b);

        assertEquals(withA, hostResources(), "only b's resources went");
        assertTrue(find(backend, b).isEmpty(), "b's port is gone");
        assertDoesNotThrow(() -> backend.detach(b), "detaching what is gone succeeds");
        backend.detach(Attachment.of(a.vnic(), a.backendId(), a.handle()));
        assertEquals(empty, hostResources(), "detach works from the vNIC and handle alone");
    }

    @Test
    void noCallTouchesAnotherVnicsPort() throws Exception {
        IoBackend backend = start();
        Attachment a = backend.attach(request(0));
        Attachment b = backend.attach(request(1));
        Set<String> before = hostResources();
        Attachment bClaimsA = Attachment.of(b.vnic(), a.backendId(), a.handle());

        assertThrows(OwnershipException.class, () -> backend.detach(bClaimsA), "detach of a's port as b");
        assertThrows(OwnershipException.class, () -> backend.update(bClaimsA, request(1)), "update as b");
        assertThrows(OwnershipException.class, () -> backend.update(a, request(1)), "update of a with b's request");

        assertEquals(before, hostResources(), "a refused call changes nothing");
        assertEquals(Optional.of(a.vnic()), discovered(backend, a).owner());
    }

    // -------------------------------------------------------------------------------------------------- rollback

    @Test
    void aFailedAttachLeavesNothingBehind() throws Exception {
        IoBackend backend = start();
        Attachment a = backend.attach(request(0));
        Set<String> before = hostResources();

        failNextAttachMidway();
        assertThrows(BackendException.class, () -> backend.attach(request(1)));

        assertEquals(before, hostResources(), "the half-done attach was undone");
        assertTrue(ownedPorts(backend).stream().noneMatch(p -> p.owner().equals(Optional.of(vnic(1)))));
        Attachment retried = backend.attach(request(1));
        assertDisjoint(a, retried);
    }

    // -------------------------------------------------------------------------------------------------- restart

    @Test
    void aRestartedBackendAdoptsWhatTheStoreRecords() throws Exception {
        IoBackend first = start();
        AttachRequest ra = request(0);
        AttachRequest rb = request(1);
        Attachment a = first.attach(ra);
        Attachment b = first.attach(rb);
        Set<String> before = hostResources();
        first.close();

        IoBackend second = start();
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a), new RecordedAttachment(rb, b)));

        assertEquals(Set.of(a.vnic(), b.vnic()), vnicsOf(report.adopted()), "both adopted: " + report);
        assertTrue(report.missing().isEmpty(), "nothing missing: " + report.missing());
        assertEquals(before, hostResources(), "restore changes nothing on the host");
        Attachment adoptedA = adopted(report, a.vnic());
        assertEquals(Optional.of(a.vnic()), discovered(second, adoptedA).owner(), "discover shows a as a's");
        assertEquals(Optional.of(b.vnic()), discovered(second, adopted(report, b.vnic())).owner());
        if (second.capabilities().contains(Capability.STATS)) {
            assertNotNull(second.stats(adoptedA), "an adopted port has counters");
        }
    }

    @Test
    void aRestartedBackendNeverHandsAnOwnedResourceToAnotherVnic() throws Exception {
        IoBackend first = start();
        AttachRequest ra = request(0);
        Attachment a = first.attach(ra);
        first.close();

        IoBackend second = start();
        second.restore(List.of(new RecordedAttachment(ra, a)));
        Attachment c = second.attach(request(2));
        Attachment d = second.attach(request(3));

        assertDisjoint(a, c);
        assertDisjoint(a, d);
        assertEquals(Optional.of(a.vnic()), discovered(second, a).owner(), "a is still a's");
    }

    @Test
    void releasingARestoredVnicTouchesOnlyItsOwnResource() throws Exception {
        IoBackend first = start();
        Set<String> empty = hostResources();
        AttachRequest ra = request(0);
        AttachRequest rb = request(1);
        Attachment a = first.attach(ra);
        Set<String> withA = hostResources();
        Attachment b = first.attach(rb);
        first.close();

        IoBackend second = start();
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a), new RecordedAttachment(rb, b)));
        Attachment c = second.attach(request(2));
        second.detach(c);
        second.detach(adopted(report, b.vnic()));

        assertEquals(withA, hostResources(), "only b's resource went, a's is intact");
        assertEquals(Optional.of(a.vnic()), discovered(second, a).owner());
        second.detach(adopted(report, a.vnic()));
        assertEquals(empty, hostResources());
    }

    @Test
    void whatIsGoneFromTheHostIsReportedMissingAndStaysReserved() throws Exception {
        IoBackend first = start();
        AttachRequest ra = request(0);
        AttachRequest rb = request(1);
        Attachment a = first.attach(ra);
        Attachment b = first.attach(rb);
        first.close();
        removeBehindTheBackendsBack(a);

        IoBackend second = start();
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a), new RecordedAttachment(rb, b)));

        assertEquals(Set.of(b.vnic()), vnicsOf(report.adopted()), "b adopted: " + report);
        assertEquals(1, report.missing().size(), "a missing: " + report);
        assertEquals(a.vnic(), report.missing().get(0).vnic());
        assertFalse(report.missing().get(0).reason().isBlank(), "a missing port says why");
        Attachment c = second.attach(request(2));
        assertDisjoint(a, c);
        Attachment repaired = second.attach(ra);
        assertEquals(Optional.of(a.vnic()), discovered(second, repaired).owner(), "a repair re-creates a's port");
        assertDisjoint(repaired, c);
    }

    @Test
    void restoringTwiceChangesNothing() throws Exception {
        IoBackend first = start();
        AttachRequest ra = request(0);
        Attachment a = first.attach(ra);
        first.close();
        IoBackend second = start();
        List<RecordedAttachment> recorded = List.of(new RecordedAttachment(ra, a));
        second.restore(recorded);
        Set<String> before = hostResources();

        RestoreReport again = second.restore(recorded);

        assertEquals(Set.of(a.vnic()), vnicsOf(again.adopted()));
        assertEquals(before, hostResources());
    }

    @Test
    void abandonRemovesWhatAnInterruptedAttachLeft() throws Exception {
        IoBackend first = start();
        AttachRequest kept = request(0);
        Attachment a = first.attach(kept);
        Set<String> withA = hostResources();
        AttachRequest cutShort = request(1);
        first.attach(cutShort); // made on the host, but the manager died before recording it
        first.close();

        IoBackend second = start();
        second.restore(List.of(new RecordedAttachment(kept, a)));
        second.abandon(cutShort);

        assertEquals(withA, hostResources(), "the unrecorded port is gone, a's is intact");
        assertTrue(ownedPorts(second).stream().noneMatch(p -> p.owner().equals(Optional.of(vnic(1)))));
        assertDoesNotThrow(() -> second.abandon(cutShort), "abandoning again does nothing");
        assertDoesNotThrow(() -> second.abandon(request(5)), "abandoning an attach that left nothing does nothing");
        assertEquals(withA, hostResources());
        assertEquals(Optional.of(a.vnic()), discovered(second, a).owner());
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /**
     * @param n the vNIC's number
     * @return the id of the n-th vNIC
     */
    protected static VnicId vnic(int n) {
        return VnicId.of("contract-" + n);
    }

    /**
     * @param n the vNIC's number
     * @return the request for the n-th vNIC on the first network, at {@link #RATE} when rates are declared
     */
    protected AttachRequest request(int n) {
        return request(n, networks().get(0), Optional.of(RATE));
    }

    /**
     * A request as the fabric would make it for this backend: spoof checking only when the backend declares it, a
     * rate limit only when it declares {@link Capability#MAX_RATE}.
     *
     * @param n the vNIC's number
     * @param network its network
     * @param rate its rate limit, if the backend takes one
     * @return the request
     */
    protected AttachRequest request(int n, Network network, Optional<Bandwidth> rate) {
        Set<Capability> caps = declared();
        VnicSpec.Builder spec = VnicSpec.builder(vnic(n).value(), "vm-" + n, network.id().value())
                .spoofCheck(caps.contains(Capability.SPOOF_CHECK));
        if (caps.contains(Capability.MAX_RATE) && rate.isPresent()) {
            spec.maxRate(rate.get());
        }
        return new AttachRequest(spec.build(), host(), uplink(), network, addresses(n));
    }

    private Set<Capability> declared() {
        if (opened.isEmpty()) {
            fail("start a backend before building requests");
        }
        return opened.get(opened.size() - 1).capabilities();
    }

    private IoBackend start() throws Exception {
        IoBackend backend = newBackend();
        opened.add(backend);
        return backend;
    }

    private List<DiscoveredPort> ownedPorts(IoBackend backend) {
        return backend.discover(host()).stream().filter(p -> p.owner().isPresent()).toList();
    }

    private Optional<DiscoveredPort> find(IoBackend backend, Attachment a) {
        return backend.discover(host()).stream().filter(p -> p.handle().equals(a.handle())).findFirst();
    }

    private DiscoveredPort discovered(IoBackend backend, Attachment a) {
        return find(backend, a).orElseGet(() -> fail("discover does not show " + a.handle() + "; it shows "
                + backend.discover(host())));
    }

    private void assertDisjoint(Attachment x, Attachment y) {
        assertNotEquals(x.handle(), y.handle(), "two vNICs, two handles");
        Set<String> shared = new HashSet<>(resourcesOf(x));
        shared.retainAll(resourcesOf(y));
        assertTrue(shared.isEmpty(), x.vnic() + " and " + y.vnic() + " share " + shared);
    }

    private static Set<VnicId> vnicsOf(List<Attachment> attachments) {
        Set<VnicId> ids = new TreeSet<>();
        attachments.forEach(a -> ids.add(a.vnic()));
        return ids;
    }

    private static Attachment adopted(RestoreReport report, VnicId vnic) {
        return report.adopted().stream().filter(a -> a.vnic().equals(vnic)).findFirst()
                .orElseGet(() -> fail(vnic + " was not adopted: " + report));
    }

    private static long[] counters(VnicStats s) {
        return new long[] {s.rxPackets(), s.rxBytes(), s.rxDrops(), s.rxErrors(), s.txPackets(), s.txBytes(),
                s.txDrops(), s.txErrors()};
    }
}
