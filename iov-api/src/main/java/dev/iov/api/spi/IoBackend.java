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
 * <p>Contract:
 * <ul>
 *   <li>A backend is asked only for what its {@link #capabilities()} declare.</li>
 *   <li>{@link #attach} either creates the complete port and returns its {@link Attachment}, or throws having left
 *       nothing behind.</li>
 *   <li>{@link #detach} is idempotent: detaching what is already gone succeeds.</li>
 *   <li>Ports a backend creates carry the vNIC id (an OVS {@code external_ids} key, a name prefix, a record) so that
 *       {@link #discover} can tell iov's ports from everything else, which it must never change.</li>
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
     * Creates a vNIC's port.
     *
     * @param request the admitted vNIC, its network and addresses
     * @return what is needed to change, inspect or detach the port later
     * @throws BackendException when the port cannot be created; nothing is left behind
     */
    Attachment attach(AttachRequest request);

    /**
     * Brings an existing port in line with a request (a changed rate limit, a repaired VLAN).
     *
     * @param attachment the port, as {@link #attach} returned it
     * @param request what it should be
     * @return the port's attachment after the change (often the same)
     * @throws BackendException when the change fails; the port is as before
     */
    Attachment update(Attachment attachment, AttachRequest request);

    /**
     * Removes a port. Detaching a port that no longer exists succeeds. Must work from the backend id and handle
     * alone ({@code details} empty): drift repair removes leaked ports it only knows from {@link #discover}.
     *
     * @param attachment the port, as {@link #attach} returned it, or rebuilt from a discovered port's handle
     * @throws BackendException when the port exists and cannot be removed
     */
    void detach(Attachment attachment);

    /**
     * @param attachment the port
     * @return its counters
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

    /** Releases the backend's resources (sockets, threads). Ports stay. Idempotent. */
    @Override
    void close();
}
