package dev.iov.api.spi;

import dev.iov.api.model.BackendKind;
import dev.iov.api.model.Capability;
import dev.iov.api.model.HostId;
import dev.iov.api.model.VnicStats;
import java.util.List;
import java.util.Set;

/**
 * A plug-in that realises vNICs of one {@link BackendKind kind} on a host: an SR-IOV NIC, an InfiniBand HCA, a
 * virtual switch. The {@code Fabric} decides what to do and in which order; a backend only touches its devices.
 *
 * <p>Contract (every implementation runs {@code dev.iov.testing.IoBackendContract}, which checks it):
 * <ul>
 *   <li>A backend is asked only for what its {@link #capabilities()} declare, and does what they declare.</li>
 *   <li>{@link #attach} either creates the complete port and returns its {@link Attachment}, or throws having left
 *       nothing behind.</li>
 *   <li>Ports a backend creates carry the vNIC id (an OVS {@code external_ids} key, an interface alias, a lease
 *       record) so that {@link #discover} and {@link #restore} can tell iov's ports, and whose they are, from the
 *       host itself. Ports that are not iov's are never changed.</li>
 *   <li><b>Ownership.</b> A resource (port name, VF, GUID, handle) an attachment holds, made by this backend or
 *       {@linkplain #restore restored}, is never given to another vNIC. {@link #update} and {@link #detach} first
 *       check that the resource belongs to {@link Attachment#vnic()} and otherwise throw {@link OwnershipException}
 *       having changed nothing; {@link #detach} of a resource that is gone succeeds.</li>
 *   <li><b>Restart.</b> A new backend instance over the same host must be given what it owns with {@link #restore}
 *       before anything else; an attach whose outcome was lost with the old process is cleaned up with
 *       {@link #abandon}.</li>
 *   <li>Methods may be called from several threads at once, for different vNICs.</li>
 * </ul>
 */
public interface IoBackend extends AutoCloseable {

    /** @return this backend's identifier, unique in the fabric ({@code h1/java-switch}) */
    String id();

    /** @return the kind of vNIC it makes */
    BackendKind kind();

    /** @return what it can do */
    Set<Capability> capabilities();

    /**
     * Creates a vNIC's port. When the vNIC already holds a port of this backend (an attach repeated after a failure,
     * or a repair of a port reported missing), the port is made what the request asks for and returned.
     *
     * @param request the admitted vNIC, its network and addresses
     * @return what is needed to change, inspect or detach the port later
     * @throws BackendException when the port cannot be created; nothing is left behind
     */
    Attachment attach(AttachRequest request);

    /**
     * Brings an existing port in line with a request (a changed rate limit, VLAN, spoof check; a repaired port).
     *
     * @param attachment the port, as {@link #attach} returned it
     * @param request what it should be, for the same vNIC
     * @return the port's attachment after the change (often the same)
     * @throws OwnershipException when the port belongs to another vNIC than the attachment's; nothing was changed
     * @throws BackendException when the change fails; the port is as before
     */
    Attachment update(Attachment attachment, AttachRequest request);

    /**
     * Removes a port. Detaching a port that no longer exists succeeds. Must work from the vNIC, backend id and handle
     * alone ({@code details} empty): drift repair removes leaked ports it only knows from {@link #discover}.
     *
     * @param attachment the port, as {@link #attach} returned it, or rebuilt from a discovered port's owner and
     *     handle
     * @throws OwnershipException when the port belongs to another vNIC than the attachment's (or to nothing iov
     *     made); nothing was changed
     * @throws BackendException when the port exists and cannot be removed
     */
    void detach(Attachment attachment);

    /**
     * @param attachment the port
     * @return its counters, since the port was created or, for {@link #countersLiveInProcess()} backends, since this
     *     instance adopted it
     * @throws BackendException when they cannot be read
     */
    VnicStats stats(Attachment attachment);

    /**
     * Lists the ports this backend finds on a host, for drift detection.
     *
     * @param host the host
     * @return every port found, iov's and others (see {@link DiscoveredPort#owner()})
     * @throws BackendException when the host cannot be inspected
     */
    List<DiscoveredPort> discover(HostId host);

    /**
     * Takes back the ports a previous instance made, after a restart of the manager: the fabric passes every
     * attachment its store records for this backend. For each, the backend looks on the host itself (a TAP by name
     * and alias, an OVS {@code Interface} by its {@code external_ids}, the VF at the recorded PCI address checked by
     * its MAC and VLAN, a GUID's partition membership), adopts what it finds for that vNIC, rebuilds what lived only
     * in the old process (a software switch's port), and changes nothing else on the host. What it cannot find is
     * reported missing; its resource stays reserved for its vNIC, so that a repair re-creates it or a release frees
     * it, and no other vNIC is given it meanwhile. Restoring an attachment this instance already owns changes
     * nothing.
     *
     * @param recorded what the store says this backend owns
     * @return every recorded attachment, adopted or missing
     * @throws BackendException when the host cannot be inspected at all (nothing was adopted)
     */
    RestoreReport restore(List<RecordedAttachment> recorded);

    /**
     * Cleans up after an attach whose outcome is unknown because the manager stopped during it: whatever that attach
     * may have made for the request's vNIC (its marked port, the VF holding its MAC, its GUID's membership) is
     * removed, found from the request alone since no attachment was returned. Does nothing when the attach left
     * nothing. Called after {@link #restore}, and never removes a resource a restored attachment holds.
     *
     * @param request the request of the attach that was cut short
     * @throws BackendException when something was found and could not be removed
     */
    void abandon(AttachRequest request);

    /**
     * @return true when the counters {@link #stats} reports live in this process (a software switch in the JVM) and
     *     start again at zero in a new instance, so that the fabric must carry them over a restart itself; false
     *     (the default) when the host keeps them (kernel, device, daemon)
     */
    default boolean countersLiveInProcess() {
        return false;
    }

    /** Releases the backend's resources (sockets, threads). Ports stay, so a new instance can restore them. Idempotent. */
    @Override
    void close();
}
